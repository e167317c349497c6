/**
 * `npm run bench:simulate`: end-to-end simulation throughput on generated logs (realistic hosts:
 * catalog apps, their subdomains, unknown domains, several users and days), against named
 * baselines measured in the same run: reading the same file and splitting it into lines with no
 * parsing at all, and reading it through the traffic reader (parse only). Every row is measured
 * BENCH_REPEAT times (default 3), interleaved, and the median is printed.
 *
 * - a Squid native access.log of BENCH_LINES lines (default 2,000,000), one thread, with V8's
 *   default garbage collection and with the setting the CLI uses (tuneGcForLogs);
 * - the same volume split into one file per core, read by worker threads;
 * - the one Squid file cut into line-aligned byte ranges, one per core, read by the main thread
 *   and worker threads (`simulate --threads`; the workers started before the timed run, while
 *   the plan is compiled, as the CLI does);
 * - a Zeek dns.log (TSV) and a BIND query log of BENCH_LINES queries each, one thread (DNS logs:
 *   client addresses, no users), and the BIND log cut into byte ranges like the Squid one;
 * - a Defender DeviceNetworkEvents JSON export (a JSON array) of BENCH_MDE_RECORDS records
 *   (default BENCH_LINES / 4), one thread;
 * - per core: the one-thread simulations again, each in a process of its own pinned to one core
 *   (`taskset -c 0`, bench/simulate-core.ts), so that V8's collector threads count against the
 *   core too;
 * - worker threads against the machine's own scaling: the per-core files simulated by as many
 *   separate one-thread processes at once, the baseline for the threaded rows;
 * - with BENCH_BIG_GB=N: N GiB of Squid lines generated on the fly and piped into
 *   `sanction simulate --traffic -` (the built CLI), peak RSS of that process sampled from
 *   /proc (Linux): memory must stay flat in the size of the log.
 */
import { mkdirSync, statSync, createReadStream, rmSync } from "node:fs";
import { tmpdir, cpus, availableParallelism } from "node:os";
import * as path from "node:path";
import { once } from "node:events";
import { spawn, spawnSync } from "node:child_process";
import { builtinCatalog } from "@sanction/catalog";
import { watchPeakRss } from "./peak-rss.js";
import { rng, squidLines, write, squidChunks, zeekDnsChunks, bindChunks, mdeChunks } from "./logs.js";
import { analyze, nodeFileHost, effectiveCatalog } from "@sanction/semantics";
import { compile } from "@sanction/compiler";
import { simulate, type SimulationResult } from "@sanction/engine";
import { readTraffic } from "@sanction/traffic";
import { simulateParallel, startWorkers, tuneGcForLogs } from "@sanction/cli";
import { setFlagsFromString } from "node:v8";
import type { Worker } from "node:worker_threads";

const LINES = Number(process.env["BENCH_LINES"] ?? 2_000_000);
const MDE_RECORDS = Number(process.env["BENCH_MDE_RECORDS"] ?? Math.floor(LINES / 4));
const REPEAT = Math.max(1, Number(process.env["BENCH_REPEAT"] ?? 3));
const BIG_GB = Number(process.env["BENCH_BIG_GB"] ?? 0);
const dir = path.join(tmpdir(), "sanction-bench-simulate");
mkdirSync(dir, { recursive: true });

/** Wall-clock and CPU time (every thread of the process: the main one, workers, V8's GC helpers). */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}

async function splitLines(file: string): Promise<number> {
  let n = 0;
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    n += parts.length;
  }
  return n;
}

async function readOnly(files: readonly string[]): Promise<number> {
  let n = 0;
  for (const f of files) for await (const batch of readTraffic(f)) n += batch.length;
  return n;
}

const squid = path.join(dir, `access-${LINES}.log`);
await write(squid, squidChunks(LINES, 1));
const threads = availableParallelism();
const shards: string[] = [];
for (let i = 0; i < threads; i++) {
  const f = path.join(dir, `shard-${i}-${Math.floor(LINES / threads)}.log`);
  await write(f, squidChunks(Math.floor(LINES / threads), 100 + i));
  shards.push(f);
}
const zeekDns = path.join(dir, `dns-${LINES}.log`);
await write(zeekDns, zeekDnsChunks(LINES, 11));
const bindLog = path.join(dir, `named-queries-${LINES}.log`);
await write(bindLog, bindChunks(LINES, 13));
const mde = path.join(dir, `DeviceNetworkEvents-${MDE_RECORDS}.json`);
await write(mde, mdeChunks(MDE_RECORDS, 7));

const a = analyze(["samples/policies"], { root: process.cwd(), host: nodeFileHost });
const merged = effectiveCatalog(a.model, builtinCatalog(), { sources: a.sources });
const plan = compile(a.model, merged.catalog, { sources: a.sources, asOf: "2026-11-01" });

interface Row {
  readonly label: string;
  readonly bytes: number;
  /** Untimed set-up before each run (what the CLI does while it compiles the plan). */
  readonly prepare?: () => Promise<Worker[]>;
  readonly run: (workers: Worker[]) => Promise<number>;
  /** "default": V8's own garbage collector settings, not the ones `sanction simulate` sets (tuneGcForLogs). */
  readonly gc?: "default";
  cpuMs: number[];
  readonly note?: () => string;
  readonly baseline?: string;
  ms: number[];
  count: number;
}
const size = (fs: readonly string[]) => fs.reduce((n, f) => n + statSync(f).size, 0);
let peakRss = 0;
const sampleRss = <T>(fn: () => Promise<T>) => async () => {
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    return await fn();
  } finally {
    clearInterval(sampler);
  }
};
const records = (r: SimulationResult) => r.report.totals.records;
const simulateSquid = async (): Promise<number> => records(await simulate(plan, () => readTraffic(squid)));
/**
 * `sanction simulate --threads N` starts its worker threads before it compiles the plan, so they
 * have loaded the engine by the time the work is handed out: the same here, the plan compiled
 * again while they start (untimed, like the one-thread rows' module loading).
 */
const workersReady = async (): Promise<Worker[]> => {
  const workers = startWorkers(threads - 1);
  compile(a.model, merged.catalog, { sources: a.sources, asOf: "2026-11-01" });
  await new Promise((resolve) => setTimeout(resolve, 50));
  return workers;
};
/** A log's two rows: read and parse only (the baseline), then the one-thread simulation. */
const logRows = (name: string, file: string): Row[] => [
  { label: `${name}: read + parse`, bytes: size([file]), run: () => readOnly([file]), ms: [], cpuMs: [], count: 0 },
  {
    label: `${name}: simulate, 1 thread`,
    bytes: size([file]),
    run: async () => records(await simulate(plan, () => readTraffic(file))),
    baseline: `${name}: read + parse`,
    ms: [],
    cpuMs: [],
    count: 0,
  },
];
/** One log cut into line-aligned byte ranges, one per thread (`sanction simulate --threads`). */
const rangesRow = (name: string, file: string, baseline: string): Row => ({
  label: `${name}, 1 file in ${threads} byte ranges: simulate, ${threads} threads`,
  bytes: size([file]),
  prepare: workersReady,
  run: async (workers) => records(await simulateParallel(plan, { files: [{ abs: file, shown: path.basename(file) }], threads, workers })),
  baseline,
  ms: [],
  cpuMs: [],
  count: 0,
});
const rows: Row[] = [
  { label: "Squid: read + split lines only", bytes: size([squid]), run: () => splitLines(squid), ms: [], cpuMs: [], count: 0 },
  { label: "Squid: read + parse (traffic reader)", bytes: size([squid]), run: () => readOnly([squid]), ms: [], cpuMs: [], count: 0 },
  {
    label: "Squid: simulate, 1 thread, V8's default garbage collection",
    bytes: size([squid]),
    gc: "default",
    run: simulateSquid,
    baseline: "Squid: read + parse (traffic reader)",
    ms: [],
    cpuMs: [],
    count: 0,
  },
  {
    label: "Squid: simulate, 1 thread",
    bytes: size([squid]),
    run: sampleRss(simulateSquid),
    note: () => `peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`,
    baseline: "Squid: read + parse (traffic reader)",
    ms: [],
    cpuMs: [],
    count: 0,
  },
  rangesRow("Squid", squid, "Squid: read + parse (traffic reader)"),
  { label: `Squid, ${threads} files: read + parse, 1 thread`, bytes: size(shards), run: () => readOnly(shards), ms: [], cpuMs: [], count: 0 },
  {
    label: `Squid, ${threads} files: simulate, ${threads} threads`,
    bytes: size(shards),
    prepare: workersReady,
    run: async (workers) => records(await simulateParallel(plan, { files: shards.map((abs) => ({ abs, shown: path.basename(abs) })), threads, workers })),
    baseline: `Squid, ${threads} files: read + parse, 1 thread`,
    ms: [],
    cpuMs: [],
    count: 0,
  },
  ...logRows("Zeek dns.log", zeekDns),
  ...logRows("BIND query log", bindLog),
  rangesRow("BIND query log", bindLog, "BIND query log: read + parse"),
  ...logRows("DeviceNetworkEvents JSON", mde),
];
for (let k = 0; k < REPEAT; k++) {
  for (const row of rows) {
    // as `sanction simulate` runs, unless the row measures V8's defaults (the flag is read at each collection)
    if (row.gc === "default") setFlagsFromString("--allocation-site-pretenuring");
    else tuneGcForLogs();
    const workers = (await row.prepare?.()) ?? [];
    const t = await timed(() => row.run(workers));
    row.ms.push(t.ms);
    row.cpuMs.push(t.cpuMs);
    row.count = t.value;
  }
}

const median = (xs: readonly number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
console.log(`Squid native and Zeek dns.log: ${LINES.toLocaleString("en-US")} lines each, ${(size([squid]) / 2 ** 20).toFixed(0)} and ${(size([zeekDns]) / 2 ** 20).toFixed(0)} MiB; DeviceNetworkEvents JSON: ${MDE_RECORDS.toLocaleString("en-US")} records, ${(size([mde]) / 2 ** 20).toFixed(0)} MiB`);
console.log(`plan: ${plan.apps.length} apps, ${plan.policies.length} policies, ${plan.indicators.length} manual decisions, ${plan.groups.length} groups`);
console.log(`machine: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} cores), Node ${process.version}; median of ${REPEAT} runs, wall clock`);
console.log("");
console.log("| run | seconds | records/s | MiB/s | CPU seconds | records per CPU second | of the reader's rate | note |");
console.log("|---|---:|---:|---:|---:|---:|---:|---|");
for (const row of rows) {
  const s = median(row.ms) / 1000;
  const cpu = median(row.cpuMs) / 1000;
  const base = row.baseline ? rows.find((r) => r.label === row.baseline) : undefined;
  const share = base ? `${Math.round((median(base.ms) / median(row.ms)) * 100)} %` : "";
  console.log(`| ${row.label} | ${s.toFixed(2)} | ${Math.round(row.count / s).toLocaleString("en-US")} | ${(row.bytes / 2 ** 20 / s).toFixed(1)} | ${cpu.toFixed(2)} | ${Math.round(row.count / cpu).toLocaleString("en-US")} | ${share} | ${row.note?.() ?? ""} |`);
}
console.log("");
console.log("CPU seconds are the process's (all threads: the main one, the workers and V8's garbage-collection helpers); records per CPU second is the rate per core a machine with every core busy gets. Rows run with the garbage-collection setting `sanction simulate` uses (no allocation-site pretenuring) unless they say V8's default.");

/** bench/simulate-core.ts in a process of its own (pinned to core 0 with `pinned`): its records and timed runs. */
async function coreRun(file: string, pinned: boolean): Promise<{ records: number; ms: number[]; cpuMs: number[] }> {
  const args = ["--import", "tsx", path.join("bench", "simulate-core.ts"), file, String(REPEAT)];
  const child = pinned ? spawn("taskset", ["-c", "0", process.execPath, ...args], { stdio: ["ignore", "pipe", "inherit"] }) : spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, "exit")) as [number];
  if (code !== 0) throw new Error(`bench/simulate-core.ts ${file} failed (${code})`);
  return JSON.parse(out.trim().split("\n").pop()!) as { records: number; ms: number[]; cpuMs: number[] };
}

const hasTaskset = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
console.log("");
if (!hasTaskset) console.log("(taskset is missing: the one-core rows need it, from util-linux)");
else {
  // One core: the process pinned with taskset, so V8's collector threads share the core with
  // the simulation instead of borrowing an idle one; this is the rate per core.
  console.log("One core (`taskset -c 0`, a process of its own, one untimed run then the median of BENCH_REPEAT):");
  console.log("");
  console.log("| log | records | seconds | records/s on one core | MiB/s |");
  console.log("|---|---:|---:|---:|---:|");
  for (const [label, file] of [["Squid native access.log", squid], ["Zeek dns.log", zeekDns], ["BIND query log", bindLog], ["DeviceNetworkEvents JSON", mde]] as const) {
    const r = await coreRun(file, true);
    const s = median(r.ms) / 1000;
    console.log(`| ${label} | ${r.records.toLocaleString("en-US")} | ${s.toFixed(2)} | ${Math.round(r.records / s).toLocaleString("en-US")} | ${(size([file]) / 2 ** 20 / s).toFixed(1)} |`);
  }
}

// Worker threads against the machine's own scaling: the same shards simulated by as many
// separate one-thread processes at once (no sharing at all), the best threads could do here.
const apart = await Promise.all(shards.map((f) => coreRun(f, false)));
const apartS = Math.max(...apart.map((r) => median(r.ms))) / 1000;
const apartRecords = apart.reduce((n, r) => n + r.records, 0);
const threaded = rows.find((r) => r.label === `Squid, ${threads} files: simulate, ${threads} threads`)!;
const ranges = rows.find((r) => r.label.startsWith("Squid, 1 file in"))!;
const threadedS = median(threaded.ms) / 1000;
const rangesS = median(ranges.ms) / 1000;
console.log("");
console.log(`Worker threads against ${threads} separate processes (baseline: each simulates one of the ${threads} files with one thread, all at once):`);
console.log("");
console.log("| run | seconds | records/s | per core | of the separate processes' rate |");
console.log("|---|---:|---:|---:|---:|");
console.log(`| Squid, ${threads} files: ${threads} separate processes, 1 thread each | ${apartS.toFixed(2)} | ${Math.round(apartRecords / apartS).toLocaleString("en-US")} | ${Math.round(apartRecords / apartS / threads).toLocaleString("en-US")} | 100 % |`);
console.log(`| Squid, ${threads} files: simulate, ${threads} threads | ${threadedS.toFixed(2)} | ${Math.round(threaded.count / threadedS).toLocaleString("en-US")} | ${Math.round(threaded.count / threadedS / threads).toLocaleString("en-US")} | ${Math.round((threaded.count / threadedS / (apartRecords / apartS)) * 100)} % |`);
console.log(`| Squid, 1 file in ${threads} byte ranges: simulate, ${threads} threads | ${rangesS.toFixed(2)} | ${Math.round(ranges.count / rangesS).toLocaleString("en-US")} | ${Math.round(ranges.count / rangesS / threads).toLocaleString("en-US")} | ${Math.round((ranges.count / rangesS / (apartRecords / apartS)) * 100)} % |`);
// a DNS server log cut the same way (its own rate: the separate processes above read Squid)
const bindRanges = rows.find((r) => r.label.startsWith("BIND query log, 1 file in"))!;
const bindRangesS = median(bindRanges.ms) / 1000;
console.log(`| BIND query log, 1 file in ${threads} byte ranges: simulate, ${threads} threads | ${bindRangesS.toFixed(2)} | ${Math.round(bindRanges.count / bindRangesS).toLocaleString("en-US")} | ${Math.round(bindRanges.count / bindRangesS / threads).toLocaleString("en-US")} | (BIND) |`);

if (BIG_GB > 0) {
  // N GiB of Squid lines piped into the built CLI; its peak RSS read from /proc
  const target = BIG_GB * 2 ** 30;
  const cli = path.join(process.cwd(), "packages/cli/bin/sanction.js");
  const child = spawn(process.execPath, [cli, "simulate", "samples/policies", "--traffic", "-", "--report", "json", "-o", path.join(dir, "big-report.json"), "--output-root", dir], { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  // A CLI that refuses its arguments closes its input: say why instead of failing on the write.
  child.stdin.on("error", (e) => {
    throw new Error(`sanction simulate --traffic - stopped reading (${e.message}): ${stderr}`);
  });
  const peakRss = watchPeakRss(child.pid!, 100);
  const t0 = performance.now();
  const r = rng(3);
  const perChunk = 20_000;
  const totalLines = Math.ceil(target / 135);
  let sent = 0;
  let lines = 0;
  for (let k = 0; sent < target; k++) {
    const text = squidLines(r, k * perChunk, perChunk, totalLines);
    sent += Buffer.byteLength(text);
    lines += perChunk;
    if (!child.stdin.write(text)) await once(child.stdin, "drain");
  }
  child.stdin.end();
  const [code] = (await once(child, "exit")) as [number];
  const hwm = peakRss();
  const secs = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`sanction simulate --traffic - failed (${code}): ${stderr}`);
  console.log("");
  console.log(`| run | GiB | seconds | lines/s | MiB/s | peak RSS |`);
  console.log(`|---|---:|---:|---:|---:|---:|`);
  console.log(`| generated Squid lines piped into \`sanction simulate --traffic -\` | ${(sent / 2 ** 30).toFixed(2)} | ${secs.toFixed(1)} | ${Math.round(lines / secs).toLocaleString("en-US")} | ${(sent / 2 ** 20 / secs).toFixed(1)} | ${Math.round(hwm / 2 ** 20)} MiB |`);
  console.log(`(the generator runs in this process and shares the machine: the rate is a floor)`);
  console.log(stderr.trim());
}
if (!process.env["BENCH_KEEP"]) rmSync(dir, { recursive: true, force: true });
