/**
 * Unbound `log-queries: yes` and `log-replies: yes`:
 * `[1764064801] unbound[123:0] info: 10.0.0.5 www.example.com. A IN` and
 * `[1764064801] unbound[123:0] reply: 10.0.0.5 www.example.com. A IN NOERROR 0.000000 0 45`
 * (`log-time-ascii: yes` writes `Nov 25 10:00:01` instead of `[epoch]`). A file with reply lines
 * counts each reply (action = rcode) and skips the query lines, so a query is counted once.
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { epochSecondsToMs, isIpLiteral, reject, splitSpaces } from "../util.js";
import { dnsRecord } from "./dns-common.js";
import { syslogTime } from "./dnsmasq.js";

const END = { end: 0 };

export function parseUnbound(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  let time: number;
  if (line.charCodeAt(0) === 91) {
    const close = line.indexOf("]");
    time = close < 0 ? NaN : epochSecondsToMs(line.slice(1, close));
  } else time = syslogTime(line, st, END);
  if (time !== time) return reject("no [epoch] or syslog timestamp");
  let m = line.indexOf(" reply: ");
  let reply = true;
  if (m < 0) {
    m = line.indexOf(" info: ");
    reply = false;
    if (m < 0) return line.indexOf("unbound") >= 0 ? "skip" : reject("not an unbound line");
  }
  const f = st.fields;
  const count = splitSpaces(line.slice(m + (reply ? 8 : 7)), f, 9);
  // info lines that are not queries ("start of service", "resolving …") do not start with an IP
  if (count < 4 || !isIpLiteral(f[0]!)) return reply ? reject("reply line without client, name, type and class") : "skip";
  if (!reply) {
    if (count !== 4) return "skip";
    if (st.unboundReplies) return "skip";
    return dnsRecord(time, f[0]!, f[1]!, undefined, n);
  }
  if (count < 5) return reject("reply line without an rcode");
  return dnsRecord(time, f[0]!, f[1]!, f[4]!, n);
}

export function looksLikeUnbound(line: string): boolean {
  return /^(\[\d+\]|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}) unbound\[\d+:\d+\] (info|reply|notice|debug|error|warning): /.test(line);
}
