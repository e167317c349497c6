import type { Plan } from "@sanction/compiler";
import type { Target } from "./discovery.js";
import { renderDuckdb } from "./duckdb.js";
import { renderKql } from "./kql.js";

/** The query text for a target; throws TargetError when a policy cannot be expressed there. */
export function compileTarget(plan: Plan, target: Target): string {
  switch (target) {
    case "duckdb":
      return renderDuckdb(plan);
    case "kql":
      return renderKql(plan);
    default:
      throw new Error(`target ${target} is not implemented yet`);
  }
}
