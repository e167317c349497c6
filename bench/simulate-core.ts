/**
 * One-thread simulation of one log in a process of its own, for bench/simulate.ts: started
 * under `taskset -c 0` it measures the rate of one core (V8's collector threads share that core
 * instead of borrowing an idle one), and two of them side by side give the machine's own
 * scaling, the baseline for worker threads.
 *
 * `node --import tsx bench/simulate-core.ts FILE REPEAT` prints one JSON line:
 * `{ records, ms: [...], cpuMs: [...] }`, one entry per timed run after one untimed run.
 */
import { builtinCatalog } from "@sanction/catalog";
import { analyze, nodeFileHost, effectiveCatalog } from "@sanction/semantics";
import { compile } from "@sanction/compiler";
import { simulate } from "@sanction/engine";
import { readTraffic } from "@sanction/traffic";
import { tuneGcForLogs } from "@sanction/cli";

const [file, repeatArg] = process.argv.slice(2);
if (!file) throw new Error("usage: simulate-core.ts FILE [REPEAT]");
const repeat = Math.max(1, Number(repeatArg ?? 3));

const a = analyze(["samples/policies"], { root: process.cwd(), host: nodeFileHost });
const merged = effectiveCatalog(a.model, builtinCatalog(), { sources: a.sources });
const plan = compile(a.model, merged.catalog, { sources: a.sources, asOf: "2026-11-01" });
tuneGcForLogs();

const ms: number[] = [];
const cpuMs: number[] = [];
let records = 0;
for (let k = 0; k <= repeat; k++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  records = (await simulate(plan, () => readTraffic(file))).report.totals.records;
  const c = process.cpuUsage(c0);
  if (k === 0) continue; // the first run warms the code up, as the in-process rows' earlier runs do
  ms.push(performance.now() - t0);
  cpuMs.push((c.user + c.system) / 1000);
}
console.log(JSON.stringify({ records, ms, cpuMs }));
