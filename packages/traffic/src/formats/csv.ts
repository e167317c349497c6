/**
 * Any other CSV log, through a CsvMapping (header names or 0-based indexes for time, user,
 * device, srcIp, host, dstIp, url, bytesUp, bytesDown, action). Without a mapping the columns
 * are guessed from common header names (time/timestamp/date, user/username, device/hostname,
 * src_ip, host/domain, dst_ip, url, bytes_up/bytes_sent, bytes_down/bytes_received, action…).
 */
import { splitCsv } from "../csv-split.js";
import type { CsvLayout, ParseState } from "../state.js";
import type { CsvColumn, CsvMapping, LineResult } from "../types.js";
import { isIpLiteral, makeRecord, normHost, normIp, parseAnyTime, parseBytes, reject, urlHostPart } from "../util.js";

type Key = "time" | "user" | "device" | "srcIp" | "host" | "dstIp" | "url" | "bytesUp" | "bytesDown" | "action";
const KEYS: readonly Key[] = ["time", "user", "device", "srcIp", "host", "dstIp", "url", "bytesUp", "bytesDown", "action"];

/** Header names (lowercase, letters and digits only) recognised for each field, most specific first. */
export const CSV_SYNONYMS: Readonly<Record<Key, readonly string[]>> = {
  time: ["time", "timestamp", "datetime", "date", "ts", "eventtime", "timegenerated", "receivetime", "generatedtime", "logtime", "starttime"],
  user: ["user", "username", "userprincipalname", "upn", "account", "accountname", "suser", "srcuser", "login"],
  device: ["device", "devicename", "computer", "computername", "machine", "machinename", "clienthost", "srchost", "shost", "workstation"],
  srcIp: ["srcip", "sourceip", "clientip", "src", "source", "sourceaddress", "clientaddress", "localip", "cip", "ip"],
  host: ["host", "domain", "dsthost", "desthost", "destinationhost", "dhost", "fqdn", "server", "servername", "sni", "site", "remotehost", "hostheader", "hostname", "query", "qname"],
  dstIp: ["dstip", "destip", "destinationip", "dst", "destination", "destinationaddress", "serverip", "remoteip", "sip"],
  url: ["url", "uri", "requesturl", "requesturi", "remoteurl", "fullurl"],
  bytesUp: ["bytesup", "bytesout", "bytessent", "sentbytes", "uploaded", "upload", "upbytes", "requestbytes", "csbytes", "sent"],
  bytesDown: ["bytesdown", "bytesin", "bytesreceived", "receivedbytes", "downloaded", "download", "downbytes", "responsebytes", "scbytes", "received", "bytes"],
  action: ["action", "result", "disposition", "verdict", "status", "statuscode", "decision"],
};

function norm(name: string): string {
  let s = name.trim().toLowerCase();
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return s.replace(/[^a-z0-9]/g, "");
}

/** Resolve a mapping (or guess one) against a header row; `header` undefined for index-only mappings. */
export function csvLayout(mapping: CsvMapping | undefined, header: readonly string[] | undefined, columns: number): CsvLayout {
  const names = new Map<string, number>();
  if (header) header.forEach((h, i) => { const k = norm(h); if (!names.has(k)) names.set(k, i); });
  const resolve = (c: CsvColumn | undefined): number => {
    if (c === undefined) return -1;
    if (typeof c === "number") return Number.isInteger(c) && c >= 0 ? c : -2;
    return names.get(norm(c)) ?? -2;
  };
  const l: CsvLayout = { time: -1, user: -1, userAlt: -1, device: -1, srcIp: -1, host: -1, dstIp: -1, url: -1, bytesUp: -1, bytesDown: -1, action: -1, columns };
  const problems: string[] = [];
  const used = new Set<number>();
  if (mapping && KEYS.some((k) => mapping[k] !== undefined)) {
    for (const k of KEYS) {
      const i = resolve(mapping[k]);
      if (i === -2) problems.push(`column ${JSON.stringify(mapping[k])} for ${k} is not in the header`);
      else l[k] = i;
    }
  } else {
    for (const k of KEYS) {
      for (const syn of CSV_SYNONYMS[k]) {
        const i = names.get(syn);
        if (i !== undefined && !used.has(i)) {
          l[k] = i;
          used.add(i);
          break;
        }
      }
    }
  }
  if (l.time < 0 && problems.length === 0) problems.push("no time column (map one with csv.time)");
  if (l.host < 0 && l.url < 0 && l.dstIp < 0 && problems.length === 0) problems.push("no host, url or dstIp column (map one with csv.host, csv.url or csv.dstIp)");
  if (problems.length) l.problem = "csv mapping: " + problems.join("; ");
  return l;
}

function field(f: string[], i: number, count: number): string | undefined {
  if (i < 0 || i >= count) return undefined;
  const v = f[i]!;
  return v === "" || v === "-" ? undefined : v;
}

export function parseCsv(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  const m = st.csvMapping;
  const delim = st.csvDelimiter.charCodeAt(0);
  const f = st.fields;
  const count = splitCsv(line, delim, f);
  if (count < 0) return reject("unterminated quoted field");
  if (st.csv === undefined) {
    const hasHeader = m?.header ?? true;
    if (hasHeader) {
      if (count === 1 && f[0]!.trim() === "") return "skip";
      st.csv = csvLayout(m, f.slice(0, count), count);
      return "skip";
    }
    st.csv = csvLayout(m, undefined, count);
  }
  const l = st.csv;
  if (l.problem !== undefined) return reject(l.problem);
  const ts = field(f, l.time, count);
  if (ts === undefined) return reject(count <= l.time ? `expected at least ${l.time + 1} columns, found ${count}` : "empty time");
  const time = parseAnyTime(ts, m?.timeFormat ?? "auto");
  if (time !== time) return reject("invalid time");
  const up = parseBytes(field(f, l.bytesUp, count));
  const down = parseBytes(field(f, l.bytesDown, count));
  if (up < 0 || down < 0) return reject("invalid byte count");
  const url = field(f, l.url, count);
  let rawHost = field(f, l.host, count);
  if (rawHost !== undefined && rawHost.indexOf("://") > 0) rawHost = urlHostPart(rawHost);
  if (rawHost === undefined && url !== undefined) rawHost = url.indexOf("://") > 0 ? urlHostPart(url) : url.split("/")[0];
  let host: string | undefined;
  let dstIp = normIp(field(f, l.dstIp, count));
  if (rawHost !== undefined) {
    host = normHost(rawHost);
    if (host === undefined) return reject("invalid host");
    if (isIpLiteral(host)) {
      if (dstIp === undefined) dstIp = host;
      host = undefined;
    }
  }
  if (host === undefined && dstIp === undefined) return reject("no destination: host, url and dstIp are empty");
  const srcIp = normIp(field(f, l.srcIp, count));
  const device = field(f, l.device, count) ?? srcIp;
  return makeRecord(time, field(f, l.user, count), device, srcIp, host, dstIp, url !== undefined && url.indexOf("://") > 0 ? url : undefined, up, down, field(f, l.action, count), n);
}

/** Whether a first line is a CSV header from which a usable mapping can be guessed. */
export function looksLikeCsvHeader(line: string): boolean {
  if (line.indexOf(",") < 0) return false;
  const f: string[] = [];
  const count = splitCsv(line, 44, f);
  if (count < 2) return false;
  return csvLayout(undefined, f.slice(0, count), count).problem === undefined;
}
