import { buildMatcher, toBase64, type MatcherEntry } from "@sanction/matcher";
import type { PlanApp, PlanIndicator } from "../plan.js";

export interface MatchersStage {
  readonly appMatcher: string;
  readonly domainIndicatorMatcher: string;
  /** Domain patterns claimed by more than one app: the first app (by id) keeps it. */
  readonly shadowed: readonly { readonly pattern: string; readonly kept: string; readonly dropped: string }[];
  readonly appEntries: number;
}

/** Stage "matchers": the domain tries, serialized. */
export function matchersStage(apps: readonly PlanApp[], indicators: readonly PlanIndicator[]): MatchersStage {
  const owner = new Map<string, number>();
  const shadowed: { pattern: string; kept: string; dropped: string }[] = [];
  apps.forEach((app, i) => {
    for (const d of app.domains) {
      const prev = owner.get(d);
      if (prev === undefined) owner.set(d, i);
      else if (prev !== i) shadowed.push({ pattern: d, kept: apps[prev]!.id, dropped: app.id });
    }
  });
  const appEntries: MatcherEntry[] = [...owner.entries()].map(([pattern, value]) => ({ pattern, value }));
  // Domain decisions cover the domain and its subdomains (Defender's rule); several decisions
  // on one domain (different scopes) are resolved by the engine, so the trie points at the first.
  const ind = new Map<string, number>();
  indicators.forEach((x, i) => {
    if (x.type === "domain" && !ind.has("*." + x.value)) ind.set("*." + x.value, i);
  });
  const indEntries: MatcherEntry[] = [...ind.entries()].map(([pattern, value]) => ({ pattern, value }));
  return {
    appMatcher: toBase64(buildMatcher(appEntries)),
    domainIndicatorMatcher: toBase64(buildMatcher(indEntries)),
    shadowed: shadowed.sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0)),
    appEntries: appEntries.length,
  };
}
