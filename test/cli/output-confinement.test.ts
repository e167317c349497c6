import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "@sanction/cli";
import { runCli, tempWorkspace } from "../support/cli.js";
import { workspaceRoot } from "../../packages/cli/src/workspace-root.js";

/*
 * Every file the CLI writes stays under the working directory, the command's --root, or a
 * folder named with --output-root: `..`, absolute paths, symlinked folders and symlinked files
 * cannot lead a write elsewhere. Real temporary folders and real symbolic links throughout.
 */

const root = path.resolve(__dirname, "../..");
const TRAFFIC = path.join(root, "samples/traffic/squid-native.log");

const POLICY = `app "Evil Drive" {
  vendor "Evil"
  domains *.evil-drive.com
  category cloud_storage
}
unsanction app "Evil Drive"
test "evil drive is blocked" {
  traffic { user "ann" host "www.evil-drive.com" }
  expect verdict "www.evil-drive.com" block
}
`;
const UNFORMATTED = `block   domain "files.example.net"\n`;

/** A parent folder holding `ws/` (the working directory, with a policy) and `outside/` (not allowed). */
function layout(extra: Record<string, string> = {}): { ws: string; outside: string } {
  const base = realpathSync(tempWorkspace({ "ws/p.sanction": POLICY, "outside/keep.txt": "keep\n", ...extra }));
  return { ws: path.join(base, "ws"), outside: path.join(base, "outside") };
}

/** The refusal: exit 2, one line naming the path as given, the allowed folder and the flag. */
function expectRefused(r: { code: number; stderr: string }, raw: string, ws: string): void {
  expect(r.code, r.stderr).toBe(2);
  const line = r.stderr.split("\n").find((l) => l.startsWith(`sanction: cannot write ${raw}:`));
  expect(line, r.stderr).toBeDefined();
  expect(line).toContain(`the working directory ${ws}`);
  expect(line).toMatch(/nothing written$/);
}

describe("-o outside the working directory is refused", () => {
  it("a .. escape: exit 2, one line with the path, the root and --output-root; the old file is intact", async () => {
    const { ws, outside } = layout({ "outside/plan.json": "old\n" });
    const r = await runCli(["compile", "p.sanction", "-o", "../outside/plan.json"], ws);
    expectRefused(r, "../outside/plan.json", ws);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`${path.join(outside, "plan.json")} is outside the allowed folders`);
    expect(r.stderr).toContain(`to write there, add --output-root ${outside};`);
    expect(readFileSync(path.join(outside, "plan.json"), "utf8")).toBe("old\n");
    expect(readdirSync(outside).sort()).toEqual(["keep.txt", "plan.json"]);
  });

  it("an absolute path outside", async () => {
    const { ws, outside } = layout();
    const target = path.join(outside, "plan.json");
    const r = await runCli(["compile", "p.sanction", "-o", target], ws);
    expectRefused(r, target, ws);
    expect(existsSync(target)).toBe(false);
  });

  it("a .. that comes back inside is fine", async () => {
    const { ws } = layout();
    const r = await runCli(["compile", "p.sanction", "-o", "../ws/out/plan.json"], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(ws, "out/plan.json"), "utf8")).format).toBe("sanction-plan");
  });

  it("a folder inside that is a symbolic link to a folder outside", async () => {
    const { ws, outside } = layout();
    symlinkSync(outside, path.join(ws, "published"));
    const r = await runCli(["compile", "p.sanction", "-o", "published/plan.json"], ws);
    expectRefused(r, "published/plan.json", ws);
    expect(r.stderr).toContain(`folder published is a symbolic link to ${outside}, outside the allowed folders`);
    expect(r.stderr).toContain(`add --output-root ${outside}`);
    expect(readdirSync(outside)).toEqual(["keep.txt"]);
    // a new folder below the link would be created outside: refused as well
    expectRefused(await runCli(["compile", "p.sanction", "-o", "published/new/plan.json"], ws), "published/new/plan.json", ws);
    expect(readdirSync(outside)).toEqual(["keep.txt"]);
  });

  it("a file inside that is a symbolic link to a file outside: refused, the link and the file it points to unchanged", async () => {
    const { ws, outside } = layout({ "outside/plan.json": "old\n" });
    symlinkSync(path.join(outside, "plan.json"), path.join(ws, "plan.json"));
    const r = await runCli(["compile", "p.sanction", "-o", "plan.json"], ws);
    expectRefused(r, "plan.json", ws);
    expect(r.stderr).toContain(`it is a symbolic link to ${path.join(outside, "plan.json")}, outside the allowed folders`);
    expect(lstatSync(path.join(ws, "plan.json")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(outside, "plan.json"), "utf8")).toBe("old\n");
  });

  it("a symbolic link to nothing (file or folder) is refused rather than followed", async () => {
    const { ws, outside } = layout();
    symlinkSync(path.join(outside, "missing.json"), path.join(ws, "plan.json"));
    symlinkSync(path.join(outside, "missing-dir"), path.join(ws, "gone"));
    expectRefused(await runCli(["compile", "p.sanction", "-o", "plan.json"], ws), "plan.json", ws);
    expectRefused(await runCli(["compile", "p.sanction", "-o", "gone/plan.json"], ws), "gone/plan.json", ws);
    expect(readdirSync(outside)).toEqual(["keep.txt"]);
  });
});

describe("what is allowed", () => {
  it("new nested folders under the working directory are created", async () => {
    const { ws } = layout();
    const r = await runCli(["compile", "p.sanction", "-o", "build/a/b/plan.json"], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^wrote build\/a\/b\/plan\.json \(\d+ policies, \d+ apps\)\n$/);
    expect(JSON.parse(readFileSync(path.join(ws, "build/a/b/plan.json"), "utf8")).format).toBe("sanction-plan");
  });

  it("a folder whose name starts with .. is inside, for outputs and for the import root", async () => {
    const { ws } = layout({ "ws/..data/p.sanction": POLICY });
    const r = await runCli(["compile", "..data/p.sanction", "-o", "..data/plan.json"], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(ws, "..data/plan.json"))).toBe(true);
    expect(workspaceRoot(ws, ["..data/p.sanction"])).toBe(ws);
  });

  it("--output-root DIR allows DIR (before or after the command, repeatable, --output-root=DIR)", async () => {
    const { ws, outside } = layout();
    const a = await runCli(["--output-root", outside, "compile", "p.sanction", "-o", path.join(outside, "a.json")], ws);
    expect(a.code, a.stderr).toBe(0);
    const b = await runCli(["compile", "p.sanction", "-o", "../outside/deep/b.json", `--output-root=${outside}`], ws);
    expect(b.code, b.stderr).toBe(0);
    const other = path.join(ws, "..", "other");
    const c = await runCli(["compile", "p.sanction", "--output-root", outside, "--output-root", other, "-o", "../other/c.json"], ws);
    expect(c.code, c.stderr).toBe(0);
    expect(readdirSync(outside).sort()).toEqual(["a.json", "deep", "keep.txt"]);
    expect(existsSync(path.join(outside, "deep/b.json"))).toBe(true);
    expect(existsSync(path.join(other, "c.json"))).toBe(true);
    // a relative --output-root is taken from the working directory, and names only that folder
    expectRefused(await runCli(["compile", "p.sanction", "--output-root", "../outside/deep", "-o", "../outside/d.json"], ws), "../outside/d.json", ws);
  });

  it("--output-root also allows a symlinked folder leading there", async () => {
    const { ws, outside } = layout();
    symlinkSync(outside, path.join(ws, "published"));
    const r = await runCli(["compile", "p.sanction", "-o", "published/plan.json", "--output-root", outside], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(outside, "plan.json"))).toBe(true);
  });

  it("a symbolic link to a file inside an allowed folder: the real file is rewritten and the link kept", async () => {
    const { ws } = layout({ "ws/real/plan.json": "old\n" });
    symlinkSync("real/plan.json", path.join(ws, "plan.json"));
    const r = await runCli(["compile", "p.sanction", "-o", "plan.json"], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(readlinkSync(path.join(ws, "plan.json"))).toBe("real/plan.json");
    expect(JSON.parse(readFileSync(path.join(ws, "real/plan.json"), "utf8")).format).toBe("sanction-plan");
  });

  it("the command's --root folder is allowed as well as the working directory", async () => {
    const { ws } = layout({ "policies/p.sanction": POLICY });
    const policies = path.join(ws, "..", "policies");
    const r = await runCli(["compile", policies, "--root", policies, "-o", path.join(policies, "plan.json")], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(policies, "plan.json"))).toBe(true);
  });

  it("--output-root without a folder is a usage error", async () => {
    const { ws } = layout();
    const r = await runCli(["compile", "p.sanction", "--output-root"], ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("sanction: --output-root needs a folder (e.g. --output-root /etc/unbound)\n");
    expect((await runCli(["compile", "p.sanction", "--output-root="], ws)).code).toBe(2);
  });
});

describe("every command that writes is confined", () => {
  const cases: { name: string; args: (outside: string) => string[]; raw: (outside: string) => string }[] = [
    { name: "compile -o", args: (o) => ["compile", "p.sanction", "-o", `${o}/x.json`], raw: (o) => `${o}/x.json` },
    { name: "compile --target duckdb -o", args: () => ["compile", "p.sanction", "--target", "duckdb", "-o", "../outside/q.sql"], raw: () => "../outside/q.sql" },
    { name: "test --junit", args: () => ["test", "p.sanction", "--junit", "../outside/junit.xml"], raw: () => "../outside/junit.xml" },
    { name: "diff -o", args: () => ["diff", "--base", ".", "p.sanction", "--traffic", TRAFFIC, "-o", "../outside/diff.txt"], raw: () => "../outside/diff.txt" },
    { name: "indicators -o (file)", args: () => ["indicators", "p.sanction", "--target", "rpz", "-o", "../outside/x.rpz"], raw: () => "../outside/x.rpz" },
    { name: "indicators -o (folder)", args: () => ["indicators", "p.sanction", "--target", "mde-json", "-o", "../outside/mde"], raw: () => "../outside/mde" },
    { name: "catalog import -o", args: () => ["catalog", "import", "list.csv", "--from", "csv", "-o", "../outside"], raw: () => "../outside/list.sanction" },
  ];
  for (const c of cases) {
    it(`${c.name}: refused with exit 2 and nothing written; allowed with --output-root`, async () => {
      const { ws, outside } = layout({ "ws/list.csv": "name,domains,category\nZeta Tool,zeta-tool.example,other\n" });
      const r = await runCli(c.args(outside), ws);
      expectRefused(r, c.raw(outside), ws);
      expect(r.stderr).toContain(`add --output-root ${outside}`);
      expect(readdirSync(outside)).toEqual(["keep.txt"]);
      const ok = await runCli([...c.args(outside), "--output-root", outside], ws);
      expect([0, 1], ok.stderr).toContain(ok.code); // test exits 0 or 1 on its outcome; either way the file is written
      expect(readdirSync(outside).length).toBe(2);
    });
  }
});

describe("fmt --write rewrites only the files it read, under the allowed folders", () => {
  it("a folder's symbolic links are not followed: a linked file outside is neither read nor rewritten", async () => {
    const { ws, outside } = layout({ "ws/a.sanction": UNFORMATTED, "outside/b.sanction": UNFORMATTED });
    symlinkSync(path.join(outside, "b.sanction"), path.join(ws, "b.sanction"));
    symlinkSync(outside, path.join(ws, "linked"));
    const r = await runCli(["fmt", "--write", "."], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("formatted a.sanction\n");
    expect(r.stderr).not.toContain("b.sanction");
    expect(readFileSync(path.join(ws, "a.sanction"), "utf8")).toBe(`block domain "files.example.net"\n`);
    expect(readFileSync(path.join(outside, "b.sanction"), "utf8")).toBe(UNFORMATTED);
    expect(lstatSync(path.join(ws, "b.sanction")).isSymbolicLink()).toBe(true);
  });

  it("a file named on the command line that links outside: refused before any file is rewritten", async () => {
    const { ws, outside } = layout({ "ws/a.sanction": UNFORMATTED, "outside/b.sanction": UNFORMATTED });
    symlinkSync(path.join(outside, "b.sanction"), path.join(ws, "b.sanction"));
    const r = await runCli(["fmt", "--write", "a.sanction", "b.sanction"], ws);
    expectRefused(r, "b.sanction", ws);
    expect(readFileSync(path.join(ws, "a.sanction"), "utf8")).toBe(UNFORMATTED);
    expect(readFileSync(path.join(outside, "b.sanction"), "utf8")).toBe(UNFORMATTED);
    // named outside the working directory: refused too, unless its folder is named
    expectRefused(await runCli(["fmt", "--write", path.join(outside, "b.sanction")], ws), path.join(outside, "b.sanction"), ws);
    expect((await runCli(["fmt", "--write", path.join(outside, "b.sanction"), "--output-root", outside], ws)).code).toBe(0);
    expect(readFileSync(path.join(outside, "b.sanction"), "utf8")).toBe(`block domain "files.example.net"\n`);
  });

  it("a file named on the command line that links inside: the file read is rewritten, the link kept", async () => {
    const { ws } = layout({ "ws/real/a.sanction": UNFORMATTED });
    symlinkSync("real/a.sanction", path.join(ws, "a.sanction"));
    const r = await runCli(["fmt", "--write", "a.sanction"], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(path.join(ws, "a.sanction")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(ws, "real/a.sanction"), "utf8")).toBe(`block domain "files.example.net"\n`);
  });

  it("fmt and fmt --check write nothing, wherever the files are", async () => {
    const { ws, outside } = layout({ "outside/b.sanction": UNFORMATTED });
    expect((await runCli(["fmt", path.join(outside, "b.sanction")], ws)).code).toBe(0);
    expect((await runCli(["fmt", "--check", path.join(outside, "b.sanction")], ws)).code).toBe(1);
    expect(readFileSync(path.join(outside, "b.sanction"), "utf8")).toBe(UNFORMATTED);
  });
});

describe("writeFileAtomic", () => {
  it("refuses to replace a symbolic link (a rename would swap the link for a plain file)", () => {
    const dir = realpathSync(tempWorkspace({ "real.txt": "old\n" }));
    symlinkSync("real.txt", path.join(dir, "link.txt"));
    expect(() => writeFileAtomic(path.join(dir, "link.txt"), "new\n")).toThrow(/is a symbolic link \(not replaced\)/);
    expect(readlinkSync(path.join(dir, "link.txt"))).toBe("real.txt");
    expect(readFileSync(path.join(dir, "real.txt"), "utf8")).toBe("old\n");
    expect(readdirSync(dir).sort()).toEqual(["link.txt", "real.txt"]);
  });

  it("keeps the mode of the file it replaces and creates missing folders", () => {
    const dir = realpathSync(tempWorkspace({}));
    writeFileAtomic(path.join(dir, "a/b/f.txt"), "one\n");
    writeFileSync(path.join(dir, "g.sh"), "old\n", { mode: 0o750 });
    writeFileAtomic(path.join(dir, "g.sh"), "new\n");
    expect(lstatSync(path.join(dir, "g.sh")).mode & 0o777).toBe(0o750);
    expect(readFileSync(path.join(dir, "a/b/f.txt"), "utf8")).toBe("one\n");
    expect(readdirSync(path.join(dir, "a/b"))).toEqual(["f.txt"]);
  });
});
