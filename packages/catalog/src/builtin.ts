import { createCatalog, type IndexedCatalog } from "./catalog.js";
import { curatedApps } from "./curated.js";
import { CURATED_FILES } from "./generated/curated-data.js";
import { thirdPartyWebApps } from "./third-party-web.js";
import type { CatalogApp } from "./types.js";

let curatedCache: readonly CatalogApp[] | undefined;
let builtin: IndexedCatalog | undefined;

/** The curated apps from `data/*.json`, in file then record order. */
export function builtinCuratedApps(): readonly CatalogApp[] {
  return (curatedCache ??= curatedApps(CURATED_FILES));
}

/**
 * The built-in catalog: curated apps first, then the third-party-web entities that do not
 * clash with them. Built once and memoized.
 */
export function builtinCatalog(): IndexedCatalog {
  if (!builtin) {
    const curated = builtinCuratedApps();
    builtin = createCatalog([...curated, ...thirdPartyWebApps(curated)]);
  }
  return builtin;
}
