import * as path from "node:path";
import type { Plan } from "@sanction/compiler";
import { runCli } from "../support/cli.js";

const root = path.resolve(__dirname, "../..");
let cached: Plan | undefined;

/** The compiled plan of samples/policies (through the CLI, as a user gets it). */
export async function loadSamplePlan(): Promise<Plan> {
  if (cached) return cached;
  const r = await runCli(["compile", "samples/policies"], root);
  if (r.code !== 0) throw new Error(r.stderr);
  return (cached = JSON.parse(r.stdout) as Plan);
}
