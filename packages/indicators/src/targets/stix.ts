import { createHash } from "node:crypto";
import { cmpStr, type Indicator } from "../model.js";
import { Checker } from "../validate.js";
import { flatView } from "../views.js";
import { isPlainJson, jsonString, TextBuilder } from "./text.js";
import type { Target } from "./types.js";

/** The namespace of Sanction's deterministic STIX ids (a fixed, random UUID). */
const NAMESPACE = "6f1d3f0e-5c4b-4e8a-9b51-2f4a9c7d1e60";

/** RFC 4122 version-5 (SHA-1, name-based) UUID. */
const NAMESPACE_BYTES = Buffer.from(NAMESPACE.replace(/-/g, ""), "hex");

/**
 * Ids of the values seen before: `--watch` renders the same names after every edit, and a
 * SHA-1 per indicator is most of the bundle's cost. Cleared when it grows past any real set.
 */
const idCache = new Map<string, Map<string, Map<string, string>>>();
const ID_CACHE_MAX = 200_000;

/** `uuidV5(`${kind}|${value}|${action}`)`, looked up by kind, action and the value itself (no key to build per indicator). */
function cachedUuid(kind: string, action: string, value: string): string {
  let byAction = idCache.get(kind);
  if (!byAction) idCache.set(kind, (byAction = new Map()));
  let byValue = byAction.get(action);
  if (!byValue) byAction.set(action, (byValue = new Map()));
  let id = byValue.get(value);
  if (id === undefined) {
    if (byValue.size >= ID_CACHE_MAX) byValue.clear();
    byValue.set(value, (id = uuidV5(`${kind}|${value}|${action}`)));
  }
  return id;
}

export function uuidV5(name: string, namespace = NAMESPACE): string {
  const ns = namespace === NAMESPACE ? NAMESPACE_BYTES : Buffer.from(namespace.replace(/-/g, ""), "hex");
  const h = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function pattern(i: Indicator): string {
  if (i.kind === "domain") return `[domain-name:value = '${i.value}']`;
  if (i.kind === "url") return `[url:value = '${i.value}']`;
  return `[${i.value.includes(":") ? "ipv6-addr" : "ipv4-addr"}:value = '${i.value}']`;
}

/**
 * A STIX 2.1 bundle with one `indicator` per Block, Warn and Audit indicator (Allow is an
 * exception, not an indicator of anything). Ids are UUID v5 of the content and every
 * timestamp is the issue date given as input, so the same policies give the same bundle.
 * Values are checked first; a STIX pattern string cannot hold a quote or backslash.
 */
export const stix: Target = {
  name: "stix",
  summary: "STIX 2.1 bundle of indicators",
  grouped: false,
  folder: false,
  render(set, opts) {
    const view = flatView(set, opts.group);
    const c = new Checker("stix");
    const issued = c.date("issue date", opts.issued ?? "2000-01-01");
    const ts = `${issued}T00:00:00.000Z`;
    const notes = [...view.notes];
    // Sorted by the UUID (flat strings; every id has the same prefix, so the order is the ids').
    const objects: { uuid: string; i: Indicator }[] = [];
    for (const i of view.entries) {
      if (i.action === "allow") continue;
      if (i.kind === "domain") c.domain("domain", i.value);
      else if (i.kind === "url") c.url("url", i.value);
      else if (i.value.includes("/")) c.ip("ip", i.value.slice(0, i.value.indexOf("/")));
      else c.ip("ip", i.value);
      if (i.until && i.until <= issued) {
        notes.push({ kind: "expired", message: `stix: ${i.action} ${i.value} (${i.rule}) not written: it expired on ${i.until}, before the issue date ${issued}` });
        continue;
      }
      objects.push({ uuid: cachedUuid(i.kind, i.action, i.value), i });
    }
    c.done();
    objects.sort((a, b) => cmpStr(a.uuid, b.uuid));
    const id = `bundle--${uuidV5(objects.map((o) => `indicator--${o.uuid}`).join("\n") + "\n" + ts)}`;
    // One object per line: diffable, and fast to write for tens of thousands of indicators.
    // Each line is written directly as compact JSON, fields in their fixed order; every value
    // that is not a constant is a JSON string literal, so the text is exactly what serialising
    // the object would give (a test holds the two equal).
    const tsJson = jsonString(ts);
    const text = new TextBuilder();
    text.add(`{"type":"bundle","id":${jsonString(id)},"objects":[`);
    objects.forEach(({ uuid, i }, n) => {
      // A string built only from fields that need no escaping is quoted as it is: testing the
      // short fields is cheaper than testing the long strings built from them.
      const plainHead = isPlainJson(i.action) && isPlainJson(i.value);
      const q = (plain: boolean, x: string) => (plain ? `"${x}"` : jsonString(x));
      const name = q(plainHead && isPlainJson(i.app ?? ""), `${i.action} ${i.value}${i.app ? ` (${i.app})` : ""}`);
      const description = q(plainHead && isPlainJson(i.rule) && isPlainJson(i.source) && isPlainJson(i.note ?? ""), `Sanction ${i.action}: ${i.rule} at ${i.source}.${i.note ? ` ${i.note}` : ""}`);
      text.add(
        `${n ? ",\n" : "\n"}{"type":"indicator","spec_version":"2.1","id":"indicator--${uuid}","created":${tsJson},"modified":${tsJson},"name":${name},"description":${description},` +
          `"indicator_types":["anomalous-activity"],"pattern":${q(plainHead, pattern(i))},"pattern_type":"stix","pattern_version":"2.1","valid_from":${tsJson},` +
          `${i.until ? `"valid_until":${q(isPlainJson(i.until), `${i.until}T00:00:00.000Z`)},` : ""}"labels":[${q(plainHead, `sanction-${i.action}`)}],"x_sanction_action":${q(plainHead, i.action)}}`,
      );
    });
    text.add(objects.length ? "\n]}\n" : "]}\n");
    const content = text.text();
    return { files: [{ name: "sanction.stix.json", content }], notes, count: objects.length };
  },
  entries(files) {
    return files.flatMap((f) => ((JSON.parse(f.content) as { objects?: { pattern?: string; x_sanction_action?: string; valid_until?: string }[] }).objects ?? []).map((o) => `${o.x_sanction_action} ${o.pattern}${o.valid_until ? ` until ${o.valid_until.slice(0, 10)}` : ""}`)).sort(cmpStr);
  },
};
