/**
 * Squid `common` log format (Apache CLF plus Squid's result code):
 * `client ident user [25/Nov/2026:10:00:01 +0000] "GET http://www.dropbox.com/ HTTP/1.1" 200 1234 TCP_MISS:HIER_DIRECT`.
 * The trailing `code:hierarchy` field is optional (plain CLF lines parse too).
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { digits, hasPortNoPath, hostPortIn, schemeEnd, isIpLiteral, makeRecord, monthIndexAt, parseBytesAt, reject, tokenizeRange, urlHost, utcMs } from "../util.js";

/** `25/Nov/2026:10:00:01 +0000` as epoch ms, or NaN. */
export function parseClfTime(s: string): number {
  return parseClfTimeAt(s, 0, s.length);
}

/** parseClfTime(line.slice(from, to)) without the slice. */
function parseClfTimeAt(line: string, from: number, to: number): number {
  const len = to - from;
  if (len < 20) return NaN;
  const day = digits(line, from, from + 2);
  const month = monthIndexAt(line, from + 3);
  const year = digits(line, from + 7, from + 11);
  const h = digits(line, from + 12, from + 14);
  const mi = digits(line, from + 15, from + 17);
  const sec = digits(line, from + 18, from + 20);
  if (line.charCodeAt(from + 2) !== 47 || line.charCodeAt(from + 6) !== 47 || line.charCodeAt(from + 11) !== 58 || day < 0 || month < 0 || year < 0 || h < 0 || mi < 0 || sec < 0) return NaN;
  let offset = 0;
  if (len > 20) {
    if (len !== 26 || line.charCodeAt(from + 20) !== 32) return NaN;
    const sign = line.charCodeAt(from + 21);
    const oh = digits(line, from + 22, from + 24);
    const om = digits(line, from + 24, from + 26);
    if ((sign !== 43 && sign !== 45) || oh < 0 || om < 0) return NaN;
    offset = (sign === 43 ? 1 : -1) * (oh * 60 + om);
  }
  return utcMs(year, month, day, h, mi, sec, 0) - offset * 60_000;
}

/** Field boundaries of the current line: before the time, in the request, after it (parsers never nest). */
const PRE_FROM = new Int32Array(4);
const PRE_TO = new Int32Array(4);
const REQ_FROM = new Int32Array(4);
const REQ_TO = new Int32Array(4);
const POST_FROM = new Int32Array(4);
const POST_TO = new Int32Array(4);

/** The fields are read in place: only the values that go into the record are sliced. */
export function parseSquidCommon(line: string, _st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  const open = line.indexOf(" [");
  const close = open < 0 ? -1 : line.indexOf("] ", open + 2);
  if (open < 0 || close < 0) return reject("no [time] field");
  const pre = tokenizeRange(line, 0, open, PRE_FROM, PRE_TO, 4);
  if (pre !== 3) return reject(`expected client, ident and user before the time, found ${pre} fields`);
  const time = parseClfTimeAt(line, open + 2, close);
  if (time !== time) return reject("invalid timestamp");
  const q1 = line.indexOf('"', close + 1);
  const q2 = q1 < 0 ? -1 : line.indexOf('"', q1 + 1);
  if (q1 < 0 || q2 < 0) return reject('no "request" field');
  const rc = tokenizeRange(line, q1 + 1, q2, REQ_FROM, REQ_TO, 4);
  if (rc < 2) return reject("request has no URL");
  const tc = tokenizeRange(line, q2 + 1, line.length, POST_FROM, POST_TO, 4);
  if (tc < 2) return reject("expected status and bytes after the request");
  const bytes = parseBytesAt(line, POST_FROM[1]!, POST_TO[1]!);
  if (bytes < 0) return reject("invalid byte count");
  const s0 = POST_FROM[0]!;
  const s1 = POST_TO[0]!;
  const dash = s1 - s0 === 1 && line.charCodeAt(s0) === 45;
  if ((s1 - s0 !== 3 || digits(line, s0, s1) < 0) && !dash) return reject("invalid status");
  const status = line.slice(s0, s1);
  let action = status;
  if (tc >= 3) {
    const c0 = POST_FROM[2]!;
    const c1 = POST_TO[2]!;
    const colon = line.indexOf(":", c0);
    action = line.slice(c0, colon >= 0 && colon < c1 ? colon : c1) + "/" + status;
  }
  const u0 = REQ_FROM[1]!;
  const u1 = REQ_TO[1]!;
  // Squid's own record of a failed transaction (error:invalid-request…): no request, no destination
  if (u1 - u0 >= 6 && line.startsWith("error:", u0)) return "skip";
  let url: string | undefined;
  let host: string | undefined;
  const scheme = schemeEnd(line, u0, u1);
  if (scheme > u0) {
    url = line.slice(u0, u1);
    host = urlHost(line, scheme + 3, u1);
  } else if ((REQ_TO[0]! - REQ_FROM[0]! === 7 && line.startsWith("CONNECT", REQ_FROM[0]!)) || hasPortNoPath(line, u0, u1)) host = hostPortIn(line, u0, u1);
  else return reject("URL has no host");
  if (host === undefined) return reject("invalid host in URL");
  const userDash = PRE_TO[2]! - PRE_FROM[2]! === 1 && line.charCodeAt(PRE_FROM[2]!) === 45;
  const identDash = PRE_TO[1]! - PRE_FROM[1]! === 1 && line.charCodeAt(PRE_FROM[1]!) === 45;
  const user = !userDash ? line.slice(PRE_FROM[2]!, PRE_TO[2]!) : !identDash ? line.slice(PRE_FROM[1]!, PRE_TO[1]!) : undefined;
  const client = line.slice(PRE_FROM[0]!, PRE_TO[0]!);
  const clientIp = isIpLiteral(client) ? client : undefined;
  if (isIpLiteral(host)) return makeRecord(time, user, client, clientIp, undefined, host, url, 0, bytes, action, n);
  return makeRecord(time, user, client, clientIp, host, undefined, url, 0, bytes, action, n);
}

const COMMON = /^\S+ \S+ \S+ \[\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "[A-Z]+ \S+( HTTP\/[\d.]+)?" (\d{3}|-) \d+/;

export function looksLikeSquidCommon(line: string): boolean {
  return COMMON.test(line);
}
