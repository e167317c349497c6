/** What the DNS query logs share: a queried name becomes the host, the client the device. */
import type { LineResult } from "../types.js";
import { hostIn, isIpLiteral, makeRecord, normHost, reject } from "../util.js";

/** A record for a DNS query of `name` by `client`. DNS logs carry no byte counts (0). */
export function dnsRecord(time: number, client: string | undefined, name: string, action: string | undefined, n: number): LineResult {
  if (name === ".") return "skip"; // the root zone (priming queries)
  const h = normHost(name);
  if (h === undefined) return reject("invalid query name");
  if (h.indexOf(".") < 0 && !isIpLiteral(h)) return "skip"; // the root, single labels: no application behind them
  const src = client !== undefined && isIpLiteral(client) ? client : undefined;
  if (isIpLiteral(h)) return makeRecord(time, undefined, client, src, undefined, h, undefined, 0, 0, action, n);
  return makeRecord(time, undefined, client, src, h, undefined, undefined, 0, 0, action, n);
}

/** dnsRecord(time, client, line.slice(from, to), action, n), reading the name in place. */
export function dnsRecordAt(time: number, client: string | undefined, line: string, from: number, to: number, action: string | undefined, n: number): LineResult {
  if (to - from === 1 && line.charCodeAt(from) === 46) return "skip"; // the root zone (priming queries)
  const h = hostIn(line, from, to);
  if (h === undefined) return reject("invalid query name");
  if (h.indexOf(".") < 0 && !isIpLiteral(h)) return "skip"; // the root, single labels: no application behind them
  const src = client !== undefined && isIpLiteral(client) ? client : undefined;
  if (isIpLiteral(h)) return makeRecord(time, undefined, client, src, undefined, h, undefined, 0, 0, action, n);
  return makeRecord(time, undefined, client, src, h, undefined, undefined, 0, 0, action, n);
}
