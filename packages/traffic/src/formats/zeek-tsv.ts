/**
 * Zeek TSV logs (dns.log, http.log, ssl.log, conn.log, …): `#separator \x09`, `#fields` and
 * other `#` headers, then one record per line. `-` is unset and `(empty)` an empty value.
 * dns: query → host; http: host, uri → url, request_body_len → bytesUp, response_body_len →
 * bytesDown; ssl: server_name → host; conn: id.resp_h → dstIp, orig_bytes/resp_bytes.
 */
import type { ParseState, ZeekLayout } from "../state.js";
import type { LineResult } from "../types.js";
import { epochMsAt, isIpLiteral, makeRecord, normHost, normIp, parseBytes, parseIsoMs, plainHostEnd, reject } from "../util.js";
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

/** Field boundaries of the current line, for the text and the bytes parser (they never nest); grown for wide logs. */
let FROM = new Int32Array(64);
let TO = new Int32Array(64);

function growBounds(expected: number): void {
  if (FROM.length >= expected + 1) return;
  FROM = new Int32Array(2 * expected + 2);
  TO = new Int32Array(2 * expected + 2);
}

/** The field after the last separator, [start, end), recorded like the others; the field count. */
function lastField(k: number, start: number, end: number, expected: number): number {
  if (k < expected) {
    FROM[k] = start;
    TO[k] = end;
  }
  return k + 1;
}

export function parseZeekTsv(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  if (line.charCodeAt(0) === 35) return header(line, st);
  const l = st.zeek;
  if (l === undefined) return reject("record before the #fields header");
  const sep = st.zeekSep;
  if (sep.length !== 1 || l.kind !== "dns") return parseZeekTsvGeneral(line, st, n);
  const expected = l.wanted.length;
  growBounds(expected);
  const from = FROM;
  const to = TO;
  // One pass over the characters, four at a time (an indexOf call per field costs more than the
  // scan): a group without the separator costs one test.
  const sc = sep.charCodeAt(0);
  const len = line.length;
  let k = 0;
  let start = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    if ((((line.charCodeAt(i) ^ sc) - 1) | ((line.charCodeAt(i + 1) ^ sc) - 1) | ((line.charCodeAt(i + 2) ^ sc) - 1) | ((line.charCodeAt(i + 3) ^ sc) - 1)) >= 0) continue;
    for (let j = i; j < i + 4; j++) {
      if (line.charCodeAt(j) !== sc) continue;
      if (k < expected) {
        from[k] = start;
        to[k] = j;
      }
      k++;
      start = j + 1;
    }
  }
  for (; i < len; i++) {
    if (line.charCodeAt(i) !== sc) continue;
    if (k < expected) {
      from[k] = start;
      to[k] = i;
    }
    k++;
    start = i + 1;
  }
  k = lastField(k, start, len, expected);
  if (k !== expected) return reject(`expected ${expected} fields, found ${k}`);
  // dns.log: what zeekRecord does for a dns record, reading the fields in place
  const time = tsAt(line, from[l.ts]!, to[l.ts]!);
  if (time !== time) return reject("invalid ts");
  const src = l.origH < 0 ? undefined : normIp(fieldAt(line, from[l.origH]!, to[l.origH]!));
  if (l.query < 0) return reject("dns record without a query");
  const q0 = from[l.query]!;
  const q1 = to[l.query]!;
  if (unsetAt(line, q0, q1)) return reject("dns record without a query");
  const rcode = l.rcodeName < 0 ? undefined : fieldAt(line, from[l.rcodeName]!, to[l.rcodeName]!);
  return dnsRecord(time, src, line, q0, q1, rcode, n);
}

/** A dns.log `ts` in text[from, to): epoch seconds, or ISO 8601 (Zeek's JSON-style time). */
function tsAt(text: string, from: number, to: number): number {
  return to - from > 10 && text.charCodeAt(from + 4) === 45 ? parseIsoMs(text.slice(from, to)) : epochMsAt(text, from, to);
}

/** The record of a dns.log line whose query is text[q0, q1) (set). */
function dnsRecord(time: number, src: string | undefined, text: string, q0: number, q1: number, rcode: string | undefined, n: number): LineResult {
  // a plain name has no backslash, so no \xNN escape to undo first
  const end = plainHostEnd(text, q0, q1);
  const h = end >= 0 ? text.slice(q0, end) : normHost(unescapeZeek(text.slice(q0, q1)));
  if (h === undefined) return reject("invalid query name");
  if (isIpLiteral(h)) return makeRecord(time, undefined, src, src, undefined, h, undefined, 0, 0, rcode, n);
  return makeRecord(time, undefined, src, src, h, undefined, undefined, 0, 0, rcode, n);
}

const EMPTY_BYTES = Buffer.from("(empty)", "latin1");

/**
 * `parseZeekTsv` on a line given as bytes, `buf[s, e)` (ASCII, no NUL, no line break), for
 * dns.log records: the separators are found in the bytes and only the four fields the record
 * needs are decoded, instead of the whole line; the decoded fields go through the same helpers,
 * so the answer is the same (test/traffic/fast-paths.test.ts). Undefined for what only the
 * text parser reads: headers, other logs, a separator of more than one character.
 */
export function parseZeekTsvBytes(buf: Buffer, s: number, e: number, st: ParseState, n: number): LineResult | undefined {
  if (e === s) return "skip";
  if (buf[s] === 35) return undefined;
  const l = st.zeek;
  const sep = st.zeekSep;
  if (l === undefined || sep.length !== 1 || l.kind !== "dns") return undefined;
  const sc = sep.charCodeAt(0);
  if (sc > 127) return undefined;
  const expected = l.wanted.length;
  growBounds(expected);
  // absolute offsets in `buf`
  const from = FROM;
  const to = TO;
  let k = 0;
  let start = s;
  for (let i = s; i < e; i++) {
    if (buf[i] !== sc) continue;
    if (k < expected) {
      from[k] = start;
      to[k] = i;
    }
    k++;
    start = i + 1;
  }
  k = lastField(k, start, e, expected);
  if (k !== expected) return reject(`expected ${expected} fields, found ${k}`);
  const ts = latin1(buf, from[l.ts]!, to[l.ts]!);
  const time = tsAt(ts, 0, ts.length);
  if (time !== time) return reject("invalid ts");
  const src = l.origH < 0 ? undefined : normIp(fieldBytes(buf, from[l.origH]!, to[l.origH]!));
  if (l.query < 0) return reject("dns record without a query");
  const q0 = from[l.query]!;
  const q1 = to[l.query]!;
  if (unsetBytes(buf, q0, q1)) return reject("dns record without a query");
  const q = latin1(buf, q0, q1);
  const rcode = l.rcodeName < 0 ? undefined : fieldBytes(buf, from[l.rcodeName]!, to[l.rcodeName]!);
  return dnsRecord(time, src, q, 0, q.length, rcode, n);
}

const latin1 = (buf: Buffer, from: number, to: number): string => (buf as Buffer & { latin1Slice(s: number, e: number): string }).latin1Slice(from, to);

/** unsetAt on bytes: empty, `-` or `(empty)`. */
function unsetBytes(buf: Buffer, from: number, to: number): boolean {
  const w = to - from;
  if (w === 0 || (w === 1 && buf[from] === 45)) return true;
  if (w !== 7 || buf[from] !== 40) return false;
  for (let i = 1; i < 7; i++) if (buf[from + i] !== EMPTY_BYTES[i]) return false;
  return true;
}

/** fieldAt on bytes. */
function fieldBytes(buf: Buffer, from: number, to: number): string | undefined {
  return unsetBytes(buf, from, to) ? undefined : unescapeZeek(latin1(buf, from, to));
}

/** Whether line[from, to) is an unset Zeek value: empty, `-` or `(empty)`. */
function unsetAt(line: string, from: number, to: number): boolean {
  const w = to - from;
  return w === 0 || (w === 1 && line.charCodeAt(from) === 45) || (w === 7 && line.startsWith("(empty)", from));
}

/** val() of a field given by its boundaries. */
function fieldAt(line: string, from: number, to: number): string | undefined {
  return unsetAt(line, from, to) ? undefined : unescapeZeek(line.slice(from, to));
}

/** Every Zeek TSV record through zeekRecord: any log kind, any separator (the reference of the dns.log fast path). */
export function parseZeekTsvGeneral(line: string, st: ParseState, n: number): LineResult {
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
