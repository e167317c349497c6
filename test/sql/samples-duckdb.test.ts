import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "@sanction/compiler";
import type { TrafficRecord } from "@sanction/traffic";
import { loadRecords, openDuckDb, runDiscovery } from "@sanction/sql";
import { compileSamples, readSampleTraffic } from "./samples.js";
import { fromEngine, fromRows } from "./expected.js";

/* samples/policies over every log of samples/traffic: DuckDB equals the engine. */

let plan: Plan;
let records: TrafficRecord[];
let db: Awaited<ReturnType<typeof openDuckDb>>;
beforeAll(async () => {
  plan = compileSamples();
  records = await readSampleTraffic();
  db = await openDuckDb();
});
afterAll(() => db?.close());

describe("samples: DuckDB discovery equals the engine", () => {
  it("per-app per-day aggregates, matches, tags, custom tags and alerts", async () => {
    expect(records.length).toBeGreaterThan(1000);
    await loadRecords(db.connection, records);
    const rows = await runDiscovery(db.connection, plan);
    const want = fromEngine(plan, records, { alerts: true });
    expect(want.matches.length).toBeGreaterThan(0);
    expect(Object.keys(want.tags).length).toBeGreaterThan(0);
    expect(fromRows(plan, rows)).toEqual(want);
    expect(rows.window.records).toBe(records.length);
  });
});
