/**
 * Zeek TSV logs (dns.log, http.log, ssl.log, conn.log, …): `#separator \x09`, `#fields` and
 * other `#` headers, then one record per line. `-` is unset and `(empty)` an empty value.
 * dns: query → host; http: host, uri → url, request_body_len → bytesUp, response_body_len →
 * bytesDown; ssl: server_name → host; conn: id.resp_h → dstIp, orig_bytes/resp_bytes.
 */
import type { ParseState, ZeekLayout } from "../state.js";
import type { LineResult } from "../types.js";
import { parseBytes, reject } from "../util.js";
import { zeekKind, zeekRecord, zeekTime } from "./zeek-common.js";

/** Zeek's `\xNN` escapes. */
export function unescapeZeek(s: string): string {
  if (s.indexOf("\\x") < 0) return s;
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function layout(fields: string[]): ZeekLayout {
  const at = (name: string): number => fields.indexOf(name);
  const l: ZeekLayout = {
    fields,
    kind: zeekKind((f) => fields.includes(f)),
    ts: at("ts"),
    origH: at("id.orig_h"),
    respH: at("id.resp_h"),
    query: at("query"),
    rcodeName: at("rcode_name"),
    host: at("host"),
    uri: at("uri"),
    reqLen: at("request_body_len"),
    respLen: at("response_body_len"),
    status: at("status_code"),
    username: at("username"),
    serverName: at("server_name"),
    origBytes: at("orig_bytes"),
    respBytes: at("resp_bytes"),
    connState: at("conn_state"),
    wanted: new Uint8Array(fields.length),
  };
  for (const k of ["ts", "origH", "respH", "query", "rcodeName", "host", "uri", "reqLen", "respLen", "status", "username", "serverName", "origBytes", "respBytes", "connState"] as const) {
    const i = l[k];
    if (i >= 0) l.wanted[i] = 1;
  }
  return l;
}

function val(f: string[], idx: number): string | undefined {
  if (idx < 0) return undefined;
  const v = f[idx]!;
  return v === "-" || v === "(empty)" || v === "" ? undefined : unescapeZeek(v);
}

function num(f: string[], idx: number): number {
  return idx < 0 ? 0 : parseBytes(f[idx]);
}

function header(line: string, st: ParseState): LineResult {
  if (line.startsWith("#separator ")) {
    const sep = unescapeZeek(line.slice(11));
    if (sep.length === 0) return reject("empty #separator");
    st.zeekSep = sep;
    return "skip";
  }
  if (line.startsWith("#fields")) {
    const names = line.split(st.zeekSep).slice(1);
    if (names.length === 0 || names.indexOf("ts") < 0) return reject("#fields header without ts");
    st.zeek = layout(names);
  }
  return "skip";
}

export function parseZeekTsv(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  if (line.charCodeAt(0) === 35) return header(line, st);
  const l = st.zeek;
  if (l === undefined) return reject("record before the #fields header");
  const f = st.fields;
  const sep = st.zeekSep;
  const want = l.wanted;
  const expected = want.length;
  let k = 0;
  let i = 0;
  for (;;) {
    const j = line.indexOf(sep, i);
    if (k < expected && want[k] === 1) f[k] = line.slice(i, j < 0 ? line.length : j);
    k++;
    if (j < 0) break;
    i = j + sep.length;
  }
  if (k !== expected) return reject(`expected ${expected} fields, found ${k}`);
  return zeekRecord(
    {
      kind: l.kind,
      time: zeekTime(f[l.ts]),
      origH: val(f, l.origH),
      respH: val(f, l.respH),
      query: val(f, l.query),
      rcodeName: val(f, l.rcodeName),
      host: val(f, l.host),
      uri: val(f, l.uri),
      reqLen: num(f, l.reqLen),
      respLen: num(f, l.respLen),
      status: val(f, l.status),
      username: val(f, l.username),
      serverName: val(f, l.serverName),
      origBytes: num(f, l.origBytes),
      respBytes: num(f, l.respBytes),
      connState: val(f, l.connState),
    },
    n,
  );
}

export function looksLikeZeekTsv(line: string): boolean {
  return line.startsWith("#separator ") || line.startsWith("#fields\t");
}
