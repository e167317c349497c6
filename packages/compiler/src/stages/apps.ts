import { tryScoreApp, type CatalogApp, type IndexedCatalog, type ScoreConfig } from "@sanction/catalog";
import type { Model } from "@sanction/semantics";
import type { PlanApp } from "../plan.js";
import type { AppFacts } from "../filter-eval.js";

export interface AppsStage {
  readonly apps: PlanApp[];
  /** Same order as `apps`: what filters read. */
  readonly facts: AppFacts[];
  readonly indexById: Map<string, number>;
  readonly indexByName: Map<string, number>;
}

/**
 * Stage "apps": every app of the effective catalog, sorted by id so indexes are stable, with
 * its score under the workspace's score configuration and its declared tags.
 */
export function appsStage(catalog: IndexedCatalog, model: Model, score: ScoreConfig): AppsStage {
  const workspaceNames = new Set(model.apps.filter((a) => !a.override).map((a) => a.name.toLowerCase()));
  const tagsByName = new Map<string, string[]>();
  for (const a of model.apps) tagsByName.set(a.name.toLowerCase(), [...(tagsByName.get(a.name.toLowerCase()) ?? []), ...a.tags]);
  // Filters see manual governance tags too (`app.tags contains unsanctioned`); tags that
  // policies give are not visible to filters, so no policy can depend on another's outcome.
  const manualTags = new Map<string, string[]>();
  const TAG_OF: Record<string, string> = { sanction: "sanctioned", unsanction: "unsanctioned", monitor: "monitored" };
  for (const d of model.decisions) {
    if (d.target !== "app") continue;
    const key = d.value.toLowerCase();
    manualTags.set(key, [...(manualTags.get(key) ?? []), TAG_OF[d.verb]!]);
  }
  const list: CatalogApp[] = [...catalog.apps()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const apps: PlanApp[] = [];
  const facts: AppFacts[] = [];
  const indexById = new Map<string, number>();
  const indexByName = new Map<string, number>();
  for (const app of list) {
    const s = tryScoreApp(app, score);
    const tags = [...new Set(tagsByName.get(app.name.toLowerCase()) ?? [])].sort();
    indexById.set(app.id, apps.length);
    indexByName.set(app.name.toLowerCase(), apps.length);
    apps.push({
      id: app.id,
      name: app.name,
      vendor: app.vendor,
      category: app.category,
      score: s === undefined ? null : round(s),
      domains: [...app.domains],
      origin: app.origin === "workspace" || workspaceNames.has(app.name.toLowerCase()) ? "workspace" : app.origin,
      tags,
      neverBlock: (app as { neverBlock?: boolean }).neverBlock === true,
    });
    facts.push({
      name: app.name,
      vendor: app.vendor,
      category: app.category,
      score: s === undefined ? undefined : round(s),
      hq: app.hq,
      tags: new Set([...tags, ...(manualTags.get(app.name.toLowerCase()) ?? [])]),
      domains: app.domains,
      attributes: app.attributes,
    });
  }
  return { apps, facts, indexById, indexByName };
}

/** Scores are shown and compared at two decimals, so `score in 0..2` means what it shows. */
function round(x: number): number {
  return Math.round(x * 100) / 100;
}
