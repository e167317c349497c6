import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// The installed command, exactly as a user runs it after `npm ci` (which builds dist/).
const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "node_modules", ".bin", "sanction");

describe("npx sanction", () => {
  it("is installed and built", () => {
    expect(existsSync(bin), "node_modules/.bin/sanction is missing: run npm ci").toBe(true);
    expect(existsSync(path.join(root, "packages/cli/dist/main.js")), "the CLI is not built: run npm run build").toBe(true);
  });

  it("checks the bundled samples cleanly", () => {
    const r = spawnSync(bin, ["check", "samples/policies"], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toMatch(/^\d+ files checked: 0 errors, 0 warnings\n$/);
    expect(r.status).toBe(0);
  });

  it("exits 1 with file:line:col for a broken policy and 2 for a missing file", () => {
    const broken = spawnSync(bin, ["check", "test/checker/cases/names.sanction"], { cwd: root, encoding: "utf8" });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain("test/checker/cases/names.sanction:6:12: error SAN308");
    const missing = spawnSync(bin, ["check", "no/such.sanction"], { cwd: root, encoding: "utf8" });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("sanction: cannot read no/such.sanction: no such file or directory\n");
  });
});

describe("the README's set-up commands", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```sh\n([^`]+?)\n```/g)].map((m) => m[1]!.trim());

  it("are exactly two, the main job and the test suite", () => {
    expect(blocks.slice(0, 2)).toEqual([expect.stringMatching(/^npm ci && npx sanction simulate /), "npm ci && npm test"]);
    expect(readFileSync(path.join(root, ".ci/run"), "utf8")).toContain("npm test");
  });

  it("the main job runs as written and writes the report and the indicators", () => {
    const command = blocks[0]!.replace(/^npm ci && npx sanction /, "");
    const out = mkdtempSync(path.join(tmpdir(), "readme-"));
    const args = command.split(/\s+/).map((a) => (a.startsWith("out/") ? path.join(out, a.slice(4)) : a));
    const r = spawnSync(bin, [...args, "--output-root", out], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path.join(out, "report.html"), "utf8")).toContain("<canvas");
    expect(JSON.parse(readFileSync(path.join(out, "indicators.json"), "utf8")).length).toBeGreaterThan(10);
  });
});
