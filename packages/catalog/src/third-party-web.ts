import entities from "third-party-web/dist/entities-nostats.json" with { type: "json" };
import { parse } from "tldts";
import { parseDomainPattern, suffixes } from "./hostname.js";
import type { CatalogApp } from "./types.js";

/**
 * Apps from the `third-party-web` package (MIT, © Patrick Hulce; see NOTICE): some 2,000
 * third-party script, ad, analytics and CDN entities seen by the HTTP Archive. They fill the
 * long tail of domains; they carry no risk attributes (every value is unknown).
 */

export interface ThirdPartyWebEntity {
  readonly name: string;
  readonly company?: string;
  readonly homepage?: string;
  readonly category: string;
  readonly domains: readonly string[];
}

/** third-party-web category → our category id. */
export const THIRD_PARTY_WEB_CATEGORIES: Readonly<Record<string, string>> = {
  ad: "advertising",
  analytics: "analytics",
  "tag-manager": "analytics",
  social: "social_network",
  video: "streaming",
  utility: "development_tools",
  hosting: "hosting_services",
  cdn: "hosting_services",
  marketing: "marketing",
  "customer-success": "customer_support",
  content: "news_and_entertainment",
  "consent-provider": "security",
  other: "other",
};

export const THIRD_PARTY_WEB_VERSION = "0.30.0";

/** The raw entities shipped by the package. */
export function thirdPartyWebEntities(): readonly ThirdPartyWebEntity[] {
  return entities as readonly ThirdPartyWebEntity[];
}

/** Lowercase kebab id from a display name: `Google/Doubleclick Ads` → `google-doubleclick-ads`. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * Converts third-party-web entities to apps that do not clash with `curated`:
 * an entity whose name or id a curated app already uses is dropped (curated wins on names);
 * a domain a curated app claims — the same name, or a name inside a curated `*.` subtree — is
 * dropped from the entity (curated wins on domains); an entity left without domains is
 * dropped. Among entities, the first to claim a domain keeps it.
 */
export function thirdPartyWebApps(
  curated: readonly CatalogApp[],
  source: readonly ThirdPartyWebEntity[] = thirdPartyWebEntities(),
): CatalogApp[] {
  const takenIds = new Set(curated.map((a) => a.id));
  const takenNames = new Set<string>();
  const claimed = new Set<string>(); // hosts claimed exactly or as a subtree root
  const subtrees = new Set<string>(); // roots of claimed subtrees
  for (const app of curated) {
    for (const n of [app.name, ...(app.aliases ?? [])]) takenNames.add(n.toLowerCase());
    for (const d of app.domains) {
      const p = parseDomainPattern(d);
      if (!p) continue;
      claimed.add(p.host);
      if (p.subtree) subtrees.add(p.host);
    }
  }
  const coveredByCurated = (host: string) => claimed.has(host) || suffixes(host).some((s) => subtrees.has(s));

  const out: CatalogApp[] = [];
  const tpwClaimed = new Set<string>();
  for (const entity of source) {
    const id = slugify(entity.name);
    if (id === "" || takenIds.has(id) || takenNames.has(entity.name.toLowerCase())) continue;
    const category = THIRD_PARTY_WEB_CATEGORIES[entity.category] ?? "other";
    const domains: string[] = [];
    for (const raw of entity.domains) {
      const d = raw.trim().toLowerCase();
      const p = parseDomainPattern(d);
      if (!p || coveredByCurated(p.host) || tpwClaimed.has(p.host)) continue;
      // skip public suffixes (`*.net.pl`): claiming one would claim everybody's sites. The
      // host is already a valid lowercase name (parseDomainPattern): no URL to take it from,
      // nothing to validate, which makes this a tenth of the cost on every start
      const info = parse(p.host, { allowPrivateDomains: false, extractHostname: false, validateHostname: false });
      if (!info.isIcann || info.domain === null) continue;
      tpwClaimed.add(p.host);
      domains.push(p.subtree ? `*.${p.host}` : p.host);
    }
    if (domains.length === 0) continue;
    takenIds.add(id);
    takenNames.add(entity.name.toLowerCase());
    out.push({
      id,
      name: entity.name,
      vendor: entity.company ?? entity.name,
      category,
      domains,
      attributes: {},
      origin: "third-party-web",
      ...(entity.homepage ? { homepage: entity.homepage } : {}),
      notes: `third-party-web ${THIRD_PARTY_WEB_VERSION}, category "${entity.category}"`,
    });
  }
  return out;
}
