/**
 * Defender for Endpoint DeviceNetworkEvents exported as CSV (Advanced Hunting export): a header
 * row naming the columns (Timestamp, DeviceId, DeviceName, ActionType, RemoteIP, RemotePort,
 * RemoteUrl, LocalIP, …, InitiatingProcessAccountName, InitiatingProcessAccountUpn), RFC 4180
 * quoting. No byte counts (0). Timestamps are ISO 8601.
 */
import { splitCsv } from "../csv-split.js";
import type { CsvLayout, ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { parseIsoMs, reject } from "../util.js";
import { MDE_COLUMNS, mdeRecord } from "./mde-common.js";

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** The column layout when `fields` is a DeviceNetworkEvents header row, else undefined. */
function headerLayout(fields: readonly string[], count: number): CsvLayout | undefined {
  const names = new Map<string, number>();
  for (let i = 0; i < count; i++) names.set(stripBom(fields[i]!).trim().toLowerCase(), i);
  const at = (name: string): number => names.get(name.toLowerCase()) ?? -1;
  const time = Math.max(at(MDE_COLUMNS.time[0]), at(MDE_COLUMNS.time[1]));
  const remoteIp = at(MDE_COLUMNS.remoteIp);
  const remoteUrl = at(MDE_COLUMNS.remoteUrl);
  if (time < 0 || (remoteIp < 0 && remoteUrl < 0)) return undefined;
  return {
    time,
    user: at(MDE_COLUMNS.upn),
    userAlt: at(MDE_COLUMNS.account),
    device: at(MDE_COLUMNS.device),
    srcIp: at(MDE_COLUMNS.localIp),
    host: -1,
    dstIp: remoteIp,
    url: remoteUrl,
    bytesUp: -1,
    bytesDown: -1,
    action: at(MDE_COLUMNS.action),
    columns: count,
  };
}

function field(f: string[], i: number): string | undefined {
  if (i < 0) return undefined;
  const v = f[i]!;
  return v === "" ? undefined : v;
}

export function parseMdeCsv(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  const f = st.fields;
  const count = splitCsv(line, 44, f);
  if (count < 0) return reject("unterminated quoted field");
  const l = st.csv;
  if (l === undefined || (count === l.columns && (f[l.time] === "Timestamp" || f[l.time] === "TimeGenerated"))) {
    const h = headerLayout(f, count);
    if (h !== undefined) {
      st.csv = h;
      return "skip";
    }
    if (l === undefined) return count === 1 && f[0]!.trim() === "" ? "skip" : reject("record before the header row (Timestamp, DeviceName, RemoteIP, RemoteUrl, …)");
  }
  const layout = st.csv!;
  if (count !== layout.columns) return reject(`expected ${layout.columns} columns, found ${count}`);
  const ts = f[layout.time]!;
  return mdeRecord(
    parseIsoMs(ts),
    field(f, layout.user),
    field(f, layout.userAlt),
    field(f, layout.device),
    field(f, layout.srcIp),
    field(f, layout.dstIp),
    field(f, layout.url),
    field(f, layout.action),
    n,
  );
}

export function looksLikeMdeCsv(line: string): boolean {
  const s = stripBom(line);
  return /(^|,)"?(Timestamp|TimeGenerated)"?(,|$)/.test(s) && /(^|,)"?DeviceName"?(,|$)/.test(s) && /(^|,)"?(RemoteIP|RemoteUrl)"?(,|$)/.test(s);
}
