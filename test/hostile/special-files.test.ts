/*
 * Files in the workspace that are not regular files: a named pipe (reading it waits for a
 * writer that never comes) or a device, imported, given as an entry, or lying in a checked
 * folder. `sanction check` and the editor's workspace session refuse each with SAN201 at the
 * import, or as an unreadable entry, instead of hanging. A hang blocks the process in a read,
 * so the command runs in a process of its own, killed after a timeout that fails the test.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nodeFileHost } from "@sanction/semantics";
import { tempWorkspace } from "../support/cli.js";

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules", "tsx", "dist", "esm", "index.mjs");
const TIMEOUT_MS = 60_000;

/** `node …/SCRIPT ARGS` from the TypeScript sources, killed after TIMEOUT_MS. */
function run(script: string, args: string[], cwd: string) {
  const r = spawnSync("node", ["--conditions=source", "--import", tsx, path.join(__dirname, script), ...args], { cwd, encoding: "utf8", timeout: TIMEOUT_MS, killSignal: "SIGKILL" });
  expect(r.signal, `${script} ${args.join(" ")} was still running after ${TIMEOUT_MS} ms`).toBeNull();
  return r;
}

/** A workspace with a named pipe at `pipe` (made with mkfifo(1): Node has no mkfifo). */
function withPipe(files: Record<string, string>, pipe: string): string {
  const ws = tempWorkspace(files);
  execFileSync("mkfifo", [path.join(ws, pipe)]);
  return ws;
}

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
}
const where = (x: SarifResult) => {
  const l = x.locations[0]!.physicalLocation;
  return `${l.artifactLocation.uri}:${l.region.startLine}:${l.region.startColumn} ${x.ruleId} ${x.message.text}`;
};

describe("sanction check and a named pipe", () => {
  it("an imported pipe is SAN201 at the import's line and column, the rest is checked", () => {
    const ws = withPipe({ "main.sanction": 'group staff { user == "a@example.com" }\nimport "./pipe.sanction"\nblock domain "bad..com"\n' }, "pipe.sanction");
    const r = run("cli-process.ts", ["check", "--format", "sarif", "main.sanction"], ws);
    expect(r.status, r.stderr).toBe(1);
    const results: SarifResult[] = JSON.parse(r.stdout).runs[0].results;
    expect(results.map(where)).toEqual([
      'main.sanction:2:8 SAN201 cannot import "./pipe.sanction": not a regular file (a named pipe)',
      expect.stringMatching(/^main\.sanction:3:14 SAN404 /),
    ]);
  });

  it("a pipe given as an entry is an I/O error (exit 2) naming it", () => {
    const ws = withPipe({}, "pipe.sanction");
    const r = run("cli-process.ts", ["check", "pipe.sanction"], ws);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot read pipe.sanction: not a regular file (a named pipe)");
  });

  it("a pipe named *.sanction in a checked folder is reported, not read and not skipped", () => {
    const ws = withPipe({ "policies/ok.sanction": 'group staff { user == "a@example.com" }\n' }, "policies/pipe.sanction");
    const r = run("cli-process.ts", ["check", "policies"], ws);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot read policies/pipe.sanction: not a regular file (a named pipe)");
    expect(r.stderr).toMatch(/^1 file checked: 0 errors, 0 warnings$/m);
  });

  it("a device given as an entry is refused the same way, without being read", () => {
    // /dev/zero never ends: read whole, it would fill the memory.
    const ws = tempWorkspace({});
    const r = run("cli-process.ts", ["check", "/dev/zero"], ws);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("not a regular file (a device)");
  });
});

describe("the editor's workspace session and a named pipe", () => {
  it("reports the imported pipe at the import and on the pipe itself", () => {
    const ws = withPipe({ "main.sanction": 'import "./pipe.sanction"\n' }, "pipe.sanction");
    const r = run("ide-process.ts", [ws], ws);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      [path.join(ws, "main.sanction")]: ['SAN201 cannot import "./pipe.sanction": not a regular file (a named pipe)'],
      [path.join(ws, "pipe.sanction")]: ["SAN201 cannot read pipe.sanction: not a regular file (a named pipe)"],
    });
  });
});

describe("the node file host", () => {
  // node:fs's own object, patched and then synced into its ES module exports (which the file
  // host imports) with syncBuiltinESMExports.
  const patchable = fs as { statSync: typeof fs.statSync };
  const statSync = fs.statSync;
  afterEach(() => {
    patchable.statSync = statSync;
    syncBuiltinESMExports();
  });

  it("refuses a regular file swapped for a pipe between its stat and its open", () => {
    const ws = withPipe({ "regular.sanction": "" }, "pipe.sanction");
    const pipe = path.join(ws, "pipe.sanction");
    // The stat sees the regular file that was there a moment before; the open finds the pipe.
    patchable.statSync = ((p: fs.PathLike, ...rest: unknown[]) => (p === pipe ? statSync(path.join(ws, "regular.sanction")) : (statSync as (...a: unknown[]) => unknown)(p, ...rest))) as typeof fs.statSync;
    syncBuiltinESMExports();
    expect(fs.statSync(pipe).isFile()).toBe(true);
    expect(nodeFileHost.read(pipe)).toEqual({ error: "not a regular file (a named pipe)" });
  });

  it("reads a regular file whole", () => {
    const ws = tempWorkspace({ "a.sanction": "x".repeat(100_000) });
    const r = nodeFileHost.read(path.join(ws, "a.sanction"));
    expect("bytes" in r && Buffer.from(r.bytes).toString()).toBe("x".repeat(100_000));
  });
});
