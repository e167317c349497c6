import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "@sanction/catalog";
import { analyze, effectiveCatalog, nodeFileHost, type ScopeSpec } from "@sanction/semantics";
import { compile, serializePlan, type Plan } from "@sanction/compiler";
import { expectGolden } from "../support/golden.js";

/*
 * `sanction compile samples/policies` is stable: a readable SUMMARY of the plan (policies with
 * their candidate apps, decisions, counts; not the 1.4 MB plan itself) against a golden file.
 * `UPDATE_GOLDEN=1` rewrites it; review the diff.
 */

const ROOT = path.resolve(import.meta.dirname, "../../samples/policies");
const GOLDEN = path.resolve(import.meta.dirname, "golden/samples-plan.txt");
const AS_OF = "2026-11-01";
/** Policies with more candidates than this list a count and the first few names only. */
const LIST_ALL = 60;

function compileSamples(): Plan {
  const analysis = analyze([ROOT], { root: ROOT, host: nodeFileHost, display: (abs) => path.relative(ROOT, abs) });
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(`samples/policies has errors: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  const merged = effectiveCatalog(analysis.model, builtinCatalog(), { sources: analysis.sources });
  return compile(analysis.model, merged.catalog, { sources: analysis.sources, asOf: AS_OF });
}

const scope = (s: ScopeSpec): string => `${s.include === undefined ? "all" : s.include.join(", ")}${s.exclude.length ? ` except ${s.exclude.join(", ")}` : ""}`;
const opts = (o: object): string =>
  Object.entries(o)
    .filter(([k, v]) => k !== "kind" && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? JSON.stringify(v) : String(v)}`)
    .join(", ");

export function summarize(plan: Plan): string {
  const out: string[] = [];
  const count = <T>(xs: readonly T[], key: (x: T) => string) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
    return [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(", ");
  };
  out.push(`plan ${plan.format} v${plan.version}, score as of ${plan.score.asOf}`);
  out.push(`sources (${plan.sources.length}): ${plan.sources.map((s) => s.path).join(", ")}`);
  out.push(`apps: ${plan.apps.length} (${count(plan.apps, (a) => a.origin)}); scored ${plan.apps.filter((a) => a.score !== null).length}; never-block ${plan.apps.filter((a) => a.neverBlock).length}`);
  out.push(`apps sorted by id: ${plan.apps.every((a, i) => i === 0 || plan.apps[i - 1]!.id < a.id)}`);
  out.push("");
  out.push("apps the workspace declares or tags:");
  for (const a of plan.apps.filter((x) => x.origin === "workspace" || x.tags.length)) {
    out.push(`  ${a.name} [${a.id}] ${a.category}, score ${a.score ?? "n/a"}, ${a.origin}${a.tags.length ? `, tags ${a.tags.join(" ")}` : ""}; domains ${a.domains.join(" ")}`);
  }
  out.push("");
  out.push(`groups (${plan.groups.length}):`);
  for (const g of plan.groups) out.push(`  ${g.name}: ${g.rules.map((r) => `${r.selector} ${r.op} ${r.values.join(", ")}`).join(" | ")}`);
  out.push("");
  out.push(`policies (${plan.policies.length}):`);
  for (const p of plan.policies) {
    out.push(`  "${p.name}"${p.template ? ` uses template ${p.template}` : ""} (${p.source})`);
    out.push(`    severity ${p.severity}, mode ${p.mode}, scope ${scope(p.scope)}`);
    out.push(`    filter: ${p.filter}`);
    out.push(`    thresholds: ${p.thresholds.map((t) => `${t.metric} ${t.op} ${t.value}${t.fromTemplate ? " (template)" : ""}`).join(", ") || "none"}${p.firstSeenWithinDays !== undefined ? `; first seen within ${p.firstSeenWithinDays}d` : ""}`);
    out.push(`    then ${p.actions.map((a) => (a.kind === "tag" ? `tag ${a.tag}` : opts(a) ? `${a.kind}(${opts(a)})` : a.kind)).join(", ")}`);
    const names = p.candidates.map((i) => plan.apps[i]!.name);
    out.push(`    candidates (${names.length}): ${names.length <= LIST_ALL ? names.join("; ") || "none" : `${names.slice(0, 8).join("; ")}; …`}`);
  }
  out.push("");
  out.push(`app decisions (${plan.appDecisions.length}):`);
  for (const d of plan.appDecisions) {
    out.push(`  ${plan.apps[d.app]!.name}: ${d.tag}, mode ${d.mode}, scope ${scope(d.scope)}${d.until ? `, until ${d.until}` : ""}${d.redirect ? `, redirect ${d.redirect}` : ""}${d.bypassSeconds ? `, bypass ${d.bypassSeconds}s` : ""} (${d.source})`);
  }
  out.push("");
  out.push(`indicators (${plan.indicators.length}):`);
  for (const i of plan.indicators) {
    out.push(`  ${i.type} ${i.value}: ${i.action}, mode ${i.mode}, scope ${scope(i.scope)}${i.until ? `, until ${i.until}` : ""}${i.bypassSeconds ? `, bypass ${i.bypassSeconds}s` : ""} (${i.source})`);
  }
  out.push("");
  out.push(`tests (${plan.tests.length}):`);
  for (const t of plan.tests) out.push(`  "${t.name}": ${t.traffic.length} traffic, ${t.expectations.length} expectations (${t.source})`);
  return out.join("\n") + "\n";
}

describe("the compiled samples/policies plan", () => {
  it("matches the golden summary", () => {
    expectGolden(summarize(compileSamples()), GOLDEN);
  });

  it("is byte-identical when compiled twice", () => {
    expect(serializePlan(compileSamples())).toBe(serializePlan(compileSamples()));
  });
});
