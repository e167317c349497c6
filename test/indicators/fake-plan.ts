import type { Plan, PlanAppDecision, PlanIndicator } from "@sanction/compiler";

export interface FakeApp {
  name: string;
  domains: string[];
  neverBlock?: boolean;
}

const ALL = { include: undefined, exclude: [] as string[] };

/** A small plan for indicator tests: apps, manual app decisions and manual indicators only. */
export function fakePlan(opts: {
  apps: FakeApp[];
  decisions?: (Partial<PlanAppDecision> & { app: number; tag: PlanAppDecision["tag"] })[];
  indicators?: (Partial<PlanIndicator> & Pick<PlanIndicator, "type" | "value" | "action">)[];
  groups?: string[];
}): Plan {
  return {
    format: "sanction-plan",
    version: 1,
    generator: "test",
    sources: [],
    score: {} as Plan["score"],
    apps: opts.apps.map((a, i) => ({ id: `app${i}`, name: a.name, vendor: "", category: "other", score: 5, domains: a.domains, origin: "workspace", tags: [], neverBlock: a.neverBlock ?? false })),
    appMatcher: "",
    domainIndicatorMatcher: "",
    groups: (opts.groups ?? []).map((name) => ({ name, rules: [] })),
    policies: [],
    appDecisions: (opts.decisions ?? []).map((d, i) => ({ mode: "enforce", scope: ALL, source: `test.sanction:${i + 1}:1`, ...d })),
    indicators: (opts.indicators ?? []).map((d, i) => ({ mode: "enforce", scope: ALL, source: `manual.sanction:${i + 1}:1`, ...d })),
    tests: [],
  } as unknown as Plan;
}
