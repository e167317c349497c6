/**
 * Traffic reader benchmark: `npm run build && node --import tsx bench/traffic.ts`
 *
 * Generates a log of each kind (Squid native, Zeek dns.log TSV, Unbound replies, Defender
 * DeviceNetworkEvents as a JSON array; BENCH_TRAFFIC_LINES lines each, default 1,000,000; the
 * Squid log is ~200 MB) in a temp folder, then reads each with readTraffic and, as the named
 * baseline in the same run, with "read + split lines": the same 1 MiB chunked read, the same
 * decoding into strings and line splitting, no parsing. Each figure is the best of
 * BENCH_TRAFFIC_RUNS runs (default 3) after one warm-up. Peak RSS is sampled after every batch:
 * it shows that memory stays flat whatever the file size (nothing is retained by the bench).
 *
 * Last, a fresh process reads the 200 MiB Squid log alone and reports its peak RSS.
 *
 * Parse only: the first BENCH_TRAFFIC_PARSE_LINES lines (default 300,000) of each log, held in
 * memory as strings, given to parseLine one by one (no reading, no batching): the parsers' own
 * cost per line, median of BENCH_TRAFFIC_RUNS passes after a warm-up pass.
 *
 * Env: BENCH_TRAFFIC_LINES, BENCH_TRAFFIC_RUNS, BENCH_TRAFFIC_DIR (keep files there and reuse them),
 * BENCH_TRAFFIC_PARSE_LINES, BENCH_TRAFFIC_PARSE_ONLY=1 (only the parse-only table).
 */
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { cpus, tmpdir } from "node:os";
import * as path from "node:path";
import { createParseState, parseLine, primeState, readTraffic, type TrafficFormat } from "@sanction/traffic";

// Child mode: read one file and print the peak RSS, in a process that did nothing else.
if (process.argv[2] === "--rss") {
  let peak = process.memoryUsage.rss();
  const start = peak;
  let records = 0;
  const reader = readTraffic(process.argv[3]!);
  for await (const batch of reader) {
    records += batch.length;
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }
  console.log(JSON.stringify({ start, peak, records, summary: reader.summary() }));
  process.exit(0);
}

const LINES = Number(process.env["BENCH_TRAFFIC_LINES"] ?? 1_000_000);
const RUNS = Number(process.env["BENCH_TRAFFIC_RUNS"] ?? 3);
/** The Squid log is made at least this large, to show that memory stays flat (RSS under ~200 MiB). */
const MIN_MB = Number(process.env["BENCH_TRAFFIC_SQUID_MB"] ?? 200);
const keep = process.env["BENCH_TRAFFIC_DIR"];
const dir = keep ?? mkdtempSync(path.join(tmpdir(), "sanction-bench-traffic-"));
if (keep) mkdirSync(keep, { recursive: true });

// ------------------------------------------------------------------------------ generators
let seed = 42;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const HOSTS = ["www.dropbox.com", "slack.com", "files.slack.com", "zoom.us", "teams.microsoft.com", "drive.google.com", "www.facebook.com", "twitter.com", "apps.apple.com", "mail.yahoo.com", "news.sohu.com", "www.msn.com", "discord.com", "app.box.com", "torrentz.cl"];
for (let i = 0; i < 2000; i++) HOSTS.push(`cdn${i}.unknown-${i % 97}.example.net`);
const host = (): string => HOSTS[rnd() < 0.6 ? int(0, 14) : int(15, HOSTS.length - 1)]!;
const ip = (): string => `10.20.${int(0, 9)}.${int(1, 254)}`;
const dst = (): string => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
const USERS = Array.from({ length: 300 }, (_, i) => `user${i}`);
const T0 = Date.UTC(2026, 10, 20);
const ts = (i: number): number => T0 + i * 37;

type Gen = (i: number) => string;
const GENERATORS: Record<string, { format: TrafficFormat; file: string; line: Gen; head?: string; tail?: string; sep?: string }> = {
  "squid-native": {
    format: "squid-native",
    file: "access.log",
    line: (i) => {
      const https = rnd() < 0.7;
      const h = host();
      return `${(ts(i) / 1000).toFixed(3)} ${String(int(1, 90000)).padStart(6, " ")} ${ip()} ${https ? "TCP_TUNNEL/200" : "TCP_MISS/200"} ${int(300, 900000)} ${https ? "CONNECT" : "GET"} ${https ? h + ":443" : `http://${h}/api/v2/items?page=${int(1, 99)}&session=${int(1e6, 9e6)}`} ${USERS[int(0, 299)]} HIER_DIRECT/${dst()} ${https ? "-" : "application/json"}`;
    },
  },
  "zeek-tsv (dns.log)": {
    format: "zeek-tsv",
    file: "dns.log",
    head: [
      "#separator \\x09",
      "#set_separator\t,",
      "#empty_field\t(empty)",
      "#unset_field\t-",
      "#path\tdns",
      "#open\t2026-11-20-00-00-00",
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected",
      "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool",
    ].join("\n") + "\n",
    line: (i) => `${(ts(i) / 1000).toFixed(6)}\tC${int(1e8, 9e8)}abcdEFGH\t${ip()}\t${int(49152, 65535)}\t10.1.0.53\t53\tudp\t${int(1, 65535)}\t0.0${int(1000, 9999)}\t${host()}\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t${dst()}\t300.000000\tF`,
  },
  "unbound (replies)": {
    format: "unbound",
    file: "unbound.log",
    line: (i) => `[${Math.floor(ts(i) / 1000)}] unbound[811:0] info: ${ip()} ${host()}. A IN NOERROR 0.0${int(1000, 9999)} 0 ${int(40, 200)}`,
  },
  "mde-json (array)": {
    format: "mde-json",
    file: "DeviceNetworkEvents.json",
    head: "[",
    sep: ",\n",
    tail: "]\n",
    line: (i) => {
      const h = host();
      const u = USERS[int(0, 299)]!;
      return JSON.stringify({
        Timestamp: new Date(ts(i)).toISOString().replace("Z", "1234Z"),
        DeviceId: "1d7c273073f11de44b58e3ddad4be764a27ef7d1",
        DeviceName: `${rnd() < 0.2 ? "mkt" : "eng"}-lt-${int(1000, 9999)}.contoso.com`,
        ActionType: rnd() < 0.9 ? "ConnectionSuccess" : "ConnectionFailed",
        RemoteIP: dst(),
        RemotePort: 443,
        RemoteUrl: rnd() < 0.8 ? h : `https://${h}/`,
        LocalIP: ip(),
        LocalPort: int(49152, 65535),
        Protocol: "Tcp",
        LocalIPType: "Private",
        RemoteIPType: "Public",
        InitiatingProcessFileName: "msedge.exe",
        InitiatingProcessId: int(1000, 30000),
        InitiatingProcessCommandLine: '"msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US',
        InitiatingProcessFolderPath: "c:\\program files (x86)\\microsoft\\edge\\application\\msedge.exe",
        InitiatingProcessAccountDomain: "contoso",
        InitiatingProcessAccountName: u,
        InitiatingProcessAccountUpn: `${u}@contoso.com`,
        InitiatingProcessIntegrityLevel: "Medium",
        ReportId: int(1000, 90000),
      });
    },
  },
};

/** Write the generated log (at least LINES lines; the Squid log also at least MIN_MB MiB). Returns its path and line count. */
async function generate(name: string): Promise<{ file: string; lines: number }> {
  const g = GENERATORS[name]!;
  const file = path.join(dir, g.file);
  const minBytes = name === "squid-native" ? MIN_MB * (1 << 20) : 0;
  const countFile = file + ".lines";
  if (keep && existsSync(file) && existsSync(countFile)) return { file, lines: Number(readFileSync(countFile, "utf8")) };
  const out = createWriteStream(file);
  let written = 0;
  if (g.head) {
    out.write(g.head);
    written += g.head.length;
  }
  const sep = g.sep ?? "\n";
  let buf = "";
  let i = 0;
  for (; i < LINES || written + buf.length < minBytes; i++) {
    if (i > 0) buf += sep;
    buf += g.line(i);
    if (buf.length > 1 << 20) {
      written += buf.length;
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  buf += "\n";
  if (g.tail) buf += g.tail;
  out.end(buf);
  await once(out, "finish");
  writeFileSync(countFile, String(i));
  return { file, lines: i };
}

// ------------------------------------------------------------------------------ measures
/** Baseline: the same chunked read, decoding and line splitting as the reader, no parsing. */
async function splitOnly(file: string): Promise<number> {
  let lines = 0;
  let carry: Buffer | undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      carry = buf;
      continue;
    }
    const text = buf.toString("latin1", 0, last + 1);
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf("\n", pos);
      const line = text.slice(pos, nl);
      if (line.length === 0) lines--; // keep the slice alive in the loop; count non-empty lines
      lines++;
      pos = nl + 1;
    }
    carry = buf.subarray(last + 1);
  }
  return lines;
}

let peakRss = 0;
async function readAll(file: string, format: TrafficFormat): Promise<number> {
  const reader = readTraffic(file, { format });
  let records = 0;
  for await (const batch of reader) {
    records += batch.length;
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  }
  const s = reader.summary();
  if (s.rejected > 0 || s.error) throw new Error(`${file}: ${s.rejected} rejected, ${s.error ?? ""}`);
  return records;
}

async function best(fn: () => Promise<number>): Promise<{ ms: number; count: number }> {
  let count = await fn(); // warm-up
  let ms = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    count = await fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, count };
}

/** The first `max` lines of a file, as the reader would hand them to the parser (the JSON array's elements one per line). */
function firstLines(file: string, max: number): string[] {
  const handle = openSync(file, "r");
  const buf = Buffer.alloc(Math.min(statSync(file).size, max * 1024, 0x1fff0000));
  readSync(handle, buf, 0, buf.length, 0);
  closeSync(handle);
  const fd = buf.toString("latin1", 0, buf.lastIndexOf(10) + 1);
  const lines: string[] = [];
  let pos = 0;
  while (lines.length < max && pos < fd.length) {
    let nl = fd.indexOf("\n", pos);
    if (nl < 0) nl = fd.length;
    lines.push(fd.slice(pos, nl));
    pos = nl + 1;
  }
  // flat strings, as a reader's decoder produces (not slices of one big string)
  return JSON.parse(JSON.stringify(lines)) as string[];
}

/**
 * Median ms of parsing every line of `lines` with a fresh state, over RUNS passes after a warm-up
 * (wall clock, and CPU time of the process: on a shared machine the latter does not count the
 * time other processes had the core); and the records made.
 */
function parseOnly(lines: readonly string[], format: TrafficFormat): { ms: number; cpuMs: number; records: number; rejected: number } {
  let records = 0;
  let rejected = 0;
  const pass = (): void => {
    const st = createParseState(format, { year: 2026 });
    primeState(st, lines.slice(0, 20));
    records = 0;
    rejected = 0;
    for (let i = 0; i < lines.length; i++) {
      const r = parseLine(format, lines[i]!, st, i + 1);
      if (typeof r === "object") {
        if ("reason" in r) rejected++;
        else records++;
      }
    }
  };
  pass();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < Math.max(RUNS, 3); i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    pass();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const mid = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { ms: mid(times), cpuMs: mid(cpu), records, rejected };
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const mb = (b: number): string => (b / (1 << 20)).toFixed(0);
const PARSE_LINES = Number(process.env["BENCH_TRAFFIC_PARSE_LINES"] ?? 300_000);
/** The parse-only table (run last: holding the lines in memory would inflate the RSS figures above). */
async function parseOnlyTable(): Promise<void> {
  const parseRows: string[] = [];
  for (const name of Object.keys(GENERATORS)) {
    const { file } = await generate(name);
    const lines = firstLines(file, PARSE_LINES);
    const r = parseOnly(lines, GENERATORS[name]!.format);
    if (r.rejected > 0) throw new Error(`${name}: ${r.rejected} lines rejected`);
    parseRows.push(`| ${name} | ${fmt(lines.length)} | ${fmt(r.records)} | ${fmt(r.ms)} | ${fmt(lines.length / (r.ms / 1000))} | ${fmt((r.ms * 1e6) / lines.length)} | ${fmt(lines.length / (r.cpuMs / 1000))} | ${fmt((r.cpuMs * 1e6) / lines.length)} |`);
  }
  console.log(`parse only: the first ${fmt(PARSE_LINES)} lines of each log held in memory, parseLine on each; median of ${Math.max(RUNS, 3)} passes after a warm-up`);
  console.log(`machine: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} cores), Node ${process.version}, one thread`);
  console.log("");
  console.log("| log | lines | records | wall ms | lines/s | ns/line | lines/s of CPU time | CPU ns/line |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of parseRows) console.log(r);
  console.log("");
}
if (process.env["BENCH_TRAFFIC_PARSE_ONLY"]) {
  await parseOnlyTable();
  if (!keep) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const rows: string[] = [];
const memory: string[] = [];
for (const name of Object.keys(GENERATORS)) {
  const { file, lines } = await generate(name);
  const size = statSync(file).size / (1 << 20);
  const base = await best(() => splitOnly(file));
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage.rss();
  peakRss = 0;
  const read = await best(() => readAll(file, GENERATORS[name]!.format));
  if (read.count !== lines) throw new Error(`${name}: ${read.count} records, expected ${lines}`);
  rows.push(`| ${name} | baseline: read + split lines | ${fmt(base.count)} | ${size.toFixed(0)} | ${fmt(base.ms)} | ${fmt(base.count / (base.ms / 1000))} | ${(size / (base.ms / 1000)).toFixed(0)} | 1.0 |`);
  rows.push(`| ${name} | readTraffic (parse) | ${fmt(read.count)} | ${size.toFixed(0)} | ${fmt(read.ms)} | ${fmt(read.count / (read.ms / 1000))} | ${(size / (read.ms / 1000)).toFixed(0)} | ${(read.ms / base.ms).toFixed(1)} |`);
  memory.push(`| ${name} | ${size.toFixed(0)} | ${mb(before)} | ${mb(peakRss)} |`);
}

console.log(`traffic reader: at least ${fmt(LINES)} lines per format (the Squid log at least ${MIN_MB} MiB), best of ${RUNS} runs after a warm-up; files in ${dir}`);
console.log(`machine: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} cores), Node ${process.version}, one thread`);
console.log("");
console.log("| log | step | lines | MiB | ms | lines/s | MiB/s | × baseline |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(r);
console.log("");
console.log("| log | file MiB | RSS before reading, MiB | peak RSS while reading, MiB |");
console.log("|---|---:|---:|---:|");
for (const m of memory) console.log(m);

// the same 200 MiB Squid log read by a fresh process that does nothing else
const squid = path.join(dir, GENERATORS["squid-native"]!.file);
const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--rss", squid], { encoding: "utf8" });
if (child.status !== 0) throw new Error(`rss child failed: ${child.stderr}`);
const r = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { start: number; peak: number; records: number };
console.log("");
console.log(`fresh process reading the ${(statSync(squid).size / (1 << 20)).toFixed(0)} MiB Squid log (${fmt(r.records)} records): RSS ${mb(r.start)} MiB at start, peak ${mb(r.peak)} MiB — ${r.peak < 200 * (1 << 20) ? "under" : "OVER"} 200 MiB`);
console.log("");
await parseOnlyTable();
if (!keep) rmSync(dir, { recursive: true, force: true });
