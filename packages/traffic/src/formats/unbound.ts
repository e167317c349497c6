/**
 * Unbound `log-queries: yes` and `log-replies: yes`:
 * `[1764064801] unbound[123:0] info: 10.0.0.5 www.example.com. A IN` and
 * `[1764064801] unbound[123:0] reply: 10.0.0.5 www.example.com. A IN NOERROR 0.000000 0 45`
 * (`log-time-ascii: yes` writes `Nov 25 10:00:01` instead of `[epoch]`; unbound 1.17 writes reply
 * lines with `info:` too, told apart by their rcode field). A file with reply lines counts each
 * reply (action = rcode) and skips the query lines, so a query is counted once.
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { epochSecondsAt, isIpLiteral, reject, splitSpaces, tokenizeFrom } from "../util.js";
import { dnsRecordAt } from "./dns-common.js";
import { syslogTime } from "./dnsmasq.js";

const END = { end: 0 };

/** Whether a token is a DNS rcode as unbound writes it (NOERROR, NXDOMAIN, SERVFAIL, REFUSED, …). */
function isRcode(s: string): boolean {
  const n = s.length;
  if (n < 4 || n > 12) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

export function parseUnbound(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  let time: number;
  if (line.charCodeAt(0) === 91) {
    const close = line.indexOf("]");
    time = close < 0 ? NaN : epochSecondsAt(line, 1, close);
  } else time = syslogTime(line, st, END);
  if (time !== time) return reject("no [epoch] or syslog timestamp");
  // unbound 1.17 writes replies as "info: ip name type class rcode time cached size"; other
  // versions as "reply: …"
  let m = line.indexOf(" info: ");
  let skip = 7;
  if (m < 0) {
    m = line.indexOf(" reply: ");
    skip = 8;
    if (m < 0) return line.indexOf("unbound") >= 0 ? "skip" : reject("not an unbound line");
  }
  // the fields after the tag, read in place: client, name, type, class, rcode, …
  const s = st.starts;
  const e = st.ends;
  const count = tokenizeFrom(line, m + skip, s, e, 9);
  const client = count > 0 ? line.slice(s[0]!, e[0]!) : "";
  // info lines that are not queries ("start of service", "resolving …") do not start with an IP
  if (count < 4 || !isIpLiteral(client)) return skip === 8 ? reject("reply line without client, name, type and class") : "skip";
  if (count === 4) return st.unboundReplies ? "skip" : dnsRecordAt(time, client, line, s[1]!, e[1]!, undefined, n);
  if (count >= 5 && isRcodeAt(line, s[4]!, e[4]!)) return dnsRecordAt(time, client, line, s[1]!, e[1]!, line.slice(s[4]!, e[4]!), n);
  return skip === 8 ? reject("reply line without an rcode") : "skip";
}

/** isRcode(line.slice(from, to)). */
function isRcodeAt(line: string, from: number, to: number): boolean {
  const n = to - from;
  if (n < 4 || n > 12) return false;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** Whether an unbound line is a reply (`log-replies: yes`): client, name, type, class, rcode, … */
export function isUnboundReply(line: string): boolean {
  const m = line.indexOf(" info: ");
  const m2 = line.indexOf(" reply: ");
  const at = m >= 0 ? m + 7 : m2 >= 0 ? m2 + 8 : -1;
  if (at < 0) return false;
  const f: string[] = [];
  const count = splitSpaces(line.slice(at), f, 9);
  return count >= 5 && isIpLiteral(f[0]!) && isRcode(f[4]!);
}

export function looksLikeUnbound(line: string): boolean {
  return /^(\[\d+\]|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}) unbound\[\d+:\d+\] (info|reply|notice|debug|error|warning): /.test(line);
}
