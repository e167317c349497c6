import { parseBind } from "./formats/bind.js";
import { parseCsv } from "./formats/csv.js";
import { parseDnsmasq } from "./formats/dnsmasq.js";
import { parseMdeCsv } from "./formats/mde-csv.js";
import { parseMdeJson } from "./formats/mde-json.js";
import { parseSquidCommon } from "./formats/squid-common.js";
import { parseSquidNative, parseSquidNativeIn } from "./formats/squid-native.js";
import { parseUnbound } from "./formats/unbound.js";
import { parseZeekJson } from "./formats/zeek-json.js";
import { parseZeekTsv, parseZeekTsvBytes } from "./formats/zeek-tsv.js";
import type { ParseState } from "./state.js";
import type { LineResult, TrafficFormat } from "./types.js";
import { reject } from "./util.js";

/** A parser of one line of one format. Never throws; `n` is the line number to record. */
export type LineParser = (line: string, state: ParseState, n: number) => LineResult;

/**
 * A parser of one line given as bytes, `buf[s, e)` (ASCII, no NUL, no line break): the answer
 * of the format's LineParser on the same text, or undefined for a line only that parser reads.
 */
export type BytesLineParser = (buf: Buffer, s: number, e: number, state: ParseState, n: number) => LineResult | undefined;

/** Formats whose hottest lines are read from the bytes without decoding the whole line. */
export const BYTES_PARSERS: Readonly<Partial<Record<TrafficFormat, BytesLineParser>>> = {
  "zeek-tsv": parseZeekTsvBytes,
};

/**
 * A parser of the line `text[from, to)` inside a decoded block (no line break, no NUL, not the
 * file's first line): the answer of the format's LineParser on that line, without the line
 * being made a string of its own.
 */
export type RangeLineParser = (text: string, from: number, to: number, state: ParseState, n: number) => LineResult;

/** Formats whose lines are read in place in the decoded block. */
export const RANGE_PARSERS: Readonly<Partial<Record<TrafficFormat, RangeLineParser>>> = {
  "squid-native": parseSquidNativeIn,
};

export const PARSERS: Readonly<Record<TrafficFormat, LineParser>> = {
  "squid-native": parseSquidNative,
  "squid-common": parseSquidCommon,
  "zeek-tsv": parseZeekTsv,
  "zeek-json": parseZeekJson,
  "mde-csv": parseMdeCsv,
  "mde-json": parseMdeJson,
  bind: parseBind,
  dnsmasq: parseDnsmasq,
  unbound: parseUnbound,
  csv: parseCsv,
};

/**
 * Parse one line (without its line break) of `format`: a record, "skip" for a header, comment,
 * blank or non-transaction line, or the reason the line is rejected. Never throws. `state`
 * carries headers between lines (createParseState); `lineNumber` defaults to one more than the
 * previous call's.
 */
export function parseLine(format: TrafficFormat, line: string, state: ParseState, lineNumber?: number): LineResult {
  const n = lineNumber ?? state.line + 1;
  state.line = n;
  const parser = PARSERS[format];
  if (parser === undefined) return reject(`unknown format ${String(format)}`);
  return safeParse(parser, line, state, n);
}

/** Run a parser, turning an unexpected exception into a rejection (a bug, but never a crash). */
export function safeParse(parser: LineParser, line: string, state: ParseState, n: number): LineResult {
  try {
    return parser(line, state, n);
  } catch (e) {
    return reject("internal parser error: " + (e instanceof Error ? e.message : String(e)));
  }
}
