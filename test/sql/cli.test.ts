import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulationReport } from "@sanction/engine";
import { loadRecords, openDuckDb } from "@sanction/sql";
import { runCli, tempWorkspace } from "../support/cli.js";
import { schemaProblems, validReport } from "../support/report-schema.js";
import { POLICIES, readSampleTraffic, sampleTrafficFiles } from "./samples.js";

/*
 * `sanction simulate --engine duckdb` over the samples written as Parquet and as CSV gives the
 * report `sanction simulate` gives over the original logs, less what SQL does not compute
 * (verdict counts, unknown domains, rejected lines); `sanction compile --target` prints queries.
 */

let dir: string;
beforeAll(async () => {
  dir = tempWorkspace({});
  const db = await openDuckDb();
  await loadRecords(db.connection, await readSampleTraffic());
  await db.connection.run(`COPY traffic TO '${path.join(dir, "traffic.parquet")}' (FORMAT parquet)`);
  await db.connection.run(`COPY (SELECT * FROM traffic ORDER BY time) TO '${path.join(dir, "traffic.csv")}' (HEADER, DELIMITER ',')`);
  db.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ARGS = ["--root", POLICIES, "--as-of", "2026-11-01", "--report", "json"];
function comparable(r: SimulationReport) {
  return {
    window: r.window,
    totals: { ...r.totals, rejected: 0 },
    apps: r.apps.map((a) => ({ ...a, verdicts: null })),
    policies: r.policies,
    alerts: r.alerts,
    suppressedAlerts: r.suppressedAlerts,
    tagConflicts: r.tagConflicts,
    indicators: r.indicators,
  };
}

describe("sanction simulate --engine duckdb", () => {
  it("reports the same discovery as the in-process engine, from Parquet and from CSV", async () => {
    const inProcess = await runCli(["simulate", POLICIES, ...ARGS, "--year", "2026", "--threads", "1", "--traffic", ...sampleTrafficFiles()], dir);
    expect(inProcess.code).toBe(0);
    const want = comparable(JSON.parse(inProcess.stdout) as SimulationReport);
    expect(want.alerts.length).toBeGreaterThan(0);
    for (const file of ["traffic.parquet", "traffic.csv"]) {
      const r = await runCli(["simulate", POLICIES, ...ARGS, "--engine", "duckdb", "--traffic", file], dir);
      expect(r.stderr).toContain("(duckdb)");
      expect(r.code).toBe(0);
      // the documented report format, whichever engine wrote it
      expect(schemaProblems(validReport, JSON.parse(r.stdout))).toEqual([]);
      expect(comparable(JSON.parse(r.stdout) as SimulationReport)).toEqual(want);
    }
  });

  it("with --state: a second run over the same data suppresses the alerts, as the engine does", async () => {
    const run = async (engine: string[], traffic: string[], state: string) => {
      const r = await runCli(["simulate", POLICIES, ...ARGS, "--year", "2026", "--threads", "1", "--state", state, ...engine, "--traffic", ...traffic], dir);
      expect(r.code).toBe(0);
      return comparable(JSON.parse(r.stdout) as SimulationReport);
    };
    const logs = sampleTrafficFiles();
    for (const s of ["a.state", "b.state"]) fs.rmSync(path.join(dir, s), { force: true });
    const first = [await run([], logs, "a.state"), await run(["--engine", "duckdb"], ["traffic.parquet"], "b.state")];
    expect(first[1]).toEqual(first[0]);
    const second = [await run([], logs, "a.state"), await run(["--engine", "duckdb"], ["traffic.parquet"], "b.state")];
    expect(second[0]!.alerts).toEqual([]);
    expect(second[0]!.suppressedAlerts.length).toBeGreaterThan(0);
    expect(second[1]).toEqual(second[0]);
    expect(fs.readFileSync(path.join(dir, "b.state"), "utf8")).toBe(fs.readFileSync(path.join(dir, "a.state"), "utf8"));
  });

  it("renders the table report and rejects other files", async () => {
    const r = await runCli(["simulate", POLICIES, "--root", POLICIES, "--engine", "duckdb", "--traffic", "traffic.parquet"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dropbox|Google/);
    fs.writeFileSync(path.join(dir, "x.log"), "hello\n");
    const bad = await runCli(["simulate", POLICIES, "--root", POLICIES, "--engine", "duckdb", "--traffic", "x.log"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Parquet|CSV/);
  });
});

describe("sanction compile --target", () => {
  it("prints DuckDB and ClickHouse SQL (written with -o too); KQL rejects byte thresholds", async () => {
    const r = await runCli(["compile", POLICIES, "--root", POLICIES, "--target", "duckdb"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CREATE OR REPLACE TEMP TABLE sanction_matches AS");
    const o = await runCli(["compile", POLICIES, "--root", POLICIES, "--target", "duckdb", "-o", "q.sql"], dir);
    expect(o.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "q.sql"), "utf8")).toBe(r.stdout);
    const ch = await runCli(["compile", POLICIES, "--root", POLICIES, "--target", "clickhouse"], dir);
    expect(ch.code).toBe(0);
    expect(ch.stdout).toContain("ARRAY JOIN policies AS policy");
    expect(ch.stdout).not.toMatch(/\bWITH\b/);
    const kql = await runCli(["compile", POLICIES, "--root", POLICIES, "--target", "kql"], dir);
    expect(kql.code).toBe(1);
    expect(kql.stdout).toBe("");
    expect(kql.stderr).toMatch(/^error: policy ".+" \(.+\.sanction:\d+:\d+\): the byte threshold `.+` cannot be expressed for --target kql: DeviceNetworkEvents has no byte counts/);
    const bad = await runCli(["compile", POLICIES, "--root", POLICIES, "--target", "oracle"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--target must be one of duckdb, clickhouse, kql");
  });
});
