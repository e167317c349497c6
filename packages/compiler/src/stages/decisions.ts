import type { Decision, Model } from "@sanction/semantics";
import type { AppTag, PlanAppDecision, PlanIndicator, IndicatorAction } from "../plan.js";

const TAG: Record<string, AppTag> = { sanction: "sanctioned", unsanction: "unsanctioned", monitor: "monitored" };

/** Stage "decisions": manual app tags (resolved to app indexes) and manual indicators. */
export function decisionsStage(
  model: Model,
  indexByName: ReadonlyMap<string, number>,
  ref: (d: Decision) => string,
): { appDecisions: PlanAppDecision[]; indicators: PlanIndicator[] } {
  const appDecisions: PlanAppDecision[] = [];
  const indicators: PlanIndicator[] = [];
  for (const d of model.decisions) {
    const common = {
      mode: d.mode,
      ...(d.until ? { until: d.until } : {}),
      ...(d.redirect ? { redirect: d.redirect } : {}),
      ...(d.bypassSeconds ? { bypassSeconds: d.bypassSeconds } : {}),
      scope: d.scope,
      ...(d.note !== undefined ? { note: d.note } : {}),
      source: ref(d),
    };
    if (d.target === "app") {
      const app = indexByName.get(d.value.toLowerCase());
      if (app !== undefined) appDecisions.push({ app, tag: TAG[d.verb]!, ...common });
    } else {
      indicators.push({ type: d.target, value: d.value, action: d.verb as IndicatorAction, ...common });
    }
  }
  return { appDecisions, indicators };
}
