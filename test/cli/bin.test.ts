import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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
