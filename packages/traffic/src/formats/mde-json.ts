/**
 * Defender for Endpoint DeviceNetworkEvents as JSON: an array of objects (Advanced Hunting API
 * and portal exports; the reader streams it element by element, `line` = 1-based element index)
 * or one object per line. Streaming API records (`{"properties": {…}}`) are unwrapped.
 */
import type { ParseState } from "../state.js";
import type { LineResult } from "../types.js";
import { parseIsoMs, reject } from "../util.js";
import { parseJsonObject, str, trimJsonLine } from "./json.js";
import { MDE_COLUMNS, mdeRecord } from "./mde-common.js";

/** A DeviceNetworkEvents record from one JSON object's text. */
export function parseMdeJson(line: string, _st: ParseState, n: number): LineResult {
  const text = trimJsonLine(line);
  if (text.length === 0) return "skip"; // "[" or "]" alone on a line
  if (text.charCodeAt(0) !== 123) return reject("not a JSON object");
  const parsed = parseJsonObject(text);
  if (typeof parsed === "string") return reject(parsed);
  let o = parsed;
  const props = o["properties"];
  if (o["Timestamp"] === undefined && props !== null && typeof props === "object" && !Array.isArray(props)) o = props as Record<string, unknown>;
  const ts = str(o, MDE_COLUMNS.time[0]) ?? str(o, MDE_COLUMNS.time[1]);
  if (ts === undefined) return reject("no Timestamp");
  return mdeRecord(
    parseIsoMs(ts),
    str(o, MDE_COLUMNS.upn),
    str(o, MDE_COLUMNS.account),
    str(o, MDE_COLUMNS.device),
    str(o, MDE_COLUMNS.localIp),
    str(o, MDE_COLUMNS.remoteIp),
    str(o, MDE_COLUMNS.remoteUrl),
    str(o, MDE_COLUMNS.action),
    n,
  );
}

export function looksLikeMdeJson(line: string): boolean {
  const s = line.trimStart();
  return (s.startsWith("{") || s.startsWith("[")) && /"(Timestamp|TimeGenerated)"\s*:/.test(s) && /"(DeviceName|RemoteUrl|RemoteIP)"\s*:/.test(s);
}
