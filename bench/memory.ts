/**
 * `npm run bench:memory`: the peak memory (RSS) of the built `sanction simulate` over big
 * generated logs, the goal being a 5 GB log in under 500 MB with worker threads on every core:
 *
 * - a Squid access.log of BENCH_MEMORY_GB GiB (default 5, one week), simulated with the default
 *   threads (one per core) against the baseline of the same CLI on one thread (`--threads 1`);
 * - BENCH_ZEEK_LOGS (default 4) Zeek dns.logs of BENCH_ZEEK_LINES (default 3,000,000) lines
 *   that span the same week, so that every thread sees every day: the first two, then all of
 *   them, on one thread and on every core.
 *
 * Each run: wall time and the whole process's peak RSS (GNU time's maximum resident set size
 * when /usr/bin/time exists, else the high-water mark VmHWM read from /proc every 50 ms), and
 * whether its report equals the one-thread report byte for byte. BENCH_REPEAT runs of each
 * (default 1), taking turns. BENCH_OTHER=DIR runs another checkout's built CLI too, in turn
 * with this one, for a before/after in the same run.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir, availableParallelism } from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { squidChunks, write, zeekDnsChunks } from "./logs.js";
import { watchPeakRss } from "./peak-rss.js";

const GB = Number(process.env["BENCH_MEMORY_GB"] ?? 5);
const ZEEK_LOGS = Number(process.env["BENCH_ZEEK_LOGS"] ?? 4);
const ZEEK_LINES = Number(process.env["BENCH_ZEEK_LINES"] ?? 3_000_000);
const REPEAT = Math.max(1, Number(process.env["BENCH_REPEAT"] ?? 1));
const OTHER = process.env["BENCH_OTHER"];
const dir = path.join(tmpdir(), "sanction-bench-memory");
mkdirSync(dir, { recursive: true });

/** Squid native lines are about 135 bytes: this many make BENCH_MEMORY_GB GiB. */
const squidLinesCount = Math.round((GB * 2 ** 30) / 138);
const squid = path.join(dir, `squid-${GB}g.log`);
console.error(`writing ${GB} GiB of Squid lines and ${ZEEK_LOGS} Zeek dns.logs of ${ZEEK_LINES.toLocaleString("en-US")} lines…`);
await write(squid, squidChunks(squidLinesCount, 1));
const zeek = Array.from({ length: ZEEK_LOGS }, (_, k) => path.join(dir, `dns-${k}.log`));
for (const [k, f] of zeek.entries()) await write(f, zeekDnsChunks(ZEEK_LINES, 11 + k));

const builds = [{ name: "this build", root: process.cwd() }, ...(OTHER ? [{ name: path.basename(path.resolve(OTHER)), root: path.resolve(OTHER) }] : [])];
const gnuTime = existsSync("/usr/bin/time");

interface Run {
  seconds: number;
  peakBytes: number;
  report: string;
}

/** One `sanction simulate` over `files`; its wall time, peak RSS and report. */
async function run(root: string, files: readonly string[], threads: number | undefined, tag: string): Promise<Run> {
  const out = path.join(dir, `report-${tag}.json`);
  const args = [path.join(root, "packages/cli/bin/sanction.js"), "simulate", path.join(process.cwd(), "samples/policies"), "--traffic", ...files, ...(threads ? ["--threads", String(threads)] : []), "--report", "json", "-o", out, "--output-root", dir];
  const t0 = performance.now();
  const child = gnuTime ? spawn("/usr/bin/time", ["-f", "peak-kib %M", process.execPath, ...args], { stdio: ["ignore", "ignore", "pipe"] }) : spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const peakRss = gnuTime ? undefined : watchPeakRss(child.pid!, 50);
  const [code] = (await once(child, "exit")) as [number];
  const hwm = peakRss?.() ?? 0;
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`sanction simulate failed (${code}): ${stderr}`);
  const m = /peak-kib (\d+)/.exec(stderr);
  return { seconds, peakBytes: m ? Number(m[1]) * 1024 : hwm, report: readFileSync(out, "utf8") };
}

const cores = availableParallelism();
const cases = [
  { log: `Squid access.log, ${(statSync(squid).size / 2 ** 30).toFixed(2)} GiB (${squidLinesCount.toLocaleString("en-US")} lines)`, files: [squid] },
  ...(ZEEK_LOGS >= 2 ? [{ log: `2 Zeek dns.logs of the same week, ${ZEEK_LINES.toLocaleString("en-US")} lines each`, files: zeek.slice(0, 2) }] : []),
  ...(ZEEK_LOGS > 2 ? [{ log: `${ZEEK_LOGS} Zeek dns.logs of the same week, ${ZEEK_LINES.toLocaleString("en-US")} lines each`, files: zeek }] : []),
];

console.log(`## sanction simulate: peak memory on big logs`);
console.log("");
console.log(`machine: ${cores} cores, Node ${process.version}; peak RSS of the whole process from ${gnuTime ? "GNU time (maximum resident set size)" : "/proc VmHWM, sampled every 50 ms"}; ${REPEAT} run(s) each, taking turns`);
console.log("");
console.log(`| log | threads | build | seconds | peak RSS | report equals one thread's |`);
console.log(`|---|---:|---|---:|---:|---|`);
for (const c of cases) {
  // each build's one-thread report, which its threaded runs must equal
  const oneThread: string[] = [];
  for (const threads of [1, undefined]) {
    const results = builds.map(() => [] as Run[]);
    for (let i = 0; i < REPEAT; i++) for (const [b, build] of builds.entries()) results[b]!.push(await run(build.root, c.files, threads, `${b}-${threads ?? "all"}`));
    for (const [b, build] of builds.entries()) {
      const rs = results[b]!;
      if (threads === 1) oneThread[b] = rs[0]!.report;
      const one = oneThread[b]!;
      const range = (xs: number[], f: (x: number) => string) => (Math.min(...xs) === Math.max(...xs) ? f(xs[0]!) : `${f(Math.min(...xs))}–${f(Math.max(...xs))}`);
      console.log(
        `| ${c.log} | ${threads ?? `${cores} (default)`} | ${build.name} | ${range(rs.map((r) => r.seconds), (x) => x.toFixed(1))} | ${range(rs.map((r) => r.peakBytes / 2 ** 20), (x) => `${Math.round(x)} MiB`)} | ${rs.every((r) => r.report === one) ? "yes" : "NO"} |`,
      );
    }
  }
}
if (!process.env["BENCH_KEEP"]) rmSync(dir, { recursive: true, force: true });
