import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// What the built CLI loads to run a command: start-up time is mostly module loading, so each
// command imports only what it uses, and the parser loads chevrotain's one-file build.
const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "packages/cli/bin/sanction.js");
const recorder = path.join(root, "test/support/load-recorder.mjs");

function loads(args: string[]): { status: number | null; urls: string[] } {
  const log = path.join(mkdtempSync(path.join(tmpdir(), "sanction-loads-")), "urls.txt");
  const r = spawnSync(process.execPath, ["--import", recorder, bin, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, SANCTION_LOAD_LOG: log } });
  let urls: string[] = [];
  try {
    urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  } catch {
    // nothing resolved: the assertions below say what was expected
  }
  return { status: r.status, urls };
}

const matching = (urls: readonly string[], re: RegExp) => [...new Set(urls.filter((u) => re.test(u)))];

describe("CLI start-up", () => {
  it("`--version` loads no command", () => {
    const { status, urls } = loads(["--version"]);
    expect(status).toBe(0);
    expect(urls.some((u) => u.endsWith("/cli/dist/main.js"))).toBe(true);
    expect(matching(urls, /\/commands\/|chevrotain|@sanction\/|\/packages\/(?!cli\/)/)).toEqual([]);
  });

  it("`check` loads the parser from chevrotain's one-file build, and neither the language server nor DuckDB", () => {
    const { status, urls } = loads(["check", "samples/policies"]);
    expect(status).toBe(0);
    expect(matching(urls, /chevrotain/)).toEqual([expect.stringMatching(/\/packages\/syntax\/dist\/chevrotain\.mjs$/)]);
    expect(matching(urls, /lodash|vscode-languageserver|@duckdb|\/commands\/(?!check\.js)/)).toEqual([]);
  });

  it("`simulate` loads DuckDB only with --engine duckdb", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sanction-startup-"));
    const out = path.join(dir, "r.json");
    const plain = loads(["simulate", "samples/policies", "--traffic", "samples/traffic/squid-native.log", "--report", "json", "-o", out, "--output-root", dir]);
    expect(plain.status).toBe(0);
    expect(matching(plain.urls, /@duckdb|vscode-languageserver|simulate-duckdb/)).toEqual([]);
    const duck = loads(["simulate", "samples/policies", "--engine", "duckdb", "--traffic", "samples/traffic/no-such.parquet"]);
    expect(duck.status).toBe(2); // a missing file, found after the engine is loaded
    expect(matching(duck.urls, /simulate-duckdb/).length).toBe(1);
  });
});
