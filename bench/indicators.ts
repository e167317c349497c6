/**
 * `npx tsc -b && node --import tsx bench/indicators.ts`: the time from a policy edit to
 * every enforcement file, for a 30,000-domain set (3,000 workspace apps × 10 domains: 2,000
 * unsanctioned, 1,000 monitored with a redirect and bypass; plus manual decisions).
 *
 * Measured per run, after editing one policy file: load + parse + check + compile (what
 * `sanction compile` does: the named baseline, timed alone in the same run), then the
 * indicator set and all ten targets rendered. The Defender targets render with the limit
 * raised to 30,000 (a real tenant holds 15,000; `--collapse` would fold these families).
 * Median of 7 runs after 2 warm-up runs; the catalog is loaded once, as `--watch` does.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
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
  // What `--watch` does for one output: compile, set, one target.
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

console.log(`machine: ${cpus()[0]?.model ?? "?"} × ${cpus().length}, Node ${process.version}`);
console.log(`set: ${APPS.toLocaleString("en-US")} apps, ${domains.toLocaleString("en-US")} indicators; ${entries.toLocaleString("en-US")} entries written over ${Object.keys(TARGETS).length} targets`);
console.log("| step | median ms |");
console.log("|---|---:|");
console.log(`| baseline: load + check + compile (sanction compile) | ${median(baseline).toFixed(0)} |`);
console.log(`| indicator set + all ${Object.keys(TARGETS).length} targets | ${median(indicatorsOnly).toFixed(0)} |`);
console.log(`| edit → every target (compile + indicators) | ${median(full).toFixed(0)} |`);
console.log(`| edit → one target (rpz), as \`--watch\` does | ${median(oneTarget).toFixed(0)} |`);
console.log(`every target ${median(full) < 1000 ? "under" : "OVER"} one second; one target ${median(oneTarget) < 1000 ? "under" : "OVER"} one second`);
rmSync(dir, { recursive: true, force: true });
