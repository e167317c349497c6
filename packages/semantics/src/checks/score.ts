import type * as A from "@sanction/syntax";
import type { Importance, RiskFamily, ScoreConfig } from "@sanction/catalog";
import type { CheckContext } from "../context.js";

const FAMILIES: readonly RiskFamily[] = ["general", "security", "compliance", "legal"];
const IMPORTANCES: readonly Importance[] = ["ignored", "low", "medium", "high", "very_high"];
const UNKNOWN_RULES = ["ignored", "counts_as_risk"] as const;

/** The `score { … }` block as a ScoreConfig (per-app overrides are added from app declarations). */
export function checkScore(ctx: CheckContext, s: A.ScoreDecl): ScoreConfig {
  const families: Partial<Record<RiskFamily, Importance>> = {};
  const attributes: Record<string, Importance> = {};
  let unknown: ScoreConfig["unknown"] = "ignored";
  const seen = new Map<string, A.ScoreEntry>();
  for (const e of s.entries) {
    const key = e.key.text;
    const prev = seen.get(key);
    if (prev) {
      ctx.report("SAN502", e.span, `\`${key}\` is already weighted`, { related: [{ span: prev.span, message: "first set here" }] });
      continue;
    }
    seen.set(key, e);
    if (!e.value) continue;
    const value = e.value.text;
    if (key === "unknown") {
      if ((UNKNOWN_RULES as readonly string[]).includes(value)) unknown = value as ScoreConfig["unknown"];
      else ctx.unknown("SAN308", e.value.span, "rule for unknown values", value, UNKNOWN_RULES);
      continue;
    }
    const isFamily = (FAMILIES as readonly string[]).includes(key);
    const attr = isFamily ? undefined : ctx.catalog.findAttribute(key);
    if (!isFamily && !attr) {
      ctx.unknown("SAN305", e.key.span, "risk family or attribute", key, [...FAMILIES, "unknown", ...ctx.catalog.attributes.map((a) => a.id)]);
      continue;
    }
    if (!(IMPORTANCES as readonly string[]).includes(value)) {
      ctx.unknown("SAN308", e.value.span, "importance", value, IMPORTANCES);
      continue;
    }
    if (isFamily) families[key as RiskFamily] = value as Importance;
    else attributes[attr!.id] = value as Importance;
  }
  return { families, attributes, unknown };
}
