/**
 * dnsmasq `log-queries`, as written to syslog or to its own `log-facility` file:
 * `Nov 25 10:00:01 [host ]dnsmasq[123]: query[A] www.example.com from 10.0.0.5`
 * (`log-queries=extra` adds `serial client/port` before `query[A]`; RFC 3339 syslog stamps are
 * read too). Only `query[…]` lines are records; forwarded, reply, cached, config… lines are skips.
 * Syslog stamps have no year and are local time: see ReadOptions.year and utcOffsetMinutes.
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { digits, monthIndex, parseIsoMs, reject, yearlessMs } from "../util.js";
import { dnsRecord } from "./dns-common.js";

/**
 * The syslog stamp at the start of a line (`Nov 25 10:00:01`, `Nov  5 …`, or RFC 3339):
 * epoch ms, with the index just after it in st.line… returned as [ms, end] through `out`.
 */
export function syslogTime(line: string, st: ParseState, out: { end: number }): number {
  const c0 = line.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    // RFC 3339: 2026-11-25T10:00:01.123456+00:00
    const sp = line.indexOf(" ");
    if (sp < 0) return NaN;
    out.end = sp;
    return parseIsoMs(line.slice(0, sp));
  }
  if (line.length < 15 || line.charCodeAt(3) !== 32) return NaN;
  const month = monthIndex(line.slice(0, 3));
  const day = line.charCodeAt(4) === 32 ? digits(line, 5, 6) : digits(line, 4, 6);
  if (line.charCodeAt(6) !== 32 || line.charCodeAt(9) !== 58 || line.charCodeAt(12) !== 58) return NaN;
  const h = digits(line, 7, 9);
  const mi = digits(line, 10, 12);
  const s = digits(line, 13, 15);
  if (month < 0 || day < 1 || h < 0 || mi < 0 || s < 0) return NaN;
  let end = 15;
  let ms = 0;
  if (line.charCodeAt(15) === 46) {
    // high-precision stamp "Nov 25 10:00:01.123"
    end = 16;
    while (end < line.length && line.charCodeAt(end) >= 48 && line.charCodeAt(end) <= 57) end++;
    ms = digits(line, 16, Math.min(end, 19));
    if (ms >= 0 && end - 16 < 3) ms *= end - 16 === 1 ? 100 : 10;
  }
  out.end = end;
  return yearlessMs(st, month, day, h, mi, s, ms < 0 ? 0 : ms);
}

const END = { end: 0 };

export function parseDnsmasq(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  const time = syslogTime(line, st, END);
  if (time !== time) return reject("no syslog timestamp");
  const tag = line.indexOf("dnsmasq", END.end);
  if (tag < 0) return reject("not a dnsmasq line");
  const colon = line.indexOf(": ", tag);
  if (colon < 0) return reject("not a dnsmasq line");
  let i = colon + 2;
  const c = line.charCodeAt(i);
  if (c >= 48 && c <= 57) {
    // log-queries=extra: "<serial> <client>/<port> query[A] …"
    const s1 = line.indexOf(" ", i);
    const s2 = s1 < 0 ? -1 : line.indexOf(" ", s1 + 1);
    if (s2 < 0) return "skip";
    i = s2 + 1;
  }
  if (!line.startsWith("query[", i)) return "skip"; // forwarded, reply, cached, config, dhcp…
  const close = line.indexOf("] ", i + 6);
  if (close < 0) return reject("query without a type");
  const from = line.indexOf(" from ", close + 2);
  if (from < 0) return reject("query without a client");
  let client = line.slice(from + 6);
  const slash = client.indexOf("/");
  if (slash > 0) client = client.slice(0, slash);
  return dnsRecord(time, client.trimEnd(), line.slice(close + 2, from), undefined, n);
}

export function looksLikeDnsmasq(line: string): boolean {
  return /^([A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\S+) (\S+ )?dnsmasq(\[\d+\])?: /.test(line);
}
