import { PLAN_FORMAT, PLAN_VERSION, type Plan } from "./plan.js";

/** Parse a plan file, refusing other formats and versions with a clear message. */
export function loadPlan(json: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`not a plan: invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const p = data as Partial<Plan>;
  if (p?.format !== PLAN_FORMAT) throw new Error(`not a plan: expected format "${PLAN_FORMAT}"`);
  if (p.version !== PLAN_VERSION) throw new Error(`plan version ${String(p.version)} is not supported (this sanction reads version ${PLAN_VERSION}); recompile the policies`);
  return p as Plan;
}
