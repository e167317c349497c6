import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineRecord } from "@sanction/engine";
import { loadRecords, openDuckDb, runDiscovery } from "@sanction/sql";
import { arbCatalogApps, arbRecord, arbTraffic, arbWorkspace, runs } from "../engine/generate.js";
import { prepare } from "../engine/harness.js";
import { fromEngine, fromRows } from "./expected.js";

/*
 * The DuckDB script against the in-process engine on random catalogs (nested domains, so the
 * longest match matters), random policies (thresholds, new-app windows, tag actions, manual
 * decisions with `until`) and random traffic over five days (hosts, URL-only records, missing
 * users and devices). Per-app per-day aggregates, matches, tags and custom tags must be equal.
 */

const NUM_RUNS = runs(150, 1000);
let db: Awaited<ReturnType<typeof openDuckDb>>;
beforeAll(async () => {
  db = await openDuckDb();
});
afterAll(() => db?.close());

const arbCase = arbCatalogApps().chain((apps) => fc.record({ apps: fc.constant(apps), workspace: arbWorkspace(apps), records: arbTraffic(40) }));
/** Traffic over 200 days, on days around the 90-day alert boundaries (89, 90, 91 days apart, twice). */
const DAYS = [0, 1, 2, 80, 89, 90, 91, 92, 100, 179, 180, 181, 182];
const arbLongRecord = fc.tuple(arbRecord(1), fc.constantFrom(...DAYS)).map(([r, d]) => ({ ...r, time: r.time + d * 86_400_000 }));
const arbLongCase = arbCatalogApps().chain((apps) =>
  fc.record({ apps: fc.constant(apps), workspace: arbWorkspace(apps, { observer: false }), records: fc.array(arbLongRecord, { minLength: 10, maxLength: 60, size: "max" }).map((rs) => [...rs].sort((a, b) => a.time - b.time)) }),
);

describe("DuckDB discovery equals the engine", () => {
  it(`on random catalogs, policies and traffic (${NUM_RUNS} runs)`, async () => {
    let cases = 0;
    let skipped = 0;
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ apps, workspace, records }) => {
        cases++;
        const p = prepare(apps, workspace.text);
        if ("errors" in p) {
          skipped++;
          return;
        }
        await loadRecords(db.connection, records as EngineRecord[]);
        const rows = await runDiscovery(db.connection, p.plan);
        const want = fromEngine(p.plan, records as EngineRecord[], { alerts: true });
        matched += want.matches.length;
        try {
          expect(fromRows(p.plan, rows)).toEqual(want);
        } catch (e) {
          if (e instanceof Error) e.message += `\n--- workspace ---\n${workspace.text}`;
          throw e;
        }
      }),
      { numRuns: NUM_RUNS },
    );
    expect(skipped / cases).toBeLessThan(0.1);
    expect(matched).toBeGreaterThan(0);
  });

  it(`over 200 days: the 90-day alert rule (${runs(60, 400)} runs)`, async () => {
    let alerts = 0;
    await fc.assert(
      fc.asyncProperty(arbLongCase, async ({ apps, workspace, records }) => {
        const p = prepare(apps, workspace.text);
        if ("errors" in p) return;
        await loadRecords(db.connection, records as EngineRecord[]);
        const want = fromEngine(p.plan, records as EngineRecord[], { alerts: true });
        alerts += want.alerts!.length;
        try {
          expect(fromRows(p.plan, await runDiscovery(db.connection, p.plan))).toEqual(want);
        } catch (e) {
          if (e instanceof Error) e.message += `\n--- workspace ---\n${workspace.text}`;
          throw e;
        }
      }),
      { numRuns: runs(60, 400) },
    );
    expect(alerts).toBeGreaterThan(0);
  });
});
