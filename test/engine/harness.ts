import { SourceFile, type Diagnostic } from "@sanction/diagnostics";
import { createCatalog, type CatalogApp, type IndexedCatalog } from "@sanction/catalog";
import { parse } from "@sanction/syntax";
import { checkFiles, effectiveCatalog, type Model } from "@sanction/semantics";
import { compile, type Plan } from "@sanction/compiler";
import {
  decide,
  emptyState,
  GroupResolver,
  hostOf,
  loadMatchers,
  Pass1,
  simulate,
  VerdictEngine,
  type EngineRecord,
  type EngineState,
  type SimulationReport,
} from "@sanction/engine";
import type { RefRecord, RefState } from "./reference.js";

/*
 * The engine side of the differential tests: source text → parse → checkFiles → effective
 * catalog → compile → simulate, plus per-record verdicts through the engine's exported
 * pieces wired the way `simulate` and `runTests` wire them (the report only has counts; the
 * tests check that the wiring's counts equal the report's, so the wiring cannot drift).
 */

export const FILE = "gen.sanction";
export const AS_OF = "2026-11-01";

export interface Prepared {
  readonly text: string;
  readonly model: Model;
  readonly catalog: IndexedCatalog;
  readonly plan: Plan;
  readonly diagnostics: readonly Diagnostic[];
}

/** Parse, check and compile `text` over a catalog of `apps`; undefined (with the errors) when the front end rejects it. */
export function prepare(apps: readonly CatalogApp[], text: string): Prepared | { errors: Diagnostic[] } {
  const base = createCatalog(apps);
  const parsed = parse(text, FILE);
  const checked = checkFiles([parsed.ast], base);
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length) return { errors };
  const catalog = effectiveCatalog(checked.model, base).catalog;
  const plan = compile(checked.model, catalog, { sources: [new SourceFile(FILE, text)], asOf: AS_OF });
  return { text, model: checked.model, catalog, plan, diagnostics };
}

export function prepareOrThrow(apps: readonly CatalogApp[], text: string): Prepared {
  const p = prepare(apps, text);
  if ("errors" in p) throw new Error(`the policy text has errors:\n${p.errors.map((d) => `${d.code} ${d.message}`).join("\n")}\n---\n${text}`);
  return p;
}

export function toEngineState(s: RefState | undefined): EngineState | undefined {
  return s && { format: "sanction-state", version: 1, firstSeen: { ...s.firstSeen }, lastAlert: JSON.parse(JSON.stringify(s.lastAlert)) };
}

export interface EngineRun {
  readonly report: SimulationReport;
  readonly state: EngineState;
  /** Per record, in input order: the verdict and the app id (through the wired pieces). */
  readonly verdicts: readonly { verdict: string; bypassed: boolean; app: string | undefined }[];
  /** Every app's final tag, by app id (not only apps with traffic). */
  readonly tags: ReadonlyMap<string, { tag: string; mode: string; by: string; scope: unknown }>;
  readonly custom: ReadonlyMap<string, readonly string[]>;
}

/** `simulate` in batches of `batch` records, and the per-record verdicts through the exported pieces. */
export async function runEngine(plan: Plan, records: readonly RefRecord[], state?: RefState, batch = 7): Promise<EngineRun> {
  const batches: EngineRecord[][] = [];
  for (let i = 0; i < records.length; i += batch) batches.push(records.slice(i, i + batch) as EngineRecord[]);
  const engineState = toEngineState(state);
  const sim = await simulate(plan, () => batches, engineState ? { state: engineState } : {});

  // the same passes again, unbatched, through the exported pieces: pass one, decide, and a
  // VerdictEngine over the decided tags, asked record by record in time order (equal times in
  // input order), as simulate replays warnings; the verdicts are given back in input order
  const matchers = loadMatchers(plan);
  const p1 = new Pass1(plan, matchers);
  p1.add(records as EngineRecord[]);
  const { tags, custom } = decide(plan, p1, engineState ?? emptyState());
  const ve = new VerdictEngine(plan, matchers.apps, matchers.domainIndicators, tags, new GroupResolver(plan.groups));
  const verdicts: EngineRun["verdicts"][number][] = new Array(records.length);
  const inTime = records.map((r, i) => ({ r: r as EngineRecord, i })).sort((a, b) => a.r.time - b.r.time || a.i - b.i);
  for (const { r, i } of inTime) {
    const v = ve.verdict(r, hostOf(r));
    verdicts[i] = { verdict: v.verdict, bypassed: v.bypassed, app: v.app === undefined ? undefined : plan.apps[v.app]!.id };
  }
  const tagsById = new Map([...tags.values()].map((t) => [plan.apps[t.app]!.id, { tag: t.tag, mode: t.mode, by: t.from.name, scope: t.scope }]));
  const customById = new Map([...custom.entries()].map(([i, set]) => [plan.apps[i]!.id, [...set].sort()]));
  return { report: sim.report, state: sim.state, verdicts, tags: tagsById, custom: customById };
}
