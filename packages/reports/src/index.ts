/*
 * @sanction/reports: renders a simulation report (the engine's `SimulationReport`, imported as
 * a type only) for a terminal, a pull-request comment, a machine, or a browser. Every renderer
 * is a pure function of the report: no clock, no locale, byte-identical output.
 */
export { renderTable, type TableOptions } from "./table.js";
export { renderMarkdown } from "./markdown.js";
export { renderJson } from "./json.js";
export { renderHtml, type HtmlOptions } from "./html.js";
export { mdText } from "./markdown.js";
export { visible } from "./text.js";
