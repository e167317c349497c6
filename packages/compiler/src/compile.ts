import { createHash } from "node:crypto";
import type { SourceFile } from "@sanction/diagnostics";
import type { IndexedCatalog, ScoreConfig } from "@sanction/catalog";
import type { Model } from "@sanction/semantics";
import { PLAN_FORMAT, PLAN_VERSION, type Plan, type PlanTest, type Sourced } from "./plan.js";
import { sourceRefs } from "./source-refs.js";
import { appsStage } from "./stages/apps.js";
import { policiesStage } from "./stages/policies.js";
import { decisionsStage } from "./stages/decisions.js";
import { matchersStage } from "./stages/matchers.js";

/** The compiler's stages, in order; `sanction compile --dump-after <stage>` prints one's output. */
export const STAGES = ["apps", "policies", "decisions", "matchers", "tests", "plan"] as const;
export type Stage = (typeof STAGES)[number];

export interface CompileOptions {
  readonly sources: readonly SourceFile[];
  /** Date (YYYY-MM-DD) age-based risk attributes are measured at. Part of the input, so plans stay reproducible. */
  readonly asOf: string;
  readonly generator?: string;
  /** Called with each stage's output as it completes. */
  readonly onStage?: (stage: Stage, output: unknown) => void;
}

/** Checked model + effective catalog → plan. Pure: same inputs, byte-identical JSON. */
export function compile(model: Model, catalog: IndexedCatalog, opts: CompileOptions): Plan {
  const ref = sourceRefs(opts.sources);
  const emit = (stage: Stage, output: unknown) => opts.onStage?.(stage, output);
  const score: ScoreConfig = { ...model.score, asOf: opts.asOf } as ScoreConfig;

  const apps = appsStage(catalog, model, score);
  emit("apps", apps.apps);
  const policies = policiesStage(model, apps.facts, (p) => ref(p.span));
  emit("policies", policies);
  const { appDecisions, indicators } = decisionsStage(model, apps.indexByName, (d) => ref(d.span));
  emit("decisions", { appDecisions, indicators });
  const matchers = matchersStage(apps.apps, indicators);
  emit("matchers", { appEntries: matchers.appEntries, shadowed: matchers.shadowed, appMatcherBytes: Math.floor((matchers.appMatcher.length * 3) / 4) });
  const tests: PlanTest[] = model.tests.map((t) => ({
    name: t.name,
    source: ref(t.span),
    traffic: t.traffic.map(({ span, ...r }) => ({ ...r, source: ref(span) })),
    expectations: t.expectations.map(({ span, ...e }) => ({ ...e, source: ref(span) }) as Sourced<typeof e & { span: typeof span }>),
  }));
  emit("tests", tests);
  const plan: Plan = {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    generator: opts.generator ?? "sanction",
    sources: [...opts.sources]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((s) => ({ path: s.path, sha256: createHash("sha256").update(s.text).digest("hex") })),
    score,
    apps: apps.apps,
    appMatcher: matchers.appMatcher,
    domainIndicatorMatcher: matchers.domainIndicatorMatcher,
    groups: model.groups.map(({ span: _span, ...g }) => g),
    policies,
    appDecisions,
    indicators,
    tests,
  };
  emit("plan", plan);
  return plan;
}

/** Stable JSON: two-space indent and a final newline. */
export function serializePlan(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + "\n";
}
