import fc from "fast-check";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { simulate, type EngineRecord } from "@sanction/engine";
import { arbCatalogApps, arbState, arbTraffic, arbWorkspace, runs } from "./generate.js";
import { prepare, toEngineState } from "./harness.js";
import { runCli } from "../support/cli.js";
import { schemaProblems, validDiff, validIndicators, validReport } from "../support/report-schema.js";

/*
 * The JSON report and the JSON diff are documented by JSON Schemas shipped with the engine
 * (packages/engine/schema). Every object in them is closed (additionalProperties: false) and
 * lists its required fields, so a field the engine adds, drops or retypes without the schema
 * fails here: on the samples, on random catalogs, policies and traffic, and on a diff.
 */

const root = path.resolve(__dirname, "../..");

const dir = mkdtempSync(path.join(tmpdir(), "sanction-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The samples' JSON report, simulated once for the tests below (each takes its own copy). */
let samples: Promise<string> | undefined;
async function samplesReport(): Promise<Record<string, unknown>> {
  samples ??= runCli(["simulate", "samples/policies", "--traffic", "samples/traffic", "--year", "2026", "--as-of", "2026-11-01", "--report", "json"], root).then((r) => {
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  });
  return JSON.parse(await samples) as Record<string, unknown>;
}

describe("the JSON report's schema", () => {
  it("accepts the samples' report, which has every kind of entry", async () => {
    const report = (await samplesReport()) as Record<string, unknown[]> & { totals: { rejected: number } };
    expect(schemaProblems(validReport, report)).toEqual([]);
    // the parts of the schema the samples exercise (tag conflicts: the random reports below)
    for (const list of ["inputs", "rejected", "apps", "policies", "alerts", "suppressedAlerts", "indicators", "unknownDomains"]) expect(report[list]!.length, list).toBeGreaterThan(0);
    const policies = report["policies"] as { matches: { newApp?: unknown }[] }[];
    expect(policies.some((p) => p.matches.some((m) => m.newApp !== undefined))).toBe(true);
  }, 60_000);

  it("rejects a field it does not document, a missing field and a wrong type", async () => {
    const report = (await samplesReport()) as { apps: Record<string, unknown>[]; totals: Record<string, unknown>; window: Record<string, unknown> };
    const extra = structuredClone(report);
    extra.apps[0]!["riskLevel"] = "high";
    expect(schemaProblems(validReport, extra)).toContain("/apps/0 must NOT have additional properties: riskLevel");
    const missing = structuredClone(report);
    delete missing.totals["records"];
    expect(validReport(missing)).toBe(false);
    const retyped = structuredClone(report);
    retyped.window["days"] = "6";
    expect(validReport(retyped)).toBe(false);
  }, 60_000);

  const NUM_RUNS = runs(100, 500);
  it(`accepts the reports of random catalogs, policies, state and traffic (${NUM_RUNS} runs)`, async () => {
    const arbCase = arbCatalogApps().chain((apps) =>
      fc.record({ apps: fc.constant(apps), workspace: arbWorkspace(apps), records: arbTraffic(40), state: arbState(apps.map((a) => a.id), ["P1 storage", "P2 new"]) }),
    );
    let checked = 0;
    const filled = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ apps, workspace, records, state }) => {
        const p = prepare(apps, workspace.text);
        if ("errors" in p) return;
        const s = toEngineState(state);
        const { report } = await simulate(p.plan, () => [records as EngineRecord[]], s ? { state: s } : {});
        // through JSON, as a consumer reads it
        const read = JSON.parse(JSON.stringify(report)) as unknown;
        const wrong = schemaProblems(validReport, read);
        if (wrong.length > 0) throw new Error(wrong.join("\n"));
        checked++;
        for (const [k, v] of Object.entries(report)) if (Array.isArray(v) && v.length > 0) filled.set(k, (filled.get(k) ?? 0) + 1);
      }),
      { numRuns: NUM_RUNS },
    );
    expect(checked).toBeGreaterThan(NUM_RUNS / 2);
    // the random reports reach the lists the samples leave empty
    expect(filled.get("tagConflicts") ?? 0).toBeGreaterThan(0);
    expect(filled.get("alerts") ?? 0).toBeGreaterThan(0);
  }, 120_000);
});

describe("the JSON diff's schema", () => {
  it("accepts the diff of a policy change over the sample traffic", async () => {
    const head = path.join(dir, "policies");
    cpSync(path.join(root, "samples/policies"), head, { recursive: true });
    appendFileSync(
      path.join(head, "monitored.sanction"),
      '\npolicy "Warn on everything" {\n  severity low\n  when app.score in 0..10\n  then monitor(redirect: "https://intranet.example.com/approved-apps", bypass: 1h)\n}\n',
    );
    const r = await runCli(["diff", "--base", "samples/policies", head, "--traffic", "samples/traffic", "--as-of", "2026-11-01", "--format", "json"], root);
    expect(r.code, r.stderr).toBe(0);
    const diff = JSON.parse(r.stdout) as Record<string, unknown[]>;
    expect(schemaProblems(validDiff, diff)).toEqual([]);
    for (const list of ["tagChanges", "verdictChanges", "matchesAdded", "indicatorsAdded"]) expect(diff[list]!.length, list).toBeGreaterThan(0);
    const broken = structuredClone(diff) as { tagChanges: Record<string, unknown>[] };
    broken.tagChanges[0]!["from"] = 3;
    expect(validDiff(broken)).toBe(false);
  }, 60_000);
});

describe("the would-be indicators file's schema", () => {
  it("accepts what simulate --indicators writes for the samples, and refuses an unknown action", async () => {
    const out = path.join(dir, "indicators.json");
    const r = await runCli(["simulate", "samples/policies", "--traffic", "samples/traffic", "--year", "2026", "--as-of", "2026-11-01", "--indicators", out, "--output-root", dir], root);
    expect(r.code, r.stderr).toBe(0);
    const indicators = JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>[];
    expect(indicators.length).toBeGreaterThan(10);
    expect(schemaProblems(validIndicators, indicators)).toEqual([]);
    indicators[0]!["action"] = "quarantine";
    expect(validIndicators(indicators)).toBe(false);
  }, 60_000);
});
