/**
 * @sanction/formatter: one canonical layout for `.sanction` policy files. See `format`.
 */
export { format, type FormatOptions, type FormatResult } from "./format.js";
