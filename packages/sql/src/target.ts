import type { Plan } from "@sanction/compiler";
import type { Target } from "./discovery.js";
import { renderDuckdb } from "./duckdb.js";
import { renderKql } from "./kql.js";
import { renderClickhouse } from "./clickhouse.js";

/** The query text for a target; throws TargetError when a policy cannot be expressed there. */
export function compileTarget(plan: Plan, target: Target): string {
  switch (target) {
    case "duckdb":
      return renderDuckdb(plan);
    case "clickhouse":
      return renderClickhouse(plan);
    case "kql":
      return renderKql(plan);
  }
}
