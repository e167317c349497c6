/**
 * `npm run bench:startup`: wall time of whole `sanction` processes on the bundled samples, as a
 * user, a pre-commit hook or a CI step starts them, against the named baseline measured in the
 * same run: a bare `node` process that does nothing (`node -e 0`), the floor no Node command can
 * beat. And the language server as an editor starts it: `sanction lsp --stdio` spawned,
 * initialized on a copy of the sample policies, one file opened, until its first diagnostics
 * arrive. The commands take turns, BENCH_RUNS rounds (default 9) after one untimed round; each
 * figure is the median, with the minimum and maximum.
 *
 * BENCH_OTHER=DIR also times the CLI of another checkout (built, with node_modules), in the same
 * rounds, for a before/after comparison: `git worktree add /tmp/before <rev>`, `npm ci` there.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import * as path from "node:path";
import { LspClient, sampleWorkspace } from "../test/language-server/client.js";

const RUNS = Math.max(3, Number(process.env["BENCH_RUNS"] ?? 9));
const root = path.resolve(import.meta.dirname, "..");
const other = process.env["BENCH_OTHER"] ? path.resolve(process.env["BENCH_OTHER"]) : undefined;
const out = mkdtempSync(path.join(tmpdir(), "sanction-bench-startup-"));

const COMMANDS: readonly (readonly [string, readonly string[]])[] = [
  ["--version", ["--version"]],
  ["check samples/policies", ["check", "samples/policies"]],
  ["compile samples/policies", ["compile", "samples/policies", "-o", path.join(out, "plan.json"), "--output-root", out]],
  ["indicators --target unbound", ["indicators", "samples/policies", "--target", "unbound", "-o", path.join(out, "rpz.conf"), "--output-root", out]],
  [
    "simulate samples/policies, samples/traffic/squid-native.log",
    ["simulate", "samples/policies", "--traffic", "samples/traffic/squid-native.log", "--report", "json", "-o", path.join(out, "report.json"), "--output-root", out],
  ],
];

interface Row {
  readonly name: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly samples: number[];
  /** A language server, timed to its first diagnostics instead of to its exit. */
  readonly lsp?: boolean;
}

const rows: Row[] = [{ name: "baseline: `node -e 0`", argv: ["-e", "0"], cwd: root, samples: [] }];
for (const [name, args] of COMMANDS) {
  rows.push({ name: `sanction ${name}`, argv: [path.join(root, "packages/cli/bin/sanction.js"), ...args], cwd: root, samples: [] });
  if (other) rows.push({ name: `… ${path.basename(other)}`, argv: [path.join(other, "packages/cli/bin/sanction.js"), ...args], cwd: other, samples: [] });
}
const lspName = "sanction lsp --stdio: spawn → diagnostics of one opened sample file";
rows.push({ name: lspName, argv: [path.join(root, "packages/cli/bin/sanction.js"), "lsp", "--stdio"], cwd: root, samples: [], lsp: true });
if (other) rows.push({ name: `… ${path.basename(other)}`, argv: [path.join(other, "packages/cli/bin/sanction.js"), "lsp", "--stdio"], cwd: other, samples: [], lsp: true });

const workspace = sampleWorkspace();
const opened = path.join(workspace, "cloud-storage.sanction");
const openedText = readFileSync(opened, "utf8");

async function runLsp(row: Row): Promise<number> {
  const t0 = process.hrtime.bigint();
  const client = new LspClient([process.execPath, ...row.argv], row.cwd);
  try {
    await client.initialize(workspace);
    const uri = client.open(opened, openedText);
    await client.waitDiagnostics(uri);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  } finally {
    await client.shutdown();
  }
}

function run(row: Row): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, row.argv, { cwd: row.cwd, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${row.name} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const time = (row: Row): Promise<number> | number => (row.lsp ? runLsp(row) : run(row));
console.error(`${rows.length} commands, 1 + ${RUNS} rounds…`);
for (const row of rows) await time(row);
for (let i = 0; i < RUNS; i++) for (const row of rows) row.samples.push(await time(row));
rmSync(out, { recursive: true, force: true });
rmSync(workspace, { recursive: true, force: true });

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => Math.round(ms).toLocaleString("en-US");
const floor = median(rows[0]!.samples);
console.log(`## CLI start-up\n`);
console.log(`machine: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} cores), Node ${process.version}; median wall ms of ${RUNS} rounds (min–max)\n`);
console.log("| process | median ms | (min–max) | above bare node |");
console.log("|---|---:|---:|---:|");
for (const row of rows) {
  const m = median(row.samples);
  console.log(`| ${row.name} | ${fmt(m)} | ${fmt(Math.min(...row.samples))}–${fmt(Math.max(...row.samples))} | ${row === rows[0] ? "" : fmt(m - floor)} |`);
}
