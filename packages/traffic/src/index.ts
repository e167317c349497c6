export type { CsvColumn, CsvMapping, LineResult, ReadOptions, ReadSummary, RejectedLine, TrafficFormat, TrafficRecord } from "./types.js";
export { TRAFFIC_FORMATS } from "./types.js";
export { readTraffic, TrafficReader } from "./reader.js";
export { detectFormat, DETECT_LINES } from "./detect.js";
export { parseLine, PARSERS, type LineParser } from "./parse.js";
export { createParseState, primeState, type ParseState, type StateOptions } from "./state.js";
export { normHost, isIpLiteral, parseIsoMs, sampleOf } from "./util.js";
export { splitCsv } from "./csv-split.js";
export { CSV_SYNONYMS } from "./formats/csv.js";
