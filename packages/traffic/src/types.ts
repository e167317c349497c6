/** One transaction from a traffic log: one proxy request, one DNS query, one connection. */
export interface TrafficRecord {
  /** Epoch milliseconds (UTC). */
  time: number;
  /** Account name or UPN, when the log has one. */
  user?: string;
  /** Device name, or the client IP when the log has no device name. */
  device?: string;
  srcIp?: string;
  /** Destination host name: lowercased, no port, no trailing dot, punycode; undefined when the log only has an IP. */
  host?: string;
  dstIp?: string;
  /** Full URL, when the log has one. */
  url?: string;
  bytesUp: number;
  bytesDown: number;
  /** What the log says happened: Squid result code (`TCP_DENIED/403`), DNS rcode, MDE ActionType, Zeek conn_state… */
  action?: string;
  /** 1-based line in its file (record index for JSON arrays). */
  line: number;
}

export interface RejectedLine {
  file: string;
  line: number;
  reason: string;
  /** First 200 characters of the line, control characters escaped. */
  sample: string;
}

export type TrafficFormat =
  | "squid-native"
  | "squid-common"
  | "zeek-tsv"
  | "zeek-json"
  | "mde-csv"
  | "mde-json"
  | "bind"
  | "dnsmasq"
  | "unbound"
  | "csv";

export const TRAFFIC_FORMATS: readonly TrafficFormat[] = [
  "squid-native",
  "squid-common",
  "zeek-tsv",
  "zeek-json",
  "mde-csv",
  "mde-json",
  "bind",
  "dnsmasq",
  "unbound",
  "csv",
];

/** A column: its header name (case-insensitive) or its 0-based index. */
export type CsvColumn = string | number;

/** Which columns of a generic CSV log hold what. Columns left out are unset in the records. */
export interface CsvMapping {
  time?: CsvColumn;
  user?: CsvColumn;
  device?: CsvColumn;
  srcIp?: CsvColumn;
  host?: CsvColumn;
  dstIp?: CsvColumn;
  url?: CsvColumn;
  bytesUp?: CsvColumn;
  bytesDown?: CsvColumn;
  action?: CsvColumn;
  /** How `time` is written; "auto" (default) takes ISO 8601, epoch seconds (< 1e11) or epoch milliseconds. */
  timeFormat?: "auto" | "iso" | "epoch-s" | "epoch-ms";
  /** Field separator, one character; default ",". */
  delimiter?: string;
  /** Whether the first line is a header row; default true (required when columns are named). */
  header?: boolean;
}

export interface ReadOptions {
  /** Force a format; otherwise it is detected from the first lines. */
  format?: TrafficFormat;
  /** For "csv": the column mapping; without it, columns are guessed from the header names. */
  csv?: CsvMapping;
  /**
   * For formats whose timestamps lack a year (dnsmasq syslog lines): the year of the first line
   * (later lines roll over into the next year when the month goes back). Without it, the year is
   * the one that puts the line at or before the file's modification time.
   */
  year?: number;
  /**
   * Offset from UTC, in minutes, of the local times written by BIND and syslog (dnsmasq) logs;
   * default 0 (local times are taken as UTC). Formats with epoch or zoned times ignore it.
   */
  utcOffsetMinutes?: number;
  /** Lines longer than this (bytes) are rejected without being held in memory; default 1 MiB. */
  maxLineBytes?: number;
  /** Called with every rejected line, in order. */
  onReject?: (r: RejectedLine) => void;
}

export interface ReadSummary {
  file: string;
  /** The format read (forced or detected); undefined only for an empty or unrecognised file. */
  format: TrafficFormat | undefined;
  /** Lines read (records, for JSON arrays), whether parsed, skipped or rejected. */
  lines: number;
  records: number;
  rejected: number;
  /** Legitimate non-records: headers, comments, blank lines, log lines that are not transactions. */
  skipped: number;
  /** Decompressed bytes read. */
  bytes: number;
  /**
   * Set when the file could not be read to its end (truncated or corrupt gzip, undetectable format).
   * Everything read before the error was still delivered.
   */
  error?: string;
}

/** What parsing one line gives: a record, a legitimate skip, or the reason it was rejected. */
export type LineResult = TrafficRecord | "skip" | { reason: string };
