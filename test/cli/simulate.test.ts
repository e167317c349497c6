import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const root = path.resolve(__dirname, "../..");
const tmp = () => mkdtempSync(path.join(tmpdir(), "sanction-sim-"));

async function simulateJson(args: string[] = []) {
  const r = await runCli(["simulate", "samples/policies", "--traffic", "samples/traffic", "--report", "json", ...args], root);
  expect(r.code, r.stderr).toBe(0);
  return { report: JSON.parse(r.stdout), stderr: r.stderr, stdout: r.stdout };
}

describe("sanction simulate on the samples", () => {
  it("reports apps, tags, verdicts, unknown domains and rejected lines", async () => {
    const { report, stderr } = await simulateJson();
    expect(report.format).toBe("sanction-report");
    const app = (name: string) => report.apps.find((a: { name: string }) => a.name === name);
    expect(app("Dropbox").tag.tag).toBe("unsanctioned");
    expect(app("Dropbox").verdicts.block).toBe(app("Dropbox").transactions);
    expect(app("iTunes").tag.mode).toBe("audit");
    expect(app("iTunes").verdicts.audit).toBeGreaterThan(0);
    expect(app("Yahoo Webmail").verdicts.warn).toBeGreaterThan(0);
    expect(app("Facebook").verdicts.block).toBeGreaterThan(0);
    // Marketing devices are out of the social-media policy's scope: they are let through.
    expect(report.verdicts.byGroup.marketing.allow).toBeGreaterThan(0);
    expect(report.unknownDomains.length).toBeGreaterThan(0);
    expect(report.totals.rejected).toBeGreaterThan(0);
    expect(report.rejected[0]).toMatchObject({ file: expect.stringMatching(/^samples\/traffic\//), line: expect.any(Number), reason: expect.any(String) });
    expect(report.totals.records).toBe(report.inputs.reduce((n: number, f: { records: number }) => n + f.records, 0));
    expect(stderr).toMatch(/records from \d+ files: \d+ apps/);
  });

  it("is deterministic", async () => {
    const a = await simulateJson();
    const b = await simulateJson();
    expect(a.stdout).toBe(b.stdout);
  });

  it("writes an HTML report, the indicators and a state that suppresses repeat alerts", async () => {
    const dir = tmp();
    const r = await runCli(["simulate", "samples/policies", "--traffic", "samples/traffic", "--report", "html", "-o", path.join(dir, "out/report.html"), "--indicators", path.join(dir, "out/indicators.json"), "--state", path.join(dir, "state.json"), "--output-root", dir], root);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "out/report.html"), "utf8")).toMatch(/^<!DOCTYPE html>/i);
    const indicators = JSON.parse(readFileSync(path.join(dir, "out/indicators.json"), "utf8"));
    expect(indicators.some((i: { value: string; action: string }) => i.value === "dropbox.com" && i.action === "block")).toBe(true);
    expect(existsSync(path.join(dir, "state.json"))).toBe(true);
    const first = await simulateJson(["--state", path.join(dir, "state2.json"), "--output-root", dir]);
    const again = await simulateJson(["--state", path.join(dir, "state2.json"), "--output-root", dir]);
    expect(first.report.alerts.length).toBeGreaterThan(0);
    // Same traffic again: every alert was raised within the last 90 days, so none repeats.
    expect(again.report.alerts).toEqual([]);
    expect(again.report.suppressedAlerts.length).toBeGreaterThanOrEqual(first.report.alerts.length);
  });

  it("fails clearly without traffic, on a missing file, and on policies with errors", async () => {
    expect((await runCli(["simulate", "samples/policies"], root)).stderr).toContain("--traffic needs at least one log file");
    const missing = await runCli(["simulate", "samples/policies", "--traffic", "nope.log"], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("sanction: cannot read traffic nope.log: no such file or directory\n");
    const bad = await runCli(["simulate", "test/checker/cases/names.sanction", "--traffic", "samples/traffic"], root);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("the policies have errors");
  });
});

describe("sanction diff", () => {
  it("shows what removing a manual decision does to the same traffic", async () => {
    const dir = tmp();
    cpSync(path.join(root, "samples/policies"), path.join(dir, "head"), { recursive: true });
    const f = path.join(dir, "head/cloud-storage.sanction");
    writeFileSync(f, readFileSync(f, "utf8").replace(/unsanction app "Dropbox"[^\n]*(\n  [^\n]*)*/, ""));
    const r = await runCli(["diff", "--base", path.join(root, "samples/policies"), path.join(dir, "head"), "--traffic", path.join(root, "samples/traffic"), "--format", "json"], root);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.tagChanges.find((t: { app: string }) => t.app === "Dropbox")).toMatchObject({ from: "unsanctioned" });
    expect(d.indicatorsRemoved.some((i: { value: string }) => i.value === "dropbox.com")).toBe(true);
    const md = await runCli(["diff", "--base", path.join(root, "samples/policies"), path.join(dir, "head"), "--traffic", path.join(root, "samples/traffic"), "--format", "md"], root);
    expect(md.stdout).toContain("| Dropbox | unsanctioned |");
  });

  it("says so when nothing changes", async () => {
    const r = await runCli(["diff", "--base", "samples/policies", "samples/policies", "--traffic", "samples/traffic"], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^no change to tags, verdicts, matches, alerts or indicators/);
  });
});

describe("sanction compile and sanction test", () => {
  it("compiles to a byte-identical plan and dumps a stage", async () => {
    const a = await runCli(["compile", "samples/policies"], root);
    const b = await runCli(["compile", "samples/policies"], root);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const plan = JSON.parse(a.stdout);
    expect(plan.format).toBe("sanction-plan");
    const stage = JSON.parse((await runCli(["compile", "samples/policies", "--dump-after", "policies"], root)).stdout);
    expect(stage.map((p: { name: string }) => p.name)).toContain("Social media outside Marketing");
    expect((await runCli(["compile", "samples/policies", "--dump-after", "nope"], root)).code).toBe(2);
  });

  it("runs the sample tests, and reports a failing one with its location and JUnit", async () => {
    const ok = await runCli(["test", "samples/policies"], root);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/\n(\d+) passed, 0 failed\n$/);
    const dir = tmp();
    writeFileSync(path.join(dir, "t.sanction"), `block domain "filedropper.com"\ntest "wrong on purpose" {\n  traffic { user "ann" host "www.filedropper.com" }\n  expect verdict "www.filedropper.com" allow\n}\n`);
    const bad = await runCli(["test", ".", "--junit", "junit.xml"], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("FAIL wrong on purpose (t.sanction:2:1)");
    expect(bad.stdout).toContain("t.sanction:4:3: expected allow for www.filedropper.com, got block");
    expect(readFileSync(path.join(dir, "junit.xml"), "utf8")).toContain('<failure message="expected allow for www.filedropper.com, got block');
  });

  it("refuses an output outside the workspace before reading any traffic, and writes nothing", async () => {
    const dir = tmp();
    for (const flag of ["-o", "--indicators", "--state"]) {
      const r = await runCli(["simulate", "samples/policies", "--traffic", "samples/traffic", flag, path.join(dir, "x.out")], root);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is outside the allowed folders .*add --output-root/);
      expect(existsSync(path.join(dir, "x.out"))).toBe(false);
    }
    for (const engine of ["duckdb"]) {
      const r = await runCli(["simulate", "samples/policies", "--engine", engine, "--traffic", "samples/traffic/squid-native.log", "-o", "../escape.out"], root);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/outside the allowed folders/);
    }
  });
});
