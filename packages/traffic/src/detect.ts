import { looksLikeBind } from "./formats/bind.js";
import { looksLikeCsvHeader } from "./formats/csv.js";
import { looksLikeDnsmasq } from "./formats/dnsmasq.js";
import { looksLikeMdeCsv } from "./formats/mde-csv.js";
import { looksLikeMdeJson } from "./formats/mde-json.js";
import { looksLikeSquidCommon } from "./formats/squid-common.js";
import { looksLikeSquidNative } from "./formats/squid-native.js";
import { looksLikeUnbound } from "./formats/unbound.js";
import { looksLikeZeekJson } from "./formats/zeek-json.js";
import { looksLikeZeekTsv } from "./formats/zeek-tsv.js";
import type { TrafficFormat } from "./types.js";

/** How many first lines detection looks at. */
export const DETECT_LINES = 50;

const LINE_TESTS: readonly [TrafficFormat, (line: string) => boolean][] = [
  ["zeek-tsv", looksLikeZeekTsv],
  ["mde-csv", looksLikeMdeCsv],
  ["squid-native", looksLikeSquidNative],
  ["squid-common", looksLikeSquidCommon],
  ["unbound", looksLikeUnbound],
  ["bind", looksLikeBind],
  ["dnsmasq", looksLikeDnsmasq],
  ["zeek-json", looksLikeZeekJson],
  ["mde-json", looksLikeMdeJson],
];

/**
 * The format of a log from its first lines (up to DETECT_LINES are looked at), or undefined.
 * Each format is recognised by lines only it writes; the format matching the most lines wins, so
 * a few malformed lines do not change the answer. A generic CSV is recognised by a header row
 * from which a column mapping can be guessed.
 */
export function detectFormat(firstLines: readonly string[]): TrafficFormat | undefined {
  const lines: string[] = [];
  for (const raw of firstLines.slice(0, DETECT_LINES)) {
    let l = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (l.charCodeAt(0) === 0xfeff) l = l.slice(1);
    if (l.trim().length > 0) lines.push(l.length > 65536 ? l.slice(0, 65536) : l);
  }
  if (lines.length === 0) return undefined;
  const first = lines[0]!.trimStart();
  // JSON documents may be pretty-printed: judge the text, not single lines
  if (first.startsWith("[") || (first.startsWith("{") && !looksLikeZeekJson(first) && !looksLikeMdeJson(first))) {
    const text = lines.join("\n");
    if (/"(Timestamp|TimeGenerated)"\s*:/.test(text) && /"(DeviceName|RemoteUrl|RemoteIP)"\s*:/.test(text)) return "mde-json";
    if (/"ts"\s*:/.test(text) && /"id\.orig_h"\s*:/.test(text)) return "zeek-json";
  }
  const score = new Map<TrafficFormat, number>();
  for (const l of lines) {
    for (const [format, test] of LINE_TESTS) {
      let ok = false;
      try {
        ok = test(l);
      } catch {
        ok = false;
      }
      if (ok) {
        score.set(format, (score.get(format) ?? 0) + 1);
        // headers decide alone
        if (format === "zeek-tsv" || format === "mde-csv") return format;
        break;
      }
    }
  }
  let best: TrafficFormat | undefined;
  let bestScore = 0;
  for (const [format, s] of score) {
    if (s > bestScore) {
      best = format;
      bestScore = s;
    }
  }
  if (best !== undefined) return best;
  if (looksLikeCsvHeader(lines[0]!)) return "csv";
  return undefined;
}
