import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempWorkspace } from "../support/cli.js";

const messy = `# keep me\npolicy   "p"   {\nseverity high   # trailing\n  when app.category==crm\n then alert }\n`;

describe("sanction fmt", () => {
  it("prints the formatted text without touching the file", async () => {
    const dir = tempWorkspace({ "p.sanction": messy });
    const r = await runCli(["fmt", "p.sanction"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("# keep me\n");
    expect(r.stdout).toContain("# trailing");
    expect(r.stdout).toContain("  when app.category == crm\n");
    expect(readFileSync(path.join(dir, "p.sanction"), "utf8")).toBe(messy);
  });

  it("--check lists files that would change and exits 1; 0 once formatted", async () => {
    const dir = tempWorkspace({ "a.sanction": messy, "b.sanction": `block domain "example.com"\n` });
    const r = await runCli(["fmt", "--check"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("a.sanction\n");
    expect(r.stderr).toContain("1 file would be reformatted");
    expect(readFileSync(path.join(dir, "a.sanction"), "utf8")).toBe(messy);

    const w = await runCli(["fmt", "--write"], dir);
    expect(w.code).toBe(0);
    expect(w.stderr).toBe("formatted a.sanction\n");
    const again = await runCli(["fmt", "--check"], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("");
  });

  it("never rewrites a file with syntax errors", async () => {
    const broken = `policy "p" {\n  when app.category ==\n`;
    const dir = tempWorkspace({ "bad.sanction": broken });
    const r = await runCli(["fmt", "--write", "bad.sanction"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.sanction:");
    expect(r.stderr).toContain("not formatted: fix the syntax errors first");
    expect(readFileSync(path.join(dir, "bad.sanction"), "utf8")).toBe(broken);
  });

  it("formats standard input with -", async () => {
    const r = await runCli(["fmt", "-"], "/", messy);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("policy \"p\" {\n");
  });

  it("rejects --check with --write, and reports missing files with exit 2", async () => {
    const dir = tempWorkspace({});
    expect((await runCli(["fmt", "--check", "--write"], dir)).code).toBe(2);
    const r = await runCli(["fmt", "nope.sanction"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("sanction: cannot read nope.sanction: no such file or directory\n");
  });

  it("keeps the bundled samples in canonical form", async () => {
    const root = path.resolve(__dirname, "../..");
    const r = await runCli(["fmt", "--check", "samples/policies"], root);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(0);
  });
});
