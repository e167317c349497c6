/**
 * `npm run bench:simulate`: end-to-end simulation throughput on a generated Squid access.log
 * (realistic hosts: catalog apps, their subdomains, unknown domains, several users and days),
 * against a named baseline in the same run: reading the same file and splitting it into lines,
 * with no parsing at all. Also: peak RSS, and the same logs split into one file per core run
 * with worker threads.
 */
import { mkdirSync, createWriteStream, statSync, createReadStream, rmSync } from "node:fs";
import { tmpdir, cpus, availableParallelism } from "node:os";
import * as path from "node:path";
import { once } from "node:events";
import { builtinCatalog } from "@sanction/catalog";
import { analyze, nodeFileHost, effectiveCatalog } from "@sanction/semantics";
import { compile } from "@sanction/compiler";
import { simulate } from "@sanction/engine";
import { readTraffic } from "@sanction/traffic";
import { simulateParallel } from "@sanction/cli";

const LINES = Number(process.env["BENCH_LINES"] ?? 2_000_000);
const dir = path.join(tmpdir(), "sanction-bench-simulate");
mkdirSync(dir, { recursive: true });

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function generate(file: string, lines: number, seed: number): Promise<void> {
  const catalog = builtinCatalog();
  const hosts: string[] = [];
  for (const app of catalog.apps()) for (const d of app.domains) hosts.push(d.startsWith("*.") ? ["www.", "api.", "files.", ""][hosts.length % 4] + d.slice(2) : d);
  for (let i = 0; i < 2000; i++) hosts.push(`cdn${i}.unknown-site-${i % 700}.example`);
  const users = Array.from({ length: 500 }, (_, i) => `user${i}@contoso.com`);
  const r = rng(seed);
  const out = createWriteStream(file);
  const start = Date.parse("2026-11-01T00:00:00Z") / 1000;
  let buf = "";
  for (let i = 0; i < lines; i++) {
    const t = (start + i * (7 * 86400 / lines)).toFixed(3);
    const host = hosts[Math.floor(r() ** 2 * hosts.length)]!;
    const user = users[Math.floor(r() * users.length)]!;
    const bytes = Math.floor(r() * 200000);
    buf += r() < 0.6
      ? `${t}     42 10.0.${i % 250}.${i % 200} TCP_TUNNEL/200 ${bytes} CONNECT ${host}:443 ${user} HIER_DIRECT/203.0.113.5 -\n`
      : `${t}     12 10.0.${i % 250}.${i % 200} TCP_MISS/200 ${bytes} GET http://${host}/path/${i % 97} ${user} HIER_DIRECT/203.0.113.5 text/html\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end(buf);
  await once(out, "finish");
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const big = path.join(dir, `access-${LINES}.log`);
await generate(big, LINES, 1);
const bytes = statSync(big).size;

const a = analyze(["samples/policies"], { root: process.cwd(), host: nodeFileHost });
const merged = effectiveCatalog(a.model, builtinCatalog(), { sources: a.sources });
const plan = compile(a.model, merged.catalog, { sources: a.sources, asOf: "2026-11-01" });

// Baseline: the same bytes, split into lines, nothing parsed.
const baseline = await time(async () => {
  let n = 0;
  let rest = "";
  for await (const chunk of createReadStream(big, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    n += parts.length;
  }
  return n;
});
const readOnly = await time(async () => {
  let n = 0;
  for await (const batch of readTraffic(big)) n += batch.length;
  return n;
});
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const single = await time(() => simulate(plan, () => readTraffic(big)));
clearInterval(sampler);

const threads = availableParallelism();
const shards: string[] = [];
for (let i = 0; i < threads; i++) {
  const f = path.join(dir, `shard-${i}-${Math.floor(LINES / threads)}.log`);
  await generate(f, Math.floor(LINES / threads), 100 + i);
  shards.push(f);
}
const parallel = await time(() => simulateParallel(plan, { files: shards.map((abs) => ({ abs, shown: path.basename(abs) })), threads }));

const mib = bytes / 1024 / 1024;
const row = (label: string, ms: number, lines: number, note = "") =>
  `| ${label} | ${(ms / 1000).toFixed(2)} | ${Math.round(lines / (ms / 1000)).toLocaleString("en-US")} | ${(mib / (ms / 1000)).toFixed(1)} | ${note} |`;
console.log(`Squid native log: ${LINES.toLocaleString("en-US")} lines, ${mib.toFixed(0)} MiB; plan: ${plan.apps.length} apps, ${plan.policies.length} policies`);
console.log(`machine: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} cores), Node ${process.version}`);
console.log("");
console.log("| run | seconds | lines/s | MiB/s | note |");
console.log("|---|---:|---:|---:|---|");
console.log(row("baseline: read + split lines only", baseline.ms, baseline.value));
console.log(row("read + parse (traffic reader)", readOnly.ms, readOnly.value));
console.log(row("simulate, 1 thread (both passes)", single.ms, single.value.report.totals.records, `peak RSS ${Math.round(peakRss / 1024 / 1024)} MiB`));
console.log(row(`simulate, ${threads} worker threads (${threads} files)`, parallel.ms, parallel.value.report.totals.records, `${threads} cores`));
console.log("");
console.log(`apps found: ${single.value.report.apps.length}; unknown domains: ${single.value.report.unknownDomains.length}`);
if (!process.env["BENCH_KEEP"]) rmSync(dir, { recursive: true, force: true });
