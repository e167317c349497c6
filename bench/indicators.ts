/**
 * `npm run build && node --import tsx bench/indicators.ts`: the time from a policy edit to
 * every enforcement file, for a 30,000-domain set (3,000 workspace apps × 10 domains: 2,000
 * unsanctioned, 1,000 monitored with a redirect and bypass; plus manual decisions).
 *
 * In process, per run, after editing one policy file: load + parse + check + compile (what
 * `sanction compile` does: the named baseline, timed alone in the same run), then the
 * indicator set and all ten targets rendered. The Defender targets render with the limit
 * raised to 40,000 (a real tenant holds 15,000; `--collapse` would fold these families).
 * Median of 7 runs after 2 warm-up runs; the catalog is loaded once, as `--watch` does.
 *
 * Then through the real binary: `sanction indicators --watch` with every target that takes
 * the set as it is (not the Defender ones, which refuse 30,000 indicators against the tenant
 * limit), writing into one folder. Each edit appends a block to the policy file; the time is
 * from the write until every output file has been replaced (atomic rename, seen by polling),
 * and the new name is then checked to be in each. Median of 7 edits after 2 warm-up edits.
 * `BENCH_WATCH=0` skips this part.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import * as path from "node:path";
import { builtinCatalog } from "@sanction/catalog";
import { analyze, nodeFileHost, effectiveCatalog } from "@sanction/semantics";
import { compile } from "@sanction/compiler";
import { generate, TARGETS } from "@sanction/indicators";

const APPS = Number(process.env["BENCH_APPS"] ?? 3000);
const PER_APP = 10;
const dir = path.join(tmpdir(), "sanction-bench-indicators");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const apps: string[] = [];
const decisions: string[] = [];
for (let i = 0; i < APPS; i++) {
  const domains = Array.from({ length: PER_APP }, (_, k) => (k % 2 ? `*.s${k}.app${i}-bench.com` : `*.app${i}-bench${k}.net`));
  apps.push(`app "Bench App ${i}" {\n  vendor "Bench"\n  domains ${domains.join(", ")}\n  category cloud_storage\n}\n`);
  decisions.push(i % 3 === 2 ? `monitor app "Bench App ${i}"\n  redirect "https://intranet.example.com/apps"\n  bypass 24h\n` : `unsanction app "Bench App ${i}"\n`);
}
writeFileSync(path.join(dir, "apps.sanction"), apps.join("\n"));
const decisionsFile = path.join(dir, "decisions.sanction");
const writeDecisions = (run: number) => writeFileSync(decisionsFile, `import "./apps.sanction"\n${decisions.join("")}block domain "edit${run}.example.org"\n`);

const catalog = builtinCatalog();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function compileOnce() {
  const a = analyze([decisionsFile], { root: dir, host: nodeFileHost });
  if (a.diagnostics.some((d) => d.severity === "error")) throw new Error("bench policies have errors: " + a.diagnostics[0]!.message);
  const merged = effectiveCatalog(a.model, catalog, { sources: a.sources });
  return compile(a.model, merged.catalog, { sources: a.sources, asOf: "2026-11-01" });
}

const baseline: number[] = [];
const full: number[] = [];
const indicatorsOnly: number[] = [];
const oneTarget: number[] = [];
let domains = 0;
let entries = 0;
for (let run = 0; run < 9; run++) {
  writeDecisions(run);
  const t0 = performance.now();
  compileOnce();
  const t1 = performance.now();
  writeDecisions(run + 100);
  const t2 = performance.now();
  const plan = compileOnce();
  const t3 = performance.now();
  const set = generate(plan);
  entries = 0;
  for (const t of Object.values(TARGETS)) entries += t.render(set, { issued: "2026-11-01", walledGarden: "garden.example.com", walledGardenIp: "10.0.0.1", limit: 40_000 }).count;
  const t4 = performance.now();
  domains = set.indicators.length;
  // One target after an edit: compile, the set, rpz.
  writeDecisions(run + 200);
  const t5 = performance.now();
  TARGETS["rpz"]!.render(generate(compileOnce()), {});
  const t6 = performance.now();
  if (run >= 2) {
    baseline.push(t1 - t0);
    full.push(t4 - t2);
    indicatorsOnly.push(t4 - t3);
    oneTarget.push(t6 - t5);
  }
}

const WATCH_TARGETS = Object.values(TARGETS).filter((t) => !t.grouped);
const { times: watchTimes, regenerated } = process.env["BENCH_WATCH"] === "0" ? { times: [], regenerated: [] } : await watchEdits();

console.log(`machine: ${cpus()[0]?.model ?? "?"} × ${cpus().length}, Node ${process.version}`);
console.log(`set: ${APPS.toLocaleString("en-US")} apps, ${domains.toLocaleString("en-US")} indicators; ${entries.toLocaleString("en-US")} entries written over ${Object.keys(TARGETS).length} targets`);
console.log("| step | median ms |");
console.log("|---|---:|");
console.log(`| baseline: load + check + compile (sanction compile) | ${median(baseline).toFixed(0)} |`);
console.log(`| indicator set + all ${Object.keys(TARGETS).length} targets | ${median(indicatorsOnly).toFixed(0)} |`);
console.log(`| edit → every target (compile + indicators) | ${median(full).toFixed(0)} |`);
console.log(`| edit → one target (rpz) | ${median(oneTarget).toFixed(0)} |`);
if (watchTimes.length) {
  console.log(`| \`--watch\` (real binary): edit → all ${WATCH_TARGETS.length} files replaced (${WATCH_TARGETS.map((t) => t.name).join(", ")}) | ${median(watchTimes).toFixed(0)} |`);
  console.log(`| … of which the run itself (its "regenerated in" line: compile, set, ${WATCH_TARGETS.length} targets, writes) | ${median(regenerated).toFixed(0)} |`);
}
console.log(`every target ${median(full) < 1000 ? "under" : "OVER"} one second` + (watchTimes.length ? `; --watch ${median(watchTimes) < 1000 ? "under" : "OVER"} one second` : ""));
rmSync(dir, { recursive: true, force: true });

/** Edits under a running `sanction indicators --watch`: the time until every output file was replaced, and the run's own figure. */
async function watchEdits(): Promise<{ times: number[]; regenerated: number[] }> {
  const out = path.join(dir, "out");
  const bin = path.resolve(import.meta.dirname, "../packages/cli/bin/sanction.js");
  writeDecisions(1000);
  const child = spawn(process.execPath, [bin, "indicators", dir, "--root", dir, "--target", WATCH_TARGETS.map((t) => t.name).join(","), "-o", out, "--output-root", dir, "--watch", "--issued", "2026-11-01"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += String(d)));
  const files = WATCH_TARGETS.map((t) => path.join(out, t.render({ indicators: [], notes: [] }, {}).files[0]!.name));
  const mtime = (f: string) => statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const until = async (pred: () => boolean, what: string) => {
    const end = Date.now() + 60_000;
    while (!pred()) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`--watch: ${what} did not happen: ${stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const times: number[] = [];
  const regenerated: number[] = [];
  try {
    await until(() => files.every((f) => mtime(f) > 0) && stderr.includes("watching"), "the first write");
    for (let edit = 0; edit < 9; edit++) {
      await new Promise((r) => setTimeout(r, 300));
      const before = files.map(mtime);
      const t0 = performance.now();
      writeDecisions(2000 + edit);
      await until(() => files.every((f, i) => mtime(f) !== before[i]), `edit ${edit} rewriting every output`);
      const took = performance.now() - t0;
      for (const f of files) if (!readFileSync(f, "utf8").includes(`edit${2000 + edit}.example.org`)) throw new Error(`${f} does not hold the edit`);
      await until(() => (stderr.match(/regenerated in \d+ ms/g) ?? []).length > edit, `edit ${edit}'s "regenerated" line`);
      if (edit >= 2) {
        times.push(took);
        regenerated.push(Number(/regenerated in (\d+) ms\n(?![\s\S]*regenerated)/.exec(stderr)![1]));
      }
    }
  } finally {
    child.kill("SIGINT");
  }
  return { times, regenerated };
}
