/**
 * BIND 9 query log (`querylog yes`, category `queries`):
 * `25-Nov-2026 10:00:01.123 [queries: info: ]client @0x7f… 10.0.0.5#53412 (www.example.com): [view v: ]query: www.example.com IN A +E(0)K (127.0.0.1)`.
 * Times are local (ReadOptions.utcOffsetMinutes). Other messages in the same file are skipped.
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { digits, monthIndex, reject, utcMs } from "../util.js";
import { dnsRecord } from "./dns-common.js";

/** `25-Nov-2026 10:00:01.123` at the start of a line: [epoch ms, end index], or NaN. */
export function parseBindTime(line: string): number {
  const d1 = line.indexOf("-");
  if (d1 < 1 || d1 > 2) return NaN;
  const day = digits(line, 0, d1);
  const month = monthIndex(line.slice(d1 + 1, d1 + 4));
  if (line.charCodeAt(d1 + 4) !== 45) return NaN;
  const y = d1 + 5;
  const year = digits(line, y, y + 4);
  const t = y + 5;
  if (line.charCodeAt(y + 4) !== 32 || line.charCodeAt(t + 2) !== 58 || line.charCodeAt(t + 5) !== 58) return NaN;
  const h = digits(line, t, t + 2);
  const mi = digits(line, t + 3, t + 5);
  const s = digits(line, t + 6, t + 8);
  let ms = 0;
  if (line.charCodeAt(t + 8) === 46) ms = digits(line, t + 9, t + 12);
  if (day < 0 || month < 0 || year < 0 || h < 0 || mi < 0 || s < 0 || ms < 0) return NaN;
  return utcMs(year, month, day, h, mi, s, ms);
}

export function parseBind(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  const local = parseBindTime(line);
  if (local !== local) return reject("no dd-Mon-yyyy hh:mm:ss.mmm timestamp");
  const time = local - st.utcOffsetMs;
  const q = line.indexOf(" query: ");
  const c = line.indexOf("client ");
  if (q < 0 || c < 0 || c > q) return "skip"; // another message (start-up, zone, lame server…)
  let i = c + 7;
  if (line.charCodeAt(i) === 64) {
    // @0x7f... client object address
    i = line.indexOf(" ", i) + 1;
    if (i === 0) return reject("no client address");
  }
  const hash = line.indexOf("#", i);
  const sp = line.indexOf(" ", i);
  if (hash < 0 || sp < 0 || hash > sp) return reject("no client address#port");
  const client = line.slice(i, hash);
  const nameStart = q + 8;
  const nameEnd = line.indexOf(" ", nameStart);
  if (nameEnd < 0) return reject("query without class and type");
  return dnsRecord(time, client, line.slice(nameStart, nameEnd), undefined, n);
}

export function looksLikeBind(line: string): boolean {
  return /^\d{1,2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}(\.\d{3})? /.test(line) && line.includes(" query: ");
}
