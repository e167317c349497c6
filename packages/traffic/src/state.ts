import { isUnboundReply } from "./formats/unbound.js";
import type { CsvMapping, TrafficFormat } from "./types.js";

/** Column layout of a Zeek TSV log, from its `#separator` and `#fields` headers. */
export interface ZeekLayout {
  fields: string[];
  kind: ZeekKind;
  ts: number;
  origH: number;
  respH: number;
  query: number;
  rcodeName: number;
  host: number;
  uri: number;
  reqLen: number;
  respLen: number;
  status: number;
  username: number;
  serverName: number;
  origBytes: number;
  respBytes: number;
  connState: number;
  /** 1 for each column the parser reads. */
  wanted: Uint8Array;
}

export type ZeekKind = "dns" | "http" | "ssl" | "conn" | "other";

/** Resolved column indexes of a CSV log (-1: absent). */
export interface CsvLayout {
  time: number;
  user: number;
  userAlt: number;
  device: number;
  srcIp: number;
  host: number;
  dstIp: number;
  url: number;
  bytesUp: number;
  bytesDown: number;
  action: number;
  columns: number;
  /** Why every line is rejected (a mapping that cannot work), if so. */
  problem?: string;
}

/**
 * What a parser remembers between lines of one file: Zeek and CSV headers, the year of
 * year-less timestamps, scratch arrays. Make one per file with createParseState.
 */
export interface ParseState {
  format: TrafficFormat;
  /** Line number of the last line given to parseLine (used when it is called without one). */
  line: number;
  /** Reusable scratch array for split fields. */
  fields: string[];
  /** Reusable token boundaries (tokenize). */
  starts: Int32Array;
  ends: Int32Array;
  /** Local-time offset, ms to subtract from local timestamps. */
  utcOffsetMs: number;
  // year-less timestamps (dnsmasq syslog)
  year: number | undefined;
  lastMonth: number;
  /** Epoch ms no line should be later than (the file's modification time), when the year is guessed. */
  notAfter: number | undefined;
  // zeek-tsv
  zeekSep: string;
  zeek: ZeekLayout | undefined;
  // csv, mde-csv
  csvMapping: CsvMapping | undefined;
  csvDelimiter: string;
  csv: CsvLayout | undefined;
  // unbound: when the log has reply lines, query lines are not counted again
  unboundReplies: boolean;
  /** The last value a parser read from a field, per slot, and whether it is an IP literal (see memoSlice). */
  memo: string[];
  memoIsIp: boolean[];
}

export interface StateOptions {
  year?: number;
  utcOffsetMinutes?: number;
  csv?: CsvMapping;
  /** Reference time for year-less timestamps when no year is given (epoch ms, e.g. the file's mtime). */
  notAfter?: number;
}

export function createParseState(format: TrafficFormat, opts: StateOptions = {}): ParseState {
  return {
    format,
    line: 0,
    fields: [],
    starts: new Int32Array(32),
    ends: new Int32Array(32),
    utcOffsetMs: (opts.utcOffsetMinutes ?? 0) * 60_000,
    year: opts.year,
    lastMonth: -1,
    notAfter: opts.notAfter,
    zeekSep: "\t",
    zeek: undefined,
    csvMapping: opts.csv,
    csvDelimiter: opts.csv?.delimiter ?? ",",
    csv: undefined,
    unboundReplies: false,
    memo: ["", "", ""],
    memoIsIp: [false, false, false],
  };
}

/**
 * Let the state see the first lines of a file before parsing starts, for decisions a single line
 * cannot make (unbound: a log with reply lines counts replies, not queries).
 */
export function primeState(state: ParseState, firstLines: readonly string[]): void {
  if (state.format === "unbound") {
    for (const l of firstLines) if (isUnboundReply(l)) state.unboundReplies = true;
  }
}
