import type { SimulationReport } from "@sanction/engine";

/**
 * The report as the documented JSON format: two-space indentation and a final newline. The
 * engine already sorts every list, so the same report always gives the same bytes.
 */
export function renderJson(report: SimulationReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
