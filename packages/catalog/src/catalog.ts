import { ATTRIBUTES } from "./attributes.js";
import { CATEGORIES } from "./categories.js";
import { normalizeHost, parseDomainPattern } from "./hostname.js";
import type { AttributeDef, Catalog, CatalogApp, CategoryDef } from "./types.js";

export interface CreateCatalogOptions {
  /** Defaults to the built-in `CATEGORIES`. */
  readonly categories?: readonly CategoryDef[];
  /** Defaults to the built-in `ATTRIBUTES`. */
  readonly attributes?: readonly AttributeDef[];
}

/** A catalog with its indexes built: every lookup is a map access. */
export interface IndexedCatalog extends Catalog {
  appForHost(host: string): CatalogApp | undefined;
  /** Apps of one category, in catalog order. */
  appsInCategory(categoryId: string): readonly CatalogApp[];
  /** The domain pattern (`*.dropbox.com` or `www.example.com`) that attributed `host`, with its app. */
  matchHost(host: string): { readonly app: CatalogApp; readonly pattern: string } | undefined;
}

interface DomainSlot {
  exact?: CatalogApp;
  subtree?: CatalogApp;
}

/**
 * Builds a catalog over `apps`. On conflicts the first app wins: an id, a name or a domain
 * already taken by an earlier app is ignored for the later one (put curated apps first).
 * Use `lintApps` to report such conflicts.
 */
export function createCatalog(apps: readonly CatalogApp[], opts: CreateCatalogOptions = {}): IndexedCatalog {
  const categories = opts.categories ?? CATEGORIES;
  const attributes = opts.attributes ?? ATTRIBUTES;
  const byId = new Map<string, CatalogApp>();
  const byName = new Map<string, CatalogApp>();
  const byCategory = new Map<string, CatalogApp[]>();
  const domains = new Map<string, DomainSlot>();
  const list: CatalogApp[] = [];

  for (const app of apps) {
    if (byId.has(app.id)) continue;
    byId.set(app.id, app);
    list.push(app);
    for (const name of [app.name, ...(app.aliases ?? [])]) {
      const key = name.toLowerCase();
      if (!byName.has(key)) byName.set(key, app);
    }
    let inCat = byCategory.get(app.category);
    if (!inCat) byCategory.set(app.category, (inCat = []));
    inCat.push(app);
    for (const d of app.domains) {
      const pattern = parseDomainPattern(d);
      if (!pattern) continue;
      let slot = domains.get(pattern.host);
      if (!slot) domains.set(pattern.host, (slot = {}));
      if (pattern.subtree) slot.subtree ??= app;
      else slot.exact ??= app;
    }
  }

  const categoryById = new Map(categories.map((c) => [c.id, c]));
  const attributeById = new Map(attributes.map((a) => [a.id, a]));

  /**
   * Where `input` is attributed: the host itself (an exact pattern, or a subtree rooted at it),
   * then each parent name, longest first. Returns the slot's app and the matched name, or
   * undefined. Allocation-free apart from the suffix strings: it runs once per lookup.
   */
  let matched = "";
  let matchedSubtree = false;
  function find(input: string): CatalogApp | undefined {
    const host = normalizeHost(input);
    if (host === undefined) return undefined;
    let at = 0;
    for (;;) {
      const suffix = at === 0 ? host : host.slice(at);
      const slot = domains.get(suffix);
      if (slot) {
        if (at === 0 && slot.exact) {
          matched = suffix;
          matchedSubtree = false;
          return slot.exact;
        }
        if (slot.subtree) {
          matched = suffix;
          matchedSubtree = true;
          return slot.subtree;
        }
      }
      const dot = host.indexOf(".", at);
      if (dot < 0) return undefined;
      at = dot + 1;
    }
  }

  function matchHost(input: string): { app: CatalogApp; pattern: string } | undefined {
    const app = find(input);
    return app ? { app, pattern: matchedSubtree ? `*.${matched}` : matched } : undefined;
  }

  return {
    categories,
    attributes,
    findApp: (name) => byName.get(name.trim().toLowerCase()),
    findAppById: (id) => byId.get(id),
    apps: () => list,
    findCategory: (id) => categoryById.get(id),
    findAttribute: (id) => attributeById.get(id),
    appForHost: find,
    matchHost,
    appsInCategory: (id) => byCategory.get(id) ?? [],
  };
}
