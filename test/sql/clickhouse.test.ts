import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineRecord } from "@sanction/engine";
import { arbCatalogApps, arbTraffic, arbWorkspace, runs } from "../engine/generate.js";
import { prepare } from "../engine/harness.js";
import { startClickHouse, type ClickHouse } from "./clickhouse-server.js";
import { loadClickHouse, runClickHouse } from "./clickhouse-run.js";
import { fromEngine, fromRows } from "./expected.js";
import { compileSamples, readSampleTraffic } from "./samples.js";

/*
 * The ClickHouse queries on a real server (Debian's clickhouse-server, 18.16 on this machine,
 * started by clickhouse-server.ts) against the in-process engine: the samples, then random
 * catalogs, policies and traffic. Times compare at whole seconds (DateTime).
 */

let ch: ClickHouse;
beforeAll(async () => {
  ch = await startClickHouse();
});
afterAll(() => ch?.stop());

describe("ClickHouse discovery equals the engine", () => {
  it("runs on this server version", async () => {
    expect(await ch.query("SELECT version()")).toMatch(/^\d+\.\d+/);
  });

  it("samples: per-app per-day aggregates, matches, tags and custom tags", async () => {
    const plan = compileSamples();
    const records = await readSampleTraffic();
    await loadClickHouse(ch, records);
    const want = fromEngine(plan, records, { seconds: true });
    expect(want.matches.length).toBeGreaterThan(0);
    expect(fromRows(plan, await runClickHouse(ch, plan))).toEqual(want);
  });

  it(`random catalogs, policies and traffic (${runs(60, 400)} runs)`, async () => {
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(
        arbCatalogApps().chain((apps) => fc.record({ apps: fc.constant(apps), workspace: arbWorkspace(apps), records: arbTraffic(40) })),
        async ({ apps, workspace, records }) => {
          const p = prepare(apps, workspace.text);
          if ("errors" in p) return;
          await loadClickHouse(ch, records as EngineRecord[]);
          const want = fromEngine(p.plan, records as EngineRecord[], { seconds: true });
          matched += want.matches.length;
          try {
            expect(fromRows(p.plan, await runClickHouse(ch, p.plan))).toEqual(want);
          } catch (e) {
            if (e instanceof Error) e.message += `\n--- workspace ---\n${workspace.text}`;
            throw e;
          }
        },
      ),
      { numRuns: runs(60, 400) },
    );
    expect(matched).toBeGreaterThan(0);
  });
});
