/** What Zeek TSV and JSON logs share: which log a record comes from and how it maps to a TrafficRecord. */
import type { LineResult } from "../types.js";
import type { ZeekKind } from "../state.js";
import { epochMsAt, isIpLiteral, makeRecord, normHost, normIp, parseIsoMs, reject } from "../util.js";

export type { ZeekKind };

/** Which Zeek log a set of field names belongs to. */
export function zeekKind(has: (field: string) => boolean): ZeekKind {
  if (has("query")) return "dns";
  if (has("uri") || has("status_code") || has("request_body_len")) return "http";
  if (has("server_name") || has("cipher")) return "ssl";
  if (has("orig_bytes") || has("conn_state")) return "conn";
  return "other";
}

/** Which Zeek log a JSON record belongs to. */
export function zeekKindOf(o: Record<string, unknown>): ZeekKind {
  if (o["query"] !== undefined) return "dns";
  if (o["uri"] !== undefined || o["status_code"] !== undefined || o["request_body_len"] !== undefined || o["method"] !== undefined) return "http";
  if (o["server_name"] !== undefined || o["cipher"] !== undefined || o["version"] !== undefined) return "ssl";
  if (o["orig_bytes"] !== undefined || o["conn_state"] !== undefined) return "conn";
  return "other";
}

/** Zeek's `ts`: epoch seconds with a fraction, or ISO 8601 when the log was written that way. */
export function zeekTime(ts: string | number | undefined): number {
  if (typeof ts === "number") return Number.isFinite(ts) ? Math.round(ts * 1000) : NaN;
  if (ts === undefined) return NaN;
  return ts.length > 10 && ts.charCodeAt(4) === 45 ? parseIsoMs(ts) : epochMsAt(ts, 0, ts.length);
}

/** Values of one Zeek record, already unset-filtered (undefined for `-`, `(empty)` or absent). */
export interface ZeekValues {
  kind: ZeekKind;
  time: number;
  origH: string | undefined;
  respH: string | undefined;
  query: string | undefined;
  rcodeName: string | undefined;
  host: string | undefined;
  uri: string | undefined;
  reqLen: number;
  respLen: number;
  status: string | undefined;
  username: string | undefined;
  serverName: string | undefined;
  origBytes: number;
  respBytes: number;
  connState: string | undefined;
}

/** A TrafficRecord from one Zeek record. */
export function zeekRecord(v: ZeekValues, n: number): LineResult {
  if (v.time !== v.time) return reject("invalid ts");
  const src = normIp(v.origH);
  const resp = normIp(v.respH);
  switch (v.kind) {
    case "dns": {
      if (v.query === undefined) return reject("dns record without a query");
      const h = normHost(v.query);
      if (h === undefined) return reject("invalid query name");
      if (isIpLiteral(h)) return makeRecord(v.time, undefined, src, src, undefined, h, undefined, 0, 0, v.rcodeName, n);
      return makeRecord(v.time, undefined, src, src, h, undefined, undefined, 0, 0, v.rcodeName, n);
    }
    case "http": {
      if (v.reqLen < 0 || v.respLen < 0) return reject("invalid body length");
      let host: string | undefined;
      let url: string | undefined;
      if (v.host !== undefined) {
        host = normHost(v.host);
        if (host === undefined) return reject("invalid host");
        if (isIpLiteral(host)) host = undefined;
      }
      if (v.uri !== undefined) {
        if (v.uri.indexOf("://") > 0) url = v.uri;
        else if (v.host !== undefined) url = "http://" + v.host + (v.uri.charCodeAt(0) === 47 ? v.uri : "/" + v.uri);
      }
      if (host === undefined && resp === undefined) return reject("http record without host or id.resp_h");
      return makeRecord(v.time, v.username, src, src, host, resp, url, v.reqLen, v.respLen, v.status, n);
    }
    case "ssl": {
      let host: string | undefined;
      if (v.serverName !== undefined) {
        host = normHost(v.serverName);
        if (host === undefined) return reject("invalid server_name");
        if (isIpLiteral(host)) host = undefined;
      }
      if (host === undefined && resp === undefined) return reject("ssl record without server_name or id.resp_h");
      return makeRecord(v.time, undefined, src, src, host, resp, undefined, 0, 0, undefined, n);
    }
    default: {
      if (v.origBytes < 0 || v.respBytes < 0) return reject("invalid byte count");
      if (resp === undefined) return reject("record without id.resp_h");
      return makeRecord(v.time, undefined, src, src, undefined, resp, undefined, v.origBytes, v.respBytes, v.connState, n);
    }
  }
}
