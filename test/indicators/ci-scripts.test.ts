import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/* The scripts docs/ci.md's pipelines call, run against the samples with sanction from source. */

const root = path.resolve(__dirname, "../..");
const out = mkdtempSync(path.join(tmpdir(), "sanction-ci-"));
const env = { ...process.env, SANCTION: `node --conditions=source --import tsx ${path.join(root, "test/indicators/sanction-src.ts")} --output-root ${out}` };
const run = (script: string, args: string[]) => spawnSync("sh", [path.join(root, "scripts/ci", script), ...args], { cwd: root, env, encoding: "utf8", timeout: 300_000 });

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("scripts/ci", () => {
  it("check.sh writes SARIF 2.1.0 and exits 0 on the samples", () => {
    const r = run("check.sh", ["samples/policies", path.join(out, "check/sanction.sarif")]);
    expect(r.status, r.stderr).toBe(0);
    const sarif = JSON.parse(readFileSync(path.join(out, "check/sanction.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
  });
  it("check.sh exits 1 on policies with errors", () => {
    const r = run("check.sh", ["test/checker/cases/names.sanction", path.join(out, "bad.sarif")]);
    expect(r.status).toBe(1);
  });
  it("test.sh runs the in-language tests with a JUnit report", () => {
    const r = run("test.sh", ["samples/policies", path.join(out, "junit.xml")]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path.join(out, "junit.xml"), "utf8")).toMatch(/<testsuite/);
  });
  it("diff.sh writes a Markdown comment with the indicator changes", () => {
    const r = run("diff.sh", ["samples/policies", "samples/policies", "samples/traffic/squid-native.log", path.join(out, "comment.md")]);
    expect(r.status, r.stderr).toBe(0);
    const md = readFileSync(path.join(out, "comment.md"), "utf8");
    expect(md).toMatch(/^## Sanction: what this change does/);
    expect(md).toMatch(/### Defender indicators\n\n```diff\nno changes\n```/);
  });
  it("indicators.sh writes every target for the artifact", () => {
    const r = run("indicators.sh", ["samples/policies", path.join(out, "indicators")]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(path.join(out, "indicators")).sort()).toEqual(
      ["chrome-policy.json", "firefox-policies.json", "hosts", "mde-csv", "mde-json", "sanction-dnsmasq.conf", "sanction-squid.conf", "sanction-unbound.conf", "sanction.rpz", "sanction.stix.json"].sort(),
    );
    expect(existsSync(path.join(out, "indicators/mde-json/mde-indicators-0001.json"))).toBe(true);
  });
});
