import { parse } from "tldts";
import { ATTRIBUTES } from "./attributes.js";
import { CATEGORIES } from "./categories.js";
import { isValidIpRange, parseDomainPattern } from "./hostname.js";
import type { AttributeDef, AttributeType, CatalogApp, CategoryDef } from "./types.js";

export type CatalogProblemCode =
  | "bad_id"
  | "duplicate_id"
  | "duplicate_name"
  | "unknown_category"
  | "no_domain"
  | "bad_domain"
  | "public_suffix"
  | "duplicate_domain"
  | "domain_conflict"
  | "bad_url"
  | "bad_ip"
  | "bad_hq"
  | "unknown_attribute"
  | "bad_attribute_value"
  | "bad_provenance";

export interface CatalogProblem {
  readonly appId: string;
  readonly code: CatalogProblemCode;
  readonly message: string;
}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(s + "T00:00:00Z");
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function valueFitsType(type: AttributeType, value: unknown): boolean {
  switch (type.kind) {
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return (
        typeof value === "number" &&
        Number.isFinite(value) &&
        (type.min === undefined || value >= type.min) &&
        (type.max === undefined || value <= type.max)
      );
    case "string":
      return typeof value === "string" && value.trim() !== "";
    case "date":
      return typeof value === "string" && isValidDate(value);
    case "enum":
      return typeof value === "string" && type.values.includes(value);
  }
}

/**
 * Checks a list of apps the way the catalog lint test does: ids, names, categories,
 * domains (valid lowercase punycode, not a public suffix, one owner per domain name),
 * URLs, IP ranges, HQ codes, and every known attribute value (type and provenance).
 * Two apps may not claim the same domain name; a domain an app uses but does not own
 * belongs in its `sharedDomains`.
 */
export function lintApps(
  apps: readonly CatalogApp[],
  opts: { categories?: readonly CategoryDef[]; attributes?: readonly AttributeDef[] } = {},
): CatalogProblem[] {
  const categories = new Set((opts.categories ?? CATEGORIES).map((c) => c.id));
  const attributes = new Map((opts.attributes ?? ATTRIBUTES).map((a) => [a.id, a]));
  const problems: CatalogProblem[] = [];
  const ids = new Set<string>();
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  const report = (appId: string, code: CatalogProblemCode, message: string) => problems.push({ appId, code, message });

  const checkPattern = (app: CatalogApp, d: string): string | undefined => {
    const p = parseDomainPattern(d);
    if (!p) {
      report(app.id, "bad_domain", `"${d}" is not a lowercase punycode host name or *.host pattern`);
      return undefined;
    }
    const info = parse(p.host, { allowPrivateDomains: false });
    if (!info.isIcann || info.domain === null) {
      report(app.id, "public_suffix", `"${d}" is a public suffix or has no known top-level domain`);
      return undefined;
    }
    return p.host;
  };

  for (const app of apps) {
    if (!KEBAB.test(app.id)) report(app.id, "bad_id", `id "${app.id}" is not lowercase kebab case`);
    if (ids.has(app.id)) report(app.id, "duplicate_id", `id "${app.id}" is used twice`);
    ids.add(app.id);
    for (const n of [app.name, ...(app.aliases ?? [])]) {
      const key = n.trim().toLowerCase();
      const other = names.get(key);
      if (other !== undefined && other !== app.id) report(app.id, "duplicate_name", `name "${n}" is also used by ${other}`);
      names.set(key, app.id);
    }
    if (!categories.has(app.category)) report(app.id, "unknown_category", `category "${app.category}" is not in the category list`);
    if (app.domains.length === 0) report(app.id, "no_domain", "the app has no domain");
    const mine = new Set<string>();
    for (const d of app.domains) {
      const host = checkPattern(app, d);
      if (host === undefined) continue;
      if (mine.has(host)) report(app.id, "duplicate_domain", `"${host}" is listed twice`);
      mine.add(host);
      const owner = owners.get(host);
      if (owner !== undefined && owner !== app.id) {
        report(app.id, "domain_conflict", `"${d}" is also claimed by ${owner}; declare it in sharedDomains of one of them`);
      } else owners.set(host, app.id);
    }
    for (const d of app.sharedDomains ?? []) {
      const host = checkPattern(app, d);
      if (host !== undefined && mine.has(host)) report(app.id, "duplicate_domain", `"${host}" is both owned and shared`);
    }
    for (const u of app.urls ?? []) {
      let ok = false;
      try {
        const url = new URL(u);
        ok = (url.protocol === "https:" || url.protocol === "http:") && url.hostname === url.hostname.toLowerCase();
      } catch {
        ok = false;
      }
      if (!ok) report(app.id, "bad_url", `"${u}" is not an http(s) URL`);
    }
    for (const ip of app.ips ?? []) if (!isValidIpRange(ip)) report(app.id, "bad_ip", `"${ip}" is not an IP address or CIDR range`);
    if (app.hq !== undefined && !/^[A-Z]{2}$/.test(app.hq)) report(app.id, "bad_hq", `hq "${app.hq}" is not an ISO 3166-1 alpha-2 code`);
    for (const [id, v] of Object.entries(app.attributes)) {
      const def = attributes.get(id);
      if (!def) {
        report(app.id, "unknown_attribute", `"${id}" is not a risk attribute`);
        continue;
      }
      if (!v.known) continue;
      if (!valueFitsType(def.type, v.value)) {
        report(app.id, "bad_attribute_value", `${id} = ${JSON.stringify(v.value)} does not fit type ${def.type.kind}`);
      }
      const prov = (v as { provenance?: { source?: unknown; date?: unknown } }).provenance;
      if (!prov || typeof prov.source !== "string" || prov.source.trim() === "" || typeof prov.date !== "string" || !isValidDate(prov.date)) {
        report(app.id, "bad_provenance", `${id} needs a provenance with a source and a YYYY-MM-DD date`);
      }
    }
  }
  return problems;
}
