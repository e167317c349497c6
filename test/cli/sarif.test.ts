import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ensureNpmTool } from "../support/npm-tool.js";

// SARIF is checked by Microsoft's own SARIF validator (Sarif.Multitool `validate`), which
// applies the SARIF 2.1.0 JSON schema and its rules, as code-scanning upload does.
let multitool = "";
const root = path.resolve(__dirname, "../..");

beforeAll(() => {
  const dir = ensureNpmTool("@microsoft/sarif-multitool-linux", "5.7.0");
  multitool = path.join(dir, "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
  chmodSync(multitool, 0o755);
});

function validate(sarif: string): { errors: string[]; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "sarif-"));
  const file = path.join(dir, "out.sarif");
  writeFileSync(file, sarif);
  const r = spawnSync(multitool, ["validate", file, "--output", path.join(dir, "validation.sarif")], {
    encoding: "utf8",
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1", DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" },
  });
  const output = `${r.stdout}${r.stderr}`;
  const results = JSON.parse(readFileSync(path.join(dir, "validation.sarif"), "utf8")).runs[0].results ?? [];
  const errors = results.filter((x: { level?: string }) => x.level === "error").map((x: { ruleId: string; message: { text?: string } }) => `${x.ruleId}: ${x.message.text ?? ""}`);
  return { errors, output };
}

describe("sanction check --format sarif", () => {
  it("produces SARIF 2.1.0 that the SARIF validator accepts, with results, fixes and related locations", async () => {
    const r = await runCli(["check", "--format", "sarif", "test/checker/cases"], root);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe("2.1.0");
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThan(50);
    const fix = results.find((x: { fixes?: unknown[] }) => x.fixes);
    expect(fix.fixes[0].artifactChanges[0].replacements[0].insertedContent.text.length).toBeGreaterThan(0);
    expect(results.some((x: { relatedLocations?: unknown[] }) => x.relatedLocations)).toBe(true);
    expect(results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^test\/checker\/cases\/[a-z-]+\.sanction$/);
    const v = validate(r.stdout);
    expect(v.errors, v.output).toEqual([]);
  });

  it("validates an empty result set too", async () => {
    const r = await runCli(["check", "--format", "sarif", "samples/policies"], root);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].results).toEqual([]);
    const v = validate(r.stdout);
    expect(v.errors, v.output).toEqual([]);
  });

  it("the validator rejects a broken log (so the check above can fail)", () => {
    const v = validate(JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [{ message: {} }] }] }));
    expect(v.errors.length).toBeGreaterThan(0);
  });
});
