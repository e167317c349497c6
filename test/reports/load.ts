import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { SimulationReport } from "@sanction/engine";

/** A committed fixture report (made by fixtures/generate.ts). */
export function loadFixture(name: string): SimulationReport {
  return JSON.parse(readFileSync(path.join(__dirname, "fixtures", `${name}.json`), "utf8")) as SimulationReport;
}
