import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { arbCatalogApps, arbState, arbTraffic, arbWorkspace, runs } from "./generate.js";
import { prepare } from "./harness.js";
import { compareWithReference, expectSameFilters } from "./compare.js";

/*
 * The engine and the compiler against the reference interpreter (reference.ts), on random
 * small catalogs, random workspaces written as source text (parsed and checked, so the whole
 * front end runs), random manual decisions, groups and traffic over a few days.
 *
 * Runs: FC_RUNS (default 500), capped at 4000 so that CI's FC_RUNS=10000 keeps this file
 * near 20 s; each run is a whole parse → check → compile → simulate → reference.
 */

const NUM_RUNS = runs(500, 4000);
const stats = { cases: 0, skipped: 0, records: 0, matches: 0, alerts: 0, tags: 0, verdicts: { allow: 0, audit: 0, warn: 0, block: 0, bypass: 0 } };
const skipCodes = new Map<string, number>();

const arbCase = arbCatalogApps().chain((apps) =>
  fc.record({
    apps: fc.constant(apps),
    workspace: arbWorkspace(apps),
    records: arbTraffic(40),
    state: arbState(
      apps.map((a) => a.id),
      ["P1 storage", "P2 new", "P3 bulk"],
    ),
  }),
);

describe("engine and compiler agree with the reference interpreter", () => {
  it(`on random catalogs, workspaces and traffic (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ apps, workspace, records, state }) => {
        stats.cases++;
        const p = prepare(apps, workspace.text);
        if ("errors" in p) {
          stats.skipped++;
          for (const e of p.errors) skipCodes.set(e.code, (skipCodes.get(e.code) ?? 0) + 1);
          return;
        }
        let ref;
        try {
          ({ ref } = await compareWithReference(p, records, state));
          expectSameFilters(p, workspace.whens, ref);
        } catch (e) {
          // the counterexample's workspace as text, readable
          if (e instanceof Error) e.message += `\n--- workspace ---\n${workspace.text}--- state ---\n${JSON.stringify(state)}`;
          throw e;
        }
        stats.records += records.length;
        stats.matches += ref.matches.filter((m) => !m.policy.startsWith("~")).length;
        stats.alerts += ref.alerts.length;
        stats.tags += ref.tags.size;
        for (const v of ref.verdicts) {
          stats.verdicts[v.verdict]++;
          if (v.bypassed) stats.verdicts.bypass++;
        }
      }),
      { numRuns: NUM_RUNS },
    );
    // the generator must mostly produce valid workspaces, or the property tests little
    expect(stats.skipped / stats.cases).toBeLessThan(0.1);
  });

  afterAll(() => {
    if (process.env["ENGINE_DIFF_STATS"]) console.log(JSON.stringify({ ...stats, skipCodes: Object.fromEntries(skipCodes) }, null, 2));
  });
});
