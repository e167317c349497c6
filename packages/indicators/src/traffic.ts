import type { Plan } from "@sanction/compiler";
import { Pass1, decide, emptyState, loadMatchers, type AppTagging, type RecordSource } from "@sanction/engine";

/**
 * App tags from the policies over real traffic: the engine's first pass (attribution and
 * per-day usage) and its decision step (policies, then tag precedence with manual decisions).
 */
export async function tagsFromTraffic(plan: Plan, source: RecordSource): Promise<ReadonlyMap<number, AppTagging>> {
  const p1 = new Pass1(plan, loadMatchers(plan));
  for await (const batch of source()) p1.add(batch);
  return decide(plan, p1, emptyState()).tags;
}
