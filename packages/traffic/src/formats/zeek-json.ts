/**
 * Zeek JSON logs (`LogAscii::use_json=T`): one object per line with the TSV field names
 * (`"id.orig_h"`, or nested `"id": {"orig_h"}`), `ts` in epoch seconds (or ISO 8601).
 * Unset fields are absent.
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { reject } from "../util.js";
import { count, parseJsonObject, str } from "./json.js";
import { zeekKindOf, zeekRecord, zeekTime } from "./zeek-common.js";

export function parseZeekJson(line: string, _st: ParseState, n: number): LineResult {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (i === line.length) return "skip";
  if (line.charCodeAt(i) !== 123) return reject("not a JSON object");
  const o = parseJsonObject(line);
  if (typeof o === "string") return reject(o);
  const id = o["id"];
  const nested = id !== null && typeof id === "object" ? (id as Record<string, unknown>) : undefined;
  const ts = o["ts"];
  return zeekRecord(
    {
      kind: zeekKindOf(o),
      time: typeof ts === "number" || typeof ts === "string" ? zeekTime(ts) : NaN,
      origH: str(o, "id.orig_h") ?? (nested ? str(nested, "orig_h") : undefined),
      respH: str(o, "id.resp_h") ?? (nested ? str(nested, "resp_h") : undefined),
      query: str(o, "query"),
      rcodeName: str(o, "rcode_name"),
      host: str(o, "host"),
      uri: str(o, "uri"),
      reqLen: count(o, "request_body_len"),
      respLen: count(o, "response_body_len"),
      status: str(o, "status_code"),
      username: str(o, "username"),
      serverName: str(o, "server_name"),
      origBytes: count(o, "orig_bytes"),
      respBytes: count(o, "resp_bytes"),
      connState: str(o, "conn_state"),
    },
    n,
  );
}

export function looksLikeZeekJson(line: string): boolean {
  return line.startsWith("{") && /"ts"\s*:/.test(line) && (line.includes('"uid"') || line.includes('"id.orig_h"'));
}
