/**
 * Squid `common` log format (Apache CLF plus Squid's result code):
 * `client ident user [25/Nov/2026:10:00:01 +0000] "GET http://www.dropbox.com/ HTTP/1.1" 200 1234 TCP_MISS:HIER_DIRECT`.
 * The trailing `code:hierarchy` field is optional (plain CLF lines parse too).
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { digits, isIpLiteral, makeRecord, monthIndex, normHost, parseBytes, reject, splitSpaces, urlHostPart, utcMs } from "../util.js";

/** `25/Nov/2026:10:00:01 +0000` as epoch ms, or NaN. */
export function parseClfTime(s: string): number {
  if (s.length < 20) return NaN;
  const day = digits(s, 0, 2);
  const month = monthIndex(s.slice(3, 6));
  const year = digits(s, 7, 11);
  const h = digits(s, 12, 14);
  const mi = digits(s, 15, 17);
  const sec = digits(s, 18, 20);
  if (s.charCodeAt(2) !== 47 || s.charCodeAt(6) !== 47 || s.charCodeAt(11) !== 58 || day < 0 || month < 0 || year < 0 || h < 0 || mi < 0 || sec < 0) return NaN;
  let offset = 0;
  if (s.length > 20) {
    if (s.length !== 26 || s.charCodeAt(20) !== 32) return NaN;
    const sign = s.charCodeAt(21);
    const oh = digits(s, 22, 24);
    const om = digits(s, 24, 26);
    if ((sign !== 43 && sign !== 45) || oh < 0 || om < 0) return NaN;
    offset = (sign === 43 ? 1 : -1) * (oh * 60 + om);
  }
  return utcMs(year, month, day, h, mi, sec, 0) - offset * 60_000;
}

export function parseSquidCommon(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  const open = line.indexOf(" [");
  const close = open < 0 ? -1 : line.indexOf("] ", open + 2);
  if (open < 0 || close < 0) return reject("no [time] field");
  const f = st.fields;
  const pre = splitSpaces(line.slice(0, open), f, 4);
  if (pre !== 3) return reject(`expected client, ident and user before the time, found ${pre} fields`);
  const client = f[0]!;
  const ident = f[1]!;
  const userField = f[2]!;
  const time = parseClfTime(line.slice(open + 2, close));
  if (time !== time) return reject("invalid timestamp");
  const q1 = line.indexOf('"', close + 1);
  const q2 = q1 < 0 ? -1 : line.indexOf('"', q1 + 1);
  if (q1 < 0 || q2 < 0) return reject('no "request" field');
  const req = line.slice(q1 + 1, q2);
  const rest = line.slice(q2 + 1);
  const rc = splitSpaces(req, f, 4);
  if (rc < 2) return reject("request has no URL");
  const method = f[0]!;
  const rawUrl = f[1]!;
  const tc = splitSpaces(rest, f, 4);
  if (tc < 2) return reject("expected status and bytes after the request");
  const status = f[0]!;
  const bytes = parseBytes(f[1]!);
  if (bytes < 0) return reject("invalid byte count");
  if ((status.length !== 3 || digits(status, 0, 3) < 0) && status !== "-") return reject("invalid status");
  let action = status;
  if (tc >= 3) {
    const colon = f[2]!.indexOf(":");
    action = (colon >= 0 ? f[2]!.slice(0, colon) : f[2]!) + "/" + status;
  }
  let url: string | undefined;
  let rawHost: string | undefined;
  // Squid's own record of a failed transaction (error:invalid-request…): no request, no destination
  if (rawUrl.startsWith("error:")) return "skip";
  if (rawUrl.indexOf("://") > 0) {
    url = rawUrl;
    rawHost = urlHostPart(rawUrl);
  } else if (method === "CONNECT" || (rawUrl.indexOf(":") > 0 && rawUrl.indexOf("/") < 0)) rawHost = rawUrl;
  else return reject("URL has no host");
  const host = rawHost === undefined ? undefined : normHost(rawHost);
  if (host === undefined) return reject("invalid host in URL");
  const user = userField !== "-" ? userField : ident !== "-" ? ident : undefined;
  const clientIp = isIpLiteral(client) ? client : undefined;
  if (isIpLiteral(host)) return makeRecord(time, user, client, clientIp, undefined, host, url, 0, bytes, action, n);
  return makeRecord(time, user, client, clientIp, host, undefined, url, 0, bytes, action, n);
}

const COMMON = /^\S+ \S+ \S+ \[\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "[A-Z]+ \S+( HTTP\/[\d.]+)?" (\d{3}|-) \d+/;

export function looksLikeSquidCommon(line: string): boolean {
  return COMMON.test(line);
}
