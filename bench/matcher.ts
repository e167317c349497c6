/**
 * `npm run build && node --import tsx bench/matcher.ts`: longest-domain-match lookups with
 * `@sanction/matcher` against named baselines, measured in the same run on the same workload:
 *   - baseline "tldts.getDomain + Map": the registrable domain of the host (public suffix list),
 *     looked up in a Map of pattern names (how a catalog indexed by registrable domain works;
 *     it cannot tell exact from subtree patterns or see deeper patterns, so it is a speed floor
 *     to beat, not an equivalent),
 *   - the same with tldts' fast-path options (no URL parsing, no hostname validation),
 *   - baseline "naive suffix Map walk": split the host into labels and look up every suffix
 *     (joined again) in Maps of exact and subtree names, longest first (same answers as ours).
 *
 * Catalog: BENCH_DOMAINS (100,000) generated, realistic patterns: 2–4 label names under common
 * TLDs including co.uk/com.au/co.jp, exact and subtree. Workload: BENCH_LOOKUPS (1,000,000) hosts:
 * hits on subdomains, exact hits and misses. Timing: the workload is cut into batches of
 * BENCH_BATCH lookups; after a full warm-up pass, the implementations take turns for
 * BENCH_BATCHES rounds, each turn timing two consecutive batches: the first starts with the caches
 * holding whatever the implementation before it left there (its tables come back from L3 during
 * the batch), the second runs with the implementation's own data in cache, as when a simulation
 * calls the matcher for record after record. Both medians are printed; the goals are judged on
 * the second (steady state), the first shows what a cold cache costs.
 */
import { buildMatcher, fromBase64, HostMatcher, toBase64, type MatcherEntry } from "@sanction/matcher";
import { getDomain } from "tldts";
import { cpus, totalmem } from "node:os";

const DOMAINS = Number(process.env["BENCH_DOMAINS"] ?? 100_000);
const LOOKUPS = Number(process.env["BENCH_LOOKUPS"] ?? 1_000_000);
const BATCH = Number(process.env["BENCH_BATCH"] ?? 50_000);
const BATCHES = Math.max(15, Number(process.env["BENCH_BATCHES"] ?? 21));
const SEED = Number(process.env["BENCH_SEED"] ?? 20_260_101);

// ---------------------------------------------------------------------------------------------
// Deterministic generator

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
function weighted<T>(table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [x, w] of table) if ((r -= w) < 0) return x;
  return table[table.length - 1]![0];
}

const TLDS: readonly (readonly [string, number])[] = [
  ["com", 50], ["net", 7], ["org", 5], ["io", 6], ["co.uk", 5], ["de", 4], ["fr", 2], ["co", 2], ["ai", 2], ["app", 2],
  ["dev", 1], ["cloud", 1], ["co.jp", 1], ["com.au", 1], ["com.br", 1], ["nl", 1], ["ca", 1], ["us", 1], ["eu", 1], ["xn--fiqs8s", 0.3],
];
const SYLLABLES = ["sales", "force", "drop", "box", "zen", "desk", "cloud", "flare", "git", "hub", "lab", "note", "ion", "slack", "team", "work", "ly",
  "zoom", "meet", "doc", "sign", "pay", "pal", "shop", "ify", "data", "dog", "snow", "flake", "atlas", "sian", "mail", "chimp", "fig", "ma",
  "canva", "trello", "asana", "mon", "day", "click", "up", "air", "table", "base", "camp", "fresh", "works", "hub", "spot", "stack", "over",
  "flow", "open", "ai", "gem", "ini", "clau", "de", "grammar", "ly", "we", "transfer", "one", "drive", "share", "point", "box", "net", "app"];
const SUBS = ["www", "api", "app", "login", "auth", "cdn", "static", "assets", "files", "upload", "eu", "us", "admin", "portal", "mail", "docs", "status", "sso", "m", "img"];
const REGIONS = ["eu-west-1", "us-east-1", "ap-south-1", "eu", "us", "emea", "apac", "prod", "edge", "r1"];

function word(): string {
  let w = pick(SYLLABLES) + pick(SYLLABLES);
  if (rand() < 0.35) w += pick(SYLLABLES);
  if (rand() < 0.25) w += String(Math.floor(rand() * 1000));
  if (rand() < 0.1) w = `${pick(SYLLABLES)}-${w}`;
  return w;
}

interface Catalog {
  entries: MatcherEntry[];
  exact: string[];
  subtree: string[];
}

function generateCatalog(n: number): Catalog {
  const seen = new Set<string>();
  const entries: MatcherEntry[] = [];
  const exact: string[] = [];
  const subtree: string[] = [];
  let app = 0;
  const add = (pattern: string): void => {
    if (entries.length >= n || seen.has(pattern)) return;
    seen.add(pattern);
    entries.push({ pattern, value: app });
    if (pattern.startsWith("*.")) subtree.push(pattern.slice(2));
    else exact.push(pattern);
  };
  while (entries.length < n) {
    app++;
    const base = `${word()}.${weighted(TLDS)}`;
    // most apps claim their whole domain; some add exact hosts, deeper subtrees or a sibling domain
    const shape = rand();
    if (shape < 0.55) add(`*.${base}`);
    else if (shape < 0.7) {
      add(`*.${base}`);
      add(`${pick(SUBS)}.${base}`);
    } else if (shape < 0.8) {
      add(base);
      add(`*.${pick(SUBS)}.${base}`);
    } else if (shape < 0.9) {
      add(`${pick(SUBS)}.${base}`);
      add(`${pick(SUBS)}.${pick(SUBS)}.${base}`);
    } else {
      add(`*.${base}`);
      add(`*.${word()}.${weighted(TLDS)}`);
      add(`${pick(REGIONS)}.${pick(SUBS)}.${base}`);
    }
  }
  return { entries, exact, subtree };
}

function generateWorkload(catalog: Catalog, n: number): string[] {
  const hosts: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    let labels: string[];
    if (r < 0.5) {
      // a subdomain of a subtree pattern, 1–3 more labels
      labels = [pick(catalog.subtree)];
      const extra = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < extra; k++) labels.unshift(rand() < 0.5 ? pick(SUBS) : pick(REGIONS));
    } else if (r < 0.7) {
      // an exact hit: an exact pattern's host, or a subtree pattern's own name
      labels = [rand() < 0.6 && catalog.exact.length > 0 ? pick(catalog.exact) : pick(catalog.subtree)];
    } else {
      // a miss: an unknown registrable domain, sometimes with subdomains
      labels = [`${word()}x${Math.floor(rand() * 100000)}`, weighted(TLDS)];
      if (rand() < 0.6) labels.unshift(pick(SUBS));
      if (rand() < 0.2) labels.unshift(pick(REGIONS));
    }
    hosts.push(labels.join("."));
  }
  // Concatenation makes cons strings (ropes), which every lookup would have to flatten or walk;
  // a log reader hands over flat strings: round-trip through JSON, as when reading JSON logs.
  return JSON.parse(JSON.stringify(hosts)) as string[];
}

// ---------------------------------------------------------------------------------------------
// Implementations

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeMs(runs: number, fn: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

console.error(`generating ${DOMAINS.toLocaleString("en-US")} patterns and ${LOOKUPS.toLocaleString("en-US")} lookups…`);
const catalog = generateCatalog(DOMAINS);
const workload = generateWorkload(catalog, LOOKUPS);

const buildMs = timeMs(5, () => buildMatcher(catalog.entries));
const bytes = buildMatcher(catalog.entries);
const loadMs = timeMs(15, () => HostMatcher.load(bytes));
const base64 = toBase64(bytes);
const base64Ms = timeMs(15, () => HostMatcher.load(fromBase64(base64)));
const matcher = HostMatcher.load(bytes);

const byName = new Map<string, number>();
const exactMap = new Map<string, number>();
const subtreeMap = new Map<string, number>();
for (const { pattern, value } of catalog.entries) {
  if (pattern.startsWith("*.")) {
    subtreeMap.set(pattern.slice(2), value);
    byName.set(pattern.slice(2), value);
  } else {
    exactMap.set(pattern, value);
    if (!byName.has(pattern)) byName.set(pattern, value);
  }
}
const FAST = { extractHostname: false, validateHostname: false } as const;

function naiveWalk(host: string): number {
  const labels = host.split(".");
  const whole = exactMap.get(host) ?? subtreeMap.get(host);
  if (whole !== undefined) return whole;
  for (let i = 1; i < labels.length; i++) {
    const v = subtreeMap.get(labels.slice(i).join("."));
    if (v !== undefined) return v;
  }
  return -1;
}

/** A floor no per-character lookup can beat: read each character once. */
function readAll(host: string): number {
  let x = 0;
  for (let i = 0; i < host.length; i++) x ^= host.charCodeAt(i);
  return x;
}

interface Impl {
  readonly name: string;
  readonly lookup: (host: string) => number;
}
const allImpls: Impl[] = [
  { name: "@sanction/matcher `match`", lookup: (h) => matcher.match(h) },
  { name: "baseline: `tldts.getDomain(host)` + Map", lookup: (h) => byName.get(getDomain(h) ?? "") ?? -1 },
  { name: "baseline: `tldts.getDomain(host, fast options)` + Map", lookup: (h) => byName.get(getDomain(h, FAST) ?? "") ?? -1 },
  { name: "baseline: naive suffix Map walk (split + join)", lookup: naiveWalk },
  { name: "floor: read every character (charCodeAt loop, no lookup)", lookup: readAll },
];
// BENCH_ONLY=matcher skips the baselines (for quick iterations).
const impls = process.env["BENCH_ONLY"] === "matcher" ? allImpls.slice(0, 1) : allImpls;

// Same answers as the naive walk on every host of the workload (and count the hit rate).
let hits = 0;
let exactHits = 0;
for (const host of workload) {
  const ours = matcher.match(host);
  const naive = naiveWalk(host);
  if (ours !== naive) throw new Error(`disagreement on ${host}: matcher ${ours}, naive ${naive}`);
  if (ours >= 0) hits++;
  if (exactMap.has(host)) exactHits++;
}

// One batch: BATCH lookups starting at `from` (wrapping). Each implementation gets its own copy of
// the loop (new Function: its own inline caches), so every call site stays monomorphic.
type Batch = (from: number) => number;
const batchSource = `
  let acc = 0;
  for (let i = 0, k = from; i < BATCH; i++) {
    acc = (acc + lookup(workload[k])) | 0;
    if (++k === workload.length) k = 0;
  }
  return acc;`;
function makeBatch(lookup: (host: string) => number): Batch {
  return new Function("lookup", "workload", "BATCH", `return function batch(from) {${batchSource}\n};`)(lookup, workload, BATCH) as Batch;
}
let sink = 0;
function timeBatch(batch: Batch, from: number): number {
  const t0 = process.hrtime.bigint();
  sink ^= batch(from);
  return Number(process.hrtime.bigint() - t0) / BATCH;
}
const batches = impls.map((impl) => makeBatch(impl.lookup));

// A warm-up pass of each implementation over the whole workload, then BATCHES rounds in which
// every implementation times one batch of BATCH consecutive lookups (the same batch, starting at
// a different place of the workload each round): taking turns batch by batch, a change in the
// machine's load during the run hits every implementation alike.
const coldSamples = impls.map(() => [] as number[]);
const samples = impls.map(() => [] as number[]);
batches.forEach((batch, i) => {
  console.error(`${impls[i]!.name}: warm-up…`);
  for (let from = 0; from < workload.length; from += BATCH) timeBatch(batch, from);
});
console.error(`${BATCHES} rounds of 2 × ${BATCH.toLocaleString("en-US")} lookups per implementation…`);
for (let b = 0; b < BATCHES; b++) {
  batches.forEach((batch, i) => {
    coldSamples[i]!.push(timeBatch(batch, (2 * b * BATCH) % workload.length));
    samples[i]!.push(timeBatch(batch, ((2 * b + 1) * BATCH) % workload.length));
  });
}

const medians = samples.map(median);
const coldMedians = coldSamples.map(median);
const ours = medians[0]!;
const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const MiB = 1024 * 1024;

console.log(`## @sanction/matcher benchmark`);
console.log("");
console.log(`machine: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} cores, ${fmt(totalmem() / 1024 ** 3, 1)} GiB), Node ${process.version}, ${process.platform}/${process.arch}`);
console.log(`catalog: ${fmt(catalog.entries.length)} patterns (${fmt(catalog.subtree.length)} subtree, ${fmt(catalog.exact.length)} exact); workload: ${fmt(workload.length)} hosts, ${fmt((100 * hits) / workload.length, 1)}% hits (${fmt((100 * exactHits) / workload.length, 1)}% on exact patterns), ${fmt((100 * (workload.length - hits)) / workload.length, 1)}% misses`);
console.log(`method: in one process, a warm-up pass of each implementation over the whole workload, then ${BATCHES} rounds in which the implementations take turns, each turn timing two consecutive batches of ${fmt(BATCH)} lookups (each implementation through its own monomorphic loop): "steady" is the second batch of a turn (the implementation's data in cache), "first batch of a turn" the first (caches left by the implementation before it). Median ns per lookup over the rounds (min–max in brackets). The matcher's answers equal the naive walk's on all ${fmt(workload.length)} hosts.`);
console.log("");
console.log("| implementation | steady: median ns/lookup | (min–max) | lookups/s | vs matcher | first batch of a turn: median ns | vs matcher |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
impls.forEach((impl, i) => {
  const m = medians[i]!;
  const s = samples[i]!;
  const c = coldMedians[i]!;
  const vs = (x: number, base: number) => (i === 0 ? "1.0×" : `${fmt(x / base, 1)}× slower`);
  console.log(`| ${impl.name} | ${fmt(m, 1)} | ${fmt(Math.min(...s), 1)}–${fmt(Math.max(...s), 1)} | ${fmt(1e9 / m)} | ${vs(m, ours)} | ${fmt(c, 1)} | ${vs(c, coldMedians[0]!)} |`);
});
console.log("");
console.log("| matcher | value |");
console.log("|---|---:|");
console.log(`| build (buildMatcher, median of 5) | ${fmt(buildMs, 1)} ms |`);
const hw = new Uint32Array(bytes.buffer, bytes.byteOffset, 12);
console.log(`| layout | ${fmt(hw[5]! - 1)} names (suffixes), ${fmt(hw[6]!)} table slots (${fmt((hw[6]! * 4) / MiB, 2)} MiB), ${fmt(hw[7]!)} record words (${fmt((hw[7]! * 4) / MiB, 2)} MiB) |`);
console.log(`| serialized size | ${fmt(bytes.byteLength)} B (${fmt(bytes.byteLength / MiB, 2)} MiB) |`);
console.log(`| base64 size (in the plan JSON) | ${fmt(base64.length)} B (${fmt(base64.length / MiB, 2)} MiB) |`);
console.log(`| load (HostMatcher.load, validates + checksums, median of 15) | ${fmt(loadMs, 2)} ms |`);
console.log(`| fromBase64 + load (median of 15) | ${fmt(base64Ms, 2)} ms |`);
console.log("");
const tldtsRatio = (medians[1] ?? NaN) / ours;
const checks = [
  [`median ≤ 150 ns per lookup (steady)`, ours <= 150, `${fmt(ours, 1)} ns`],
  [`≥ 4× faster than tldts.getDomain + Map (steady)`, tldtsRatio >= 4, `${fmt(tldtsRatio, 1)}×`],
  [`serialized size ≤ 4 MiB`, bytes.byteLength <= 4 * MiB, `${fmt(bytes.byteLength / MiB, 2)} MiB`],
] as const;
console.log("| target | result | |");
console.log("|---|---:|---|");
for (const [what, ok, value] of checks) console.log(`| ${what} | ${value} | ${ok ? "met" : "MISSED"} |`);
console.error(`(checksum ${sink})`);
if (process.env["BENCH_STRICT"] && checks.some(([, ok]) => !ok)) process.exitCode = 1;
