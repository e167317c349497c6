/**
 * Squid native access.log (`logformat squid`):
 * `time elapsed client code/status bytes method URL user hierarchy/peer type`, e.g.
 * `1764064801.123    145 10.0.0.5 TCP_TUNNEL/200 5123 CONNECT www.dropbox.com:443 ann HIER_DIRECT/162.125.1.18 -`.
 * bytes are bytes sent to the client (bytesDown); CONNECT lines have `host:port` for a URL.
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { epochSecondsToMs, isIpLiteral, makeRecord, normHost, parseBytes, reject, splitSpaces, urlHostPart } from "../util.js";

export function parseSquidNative(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  const f = st.fields;
  const count = splitSpaces(line, f, 11);
  if (count < 10) return count === 0 ? "skip" : reject(`expected 10 fields, found ${count}`);
  const time = epochSecondsToMs(f[0]!);
  if (time !== time) return reject("invalid timestamp");
  const action = f[3]!;
  if (action.indexOf("/") < 0) return reject("invalid result code, expected CODE/status");
  const bytes = parseBytes(f[4]!);
  if (bytes < 0) return reject("invalid byte count");
  const rawUrl = f[6]!;
  let url: string | undefined;
  let rawHost: string | undefined;
  // Squid's own record of a failed transaction (error:invalid-request…): no request, no destination
  if (rawUrl.startsWith("error:")) return "skip";
  if (rawUrl.indexOf("://") > 0) {
    url = rawUrl;
    rawHost = urlHostPart(rawUrl);
  } else if (f[5] === "CONNECT" || (rawUrl.indexOf(":") > 0 && rawUrl.indexOf("/") < 0)) {
    rawHost = rawUrl;
  } else return reject("URL has no host");
  const host = rawHost === undefined ? undefined : normHost(rawHost);
  if (host === undefined) return reject("invalid host in URL");
  const client = f[2]!;
  const clientIp = isIpLiteral(client) ? client : undefined; // log_fqdn writes names
  const user = f[7]!;
  const hier = f[8]!;
  let dstIp: string | undefined;
  const slash = hier.indexOf("/");
  if (slash >= 0 && slash < hier.length - 1) {
    const peer = hier.slice(slash + 1);
    if (isIpLiteral(peer)) dstIp = peer;
  }
  if (isIpLiteral(host)) return makeRecord(time, user === "-" ? undefined : user, client, clientIp, undefined, host, url, 0, bytes, action, n);
  return makeRecord(time, user === "-" ? undefined : user, client, clientIp, host, dstIp, url, 0, bytes, action, n);
}

/** Whether a line looks like Squid native: epoch.millis, elapsed, client, CODE/status. */
export function looksLikeSquidNative(line: string): boolean {
  const f: string[] = [];
  const c = splitSpaces(line, f, 11);
  return c >= 10 && /^\d{9,11}\.\d{3}$/.test(f[0]!) && /^\d+$/.test(f[1]!) && /^[A-Z_]+\/\d{3}$/.test(f[3]!) && /^\d+$/.test(f[4]!);
}
