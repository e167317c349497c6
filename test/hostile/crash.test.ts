/*
 * A crash halfway must not leave an enforcement point with half a blocklist. `sanction
 * indicators` runs as its own process under strace, which kills it (SIGKILL, nothing to clean
 * up) at the moment it renames the finished temporary file over the output: the worst time to
 * die. The blocklist in force must still be the old one, byte for byte; the next run replaces
 * it whole, and BIND loads it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureDebianPackages } from "../support/debian.js";
import { runCli, tempWorkspace } from "../support/cli.js";

const root = path.resolve(__dirname, "../..");
const entry = path.join(__dirname, "cli-process.ts");
const tsx = path.join(root, "node_modules", "tsx", "dist", "esm", "index.mjs");

const policy = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `block domain "${prefix}${i}.example.com"\n`).join("");

/** `sanction ARGS` in its own process; with `killAt`, strace kills it on that system call. */
function sanction(args: string[], cwd: string, killAt?: string[], when = 1) {
  const node = ["node", "--conditions=source", "--import", tsx, entry, ...args];
  const cmd = killAt ? ["strace", "-f", "-qq", "-o", "/dev/null", "-e", `trace=${killAt.join(",")}`, "-e", `inject=${killAt.join(",")}:signal=SIGKILL:when=${when}`, ...node] : node;
  return spawnSync(cmd[0]!, cmd.slice(1), { cwd, encoding: "utf8", timeout: 120_000 });
}

describe("a run killed while replacing the blocklist", () => {
  it("leaves the old RPZ zone in force, whole; the next run replaces it whole", async () => {
    ensureDebianPackages(["strace", "bind9-utils"]);
    const dir = tempWorkspace({ "old.sanction": policy("old", 50), "new.sanction": policy("new", 2000) });
    const first = await runCli(["indicators", "old.sanction", "--target", "rpz", "-o", "out/sanction.rpz"], dir);
    expect(first.code, first.stderr).toBe(0);
    const old = readFileSync(path.join(dir, "out/sanction.rpz"), "utf8");

    const killed = sanction(["indicators", "new.sanction", "--target", "rpz", "-o", "out/sanction.rpz"], dir, ["rename", "renameat", "renameat2"]);
    expect(killed.signal ?? killed.status, killed.stderr).not.toBe(0);
    expect(readFileSync(path.join(dir, "out/sanction.rpz"), "utf8")).toBe(old);
    // It died at the rename of the finished new zone (not earlier): that file is what was left
    // behind, under a dot-name that no include or conf-dir picks up.
    const left = readdirSync(path.join(dir, "out")).filter((f) => f !== "sanction.rpz");
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.sanction\.rpz\.\d+\.\d+\.tmp$/);
    expect(readFileSync(path.join(dir, "out", left[0]!), "utf8")).toContain("new1999.example.com CNAME .\n");

    const again = sanction(["indicators", "new.sanction", "--target", "rpz", "-o", "out/sanction.rpz"], dir);
    expect(again.status, again.stderr).toBe(0);
    const zone = readFileSync(path.join(dir, "out/sanction.rpz"), "utf8");
    expect(zone).toContain("new1999.example.com CNAME .\n");
    expect(zone).not.toContain("old0.example.com");
    const check = spawnSync("named-checkzone", ["rpz.sanction", path.join(dir, "out/sanction.rpz")], { encoding: "utf8" });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  /** The batch files of an MDE folder, by name. */
  const batches = (folder: string): Record<string, string> =>
    Object.fromEntries(readdirSync(folder).filter((n) => /^mde-indicators-\d{4}\.json$/.test(n)).sort().map((n) => [n, readFileSync(path.join(folder, n), "utf8")]));

  for (const when of [1, 2]) {
    it(`never leaves Defender's batch folder with old and new batches side by side (killed at rename ${when} of the swap)`, async () => {
      ensureDebianPackages(["strace"]);
      const dir = tempWorkspace({ "old.sanction": policy("old", 1000), "new.sanction": policy("new", 2000) });
      const first = await runCli(["indicators", "old.sanction", "--target", "mde-json", "-o", "out/mde"], dir);
      expect(first.code, first.stderr).toBe(0);
      writeFileSync(path.join(dir, "out/mde/README.txt"), "kept\n");
      const old = batches(path.join(dir, "out/mde"));
      expect(Object.keys(old)).toHaveLength(2);

      const killed = sanction(["indicators", "new.sanction", "--target", "mde-json", "-o", "out/mde"], dir, ["rename", "renameat", "renameat2"], when);
      expect(killed.signal ?? killed.status, killed.stderr).not.toBe(0);
      const folder = path.join(dir, "out/mde");
      if (when === 1) {
        // Killed before the swap: the old set is in force, whole.
        expect(batches(folder)).toEqual(old);
      } else {
        // Killed between the two renames: no folder at the name (nothing to import), and the
        // old set whole beside it under a dot-name.
        expect(existsSync(folder)).toBe(false);
        const kept = readdirSync(path.join(dir, "out")).filter((n) => n.endsWith(".old"));
        expect(kept).toHaveLength(1);
        expect(batches(path.join(dir, "out", kept[0]!))).toEqual(old);
      }

      const again = sanction(["indicators", "new.sanction", "--target", "mde-json", "-o", "out/mde"], dir);
      expect(again.status, again.stderr).toBe(0);
      const now = batches(folder);
      expect(Object.keys(now)).toHaveLength(4);
      const all = Object.values(now).join("");
      expect(all).toContain('"new1999.example.com"');
      expect(all).not.toContain("old0.example.com");
      expect(readFileSync(path.join(folder, "README.txt"), "utf8")).toBe("kept\n");
      // What the dead run left beside the folder is gone.
      expect(readdirSync(path.join(dir, "out"))).toEqual(["mde"]);
    });
  }
});
