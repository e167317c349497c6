/**
 * Squid native access.log (`logformat squid`):
 * `time elapsed client code/status bytes method URL user hierarchy/peer type`, e.g.
 * `1764064801.123    145 10.0.0.5 TCP_TUNNEL/200 5123 CONNECT www.dropbox.com:443 ann HIER_DIRECT/162.125.1.18 -`.
 * bytes are bytes sent to the client (bytesDown); CONNECT lines have `host:port` for a URL.
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { countAt, epochMsAt, hasPortNoPath, hostPortIn, schemeEnd, isIpLiteral, makeRecord, memoAddress, memoSlice, reject, splitSpaces, tokenizeRange, urlHost } from "../util.js";

export function parseSquidNative(line: string, st: ParseState, n: number): LineResult {
  return parseSquidNativeIn(line, 0, line.length, st, n);
}

/**
 * parseSquidNative of the line `text[from, to)` (no line break), read in place: the reader gives
 * it its lines inside the decoded block, so no string is made for the line itself.
 */
export function parseSquidNativeIn(line: string, from: number, to: number, st: ParseState, n: number): LineResult {
  if (to === from) return "skip";
  const s = st.starts;
  const e = st.ends;
  const count = tokenizeRange(line, from, to, s, e, 10); // the 10th field and anything after it: one token (only its presence matters)
  if (count < 10) return count === 0 ? "skip" : reject(`expected 10 fields, found ${count}`);
  const time = epochMsAt(line, s[0]!, e[0]!);
  if (time !== time) return reject("invalid timestamp");
  const action = memoSlice(st.memo, 0, line, s[3]!, e[3]!);
  if (action.indexOf("/") < 0) return reject("invalid result code, expected CODE/status");
  const bytes = countAt(line, s[4]!, e[4]!);
  if (bytes < 0) return reject("invalid byte count");
  const u0 = s[6]!;
  const u1 = e[6]!;
  // Squid's own record of a failed transaction (error:invalid-request…): no request, no destination
  if (line.startsWith("error:", u0) && u1 - u0 >= 6) return "skip";
  // The host is read from the line in place (no slice of the URL field unless it is needed).
  let url: string | undefined;
  let host: string | undefined;
  const scheme = schemeEnd(line, u0, u1);
  if (scheme > u0) {
    url = line.slice(u0, u1);
    host = urlHost(line, scheme + 3, u1);
  } else if ((e[5]! - s[5]! === 7 && line.startsWith("CONNECT", s[5]!)) || hasPortNoPath(line, u0, u1)) host = hostPortIn(line, u0, u1);
  else return reject("URL has no host");
  if (host === undefined) return reject("invalid host in URL");
  const client = line.slice(s[2]!, e[2]!);
  const clientIp = isIpLiteral(client) ? client : undefined; // log_fqdn writes names
  const user = e[7]! - s[7]! === 1 && line.charCodeAt(s[7]!) === 45 ? undefined : memoSlice(st.memo, 2, line, s[7]!, e[7]!);
  // the peer is often the same from line to line: memoAddress keeps it and whether it is an address
  const slash = line.indexOf("/", s[8]!);
  const dstIp = slash >= 0 && slash < e[8]! - 1 ? memoAddress(st, 1, line, slash + 1, e[8]!) : undefined;
  if (isIpLiteral(host)) return makeRecord(time, user, client, clientIp, undefined, host, url, 0, bytes, action, n);
  return makeRecord(time, user, client, clientIp, host, dstIp, url, 0, bytes, action, n);
}

/** Whether a line looks like Squid native: epoch.millis, elapsed, client, CODE/status. */
export function looksLikeSquidNative(line: string): boolean {
  const f: string[] = [];
  const c = splitSpaces(line, f, 11);
  return c >= 10 && /^\d{9,11}\.\d{3}$/.test(f[0]!) && /^\d+$/.test(f[1]!) && /^[A-Z_]+\/\d{3}$/.test(f[3]!) && /^\d+$/.test(f[4]!);
}
