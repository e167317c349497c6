import type { Model, Policy } from "@sanction/semantics";
import type { PlanPolicy, PlanThreshold } from "../plan.js";
import { evalFilter, filterToString, type AppFacts } from "../filter-eval.js";

/**
 * Stage "policies": the static half of every policy, evaluated against the whole catalog now —
 * which apps can this policy ever match — so the engine checks only usage thresholds per day.
 */
export function policiesStage(model: Model, facts: readonly AppFacts[], ref: (p: Policy) => string): PlanPolicy[] {
  return model.policies.map((p) => {
    const scoreBounds = p.thresholds.filter((t) => t.param === "score");
    const candidates: number[] = [];
    facts.forEach((app, i) => {
      if (p.filter && !evalFilter(p.filter, app)) return;
      for (const b of scoreBounds) {
        if (app.score === undefined || !compare(app.score, b.op, b.value)) return;
      }
      candidates.push(i);
    });
    const thresholds: PlanThreshold[] = p.thresholds
      .filter((t) => t.param !== "score")
      .map((t) => ({ metric: t.param as PlanThreshold["metric"], op: t.op, value: t.value, fromTemplate: t.fromTemplate }));
    const filterText = [filterToString(p.filter), ...scoreBounds.map((b) => `app.score ${b.op} ${b.value}`)].filter((x) => x !== "every app" || !scoreBounds.length).join(" and ");
    return {
      name: p.name,
      source: ref(p),
      ...(p.template ? { template: p.template } : {}),
      severity: p.severity,
      mode: p.mode,
      scope: p.scope,
      actions: p.actions,
      thresholds,
      ...(p.firstSeenWithin !== undefined ? { firstSeenWithinDays: Math.round(p.firstSeenWithin / 86400) } : {}),
      candidates,
      filter: filterText,
    };
  });
}

function compare(a: number, op: string, b: number): boolean {
  return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
}
