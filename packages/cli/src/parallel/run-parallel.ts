import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Plan } from "@sanction/compiler";
import { SinglePass, decide, emptyState, exportTotals, finishReport, mergeTotals, type EngineState, type HeldWarnings, type SimulationResult, type InputSummary, type UsagePart } from "@sanction/engine";
import { TrafficReader, type CsvMapping, type TrafficFormat } from "@sanction/traffic";
import { tempSpill } from "../spill-file.js";
import type { MainMessage, PieceRejected, PieceSummary, WorkMessage, WorkPiece, WorkRequest } from "./protocol.js";
import { readShare } from "./read-share.js";

export interface ParallelOptions {
  readonly files: readonly { readonly abs: string; readonly shown: string; readonly csv?: CsvMapping }[];
  readonly format?: TrafficFormat;
  readonly state?: EngineState;
  readonly threads: number;
  readonly year?: number;
  /** Step 1: records read so far by all workers; step 2: held-back requests replayed. */
  readonly onProgress?: (step: 1 | 2, records: number) => void;
  /** Workers started beforehand (startWorkers), e.g. while the plan was compiled; more are started if needed, unused ones stopped. */
  readonly workers?: readonly Worker[];
  /** Warnings per chunk a worker sends the main thread (default HELD_BATCH; small in tests, to cross the window). */
  readonly heldBatch?: number;
  /** Pairs per part of a worker's aggregates (default PART_PAIRS; small in tests, to use many parts and their buffers again). */
  readonly partPairs?: number;
}

/**
 * How many more bytes the main thread reads than each worker: at the end a worker exports its
 * aggregates and posts them (tens of milliseconds), which the main thread spends reading.
 * The workers are started while the plan compiles, so they begin reading when the main thread
 * does and read as fast: a share in proportion (a fifth more, as it once was) only kept the
 * workers waiting, 0.9 s of a 6-million-line log.
 */
export const MAIN_EXTRA_BYTES = 4 * 1024 * 1024;

/** Worker threads are worth starting only for this much input; a file this big is also split into ranges. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** A cut that would leave a thread less than this of a file goes to its neighbours instead. */
const MIN_PIECE_BYTES = 4 * 1024 * 1024;

/**
 * The work of each thread, the main thread's first. The files, in their order, are taken as one
 * run of bytes cut into one share per thread, the main thread's MAIN_EXTRA_BYTES larger; a file
 * of at least PARALLEL_MIN_BYTES that a cut falls in is cut there into line-aligned byte ranges when
 * its format allows (TrafficReader.splitRanges: not gzip, not CSV or Zeek TSV…), and any other
 * file goes whole to the thread that holds most of it. So two equal logs on two threads are not
 * quite one each: the main thread also reads the first MAIN_EXTRA_BYTES of the second when it
 * can be cut. The shares follow the files' order, ranges of one log included, which is the
 * order equal times are settled in.
 */
export async function planShares(files: readonly WorkPiece[], threads: number, format?: TrafficFormat): Promise<(WorkPiece & { size: number })[][]> {
  const sizes = files.map((f) => safeSize(f.abs));
  const total = sizes.reduce((a, b) => a + b, 0);
  const shares: (WorkPiece & { size: number })[][] = Array.from({ length: Math.max(1, threads) }, () => []);
  if (threads < 2 || total === 0) {
    shares[0] = files.map((f, i) => ({ ...f, size: sizes[i]! }));
    return shares;
  }
  const extra = Math.min(MAIN_EXTRA_BYTES, total / (threads + 1));
  const unit = (total - extra) / threads;
  /** Where thread k's share of the run of bytes ends. */
  const shareEnd = (k: number): number => (k >= threads - 1 ? total : unit * (k + 1) + extra);
  let pos = 0;
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const size = sizes[i]!;
    const from = pos;
    pos += size;
    // the threads whose shares this file overlaps, with how much of it each
    const parts: { thread: number; bytes: number }[] = [];
    for (let k = 0, start = 0; k < threads; start = shareEnd(k), k++) {
      const bytes = Math.min(pos, shareEnd(k)) - Math.max(from, start);
      if (bytes > 0) parts.push({ thread: k, bytes });
    }
    const kept = parts.filter((p) => p.bytes >= MIN_PIECE_BYTES);
    const ranges =
      kept.length > 1 && size >= PARALLEL_MIN_BYTES
        ? await TrafficReader.splitRanges(f.abs, kept.length, { ...(format ? { format } : {}), ...(f.csv ? { csv: f.csv } : {}) }, kept.map((p) => p.bytes)).catch(() => undefined)
        : undefined;
    if (ranges !== undefined) ranges.forEach((range, j) => shares[kept[j]!.thread]!.push({ ...f, range, size: range.end - range.start }));
    else {
      // an empty (or vanished) file stays where it is in the order: with the thread at its place
      let here = 0;
      while (here < threads - 1 && shareEnd(here) <= from) here++;
      const most = parts.reduce((a, b) => (b.bytes > a.bytes ? b : a), parts[0] ?? { thread: here, bytes: 0 });
      shares[most.thread]!.push({ ...f, size });
    }
  }
  return shares;
}

function safeSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}

/**
 * Worker threads that load the engine and then wait for their work: started before the plan is
 * compiled, they are ready when it is. Give them to simulateParallel, which stops them all.
 */
export function startWorkers(count: number): Worker[] {
  return Array.from({ length: Math.max(0, count) }, () => startWorker());
}

function startWorker(): Worker {
  const w = spawnWorker();
  // a worker that dies before it is given work must still fail the run that takes it
  w.once("error", (e) => gone.set(w, `died: ${e.message}`));
  w.once("exit", (code) => gone.has(w) || gone.set(w, `exited with code ${code} before finishing; no partial report is written`));
  return w;
}

/** Workers that died or exited, and how. */
const gone = new WeakMap<Worker, string>();

function spawnWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker.js", import.meta.url));
  // Running from TypeScript sources (tests, benchmarks): register tsx inside the worker first.
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, execArgv: [...otherConditions(process.execArgv), "--conditions=source"] });
}

/** The `--conditions` / `-C` options of the parent, in either spelling (`--conditions=x`, `--conditions x`). */
function otherConditions(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--conditions=")) out.push(a);
    else if ((a === "--conditions" || a === "-C") && i + 1 < argv.length) out.push(`--conditions=${argv[++i]!}`);
  }
  return out;
}

type Read = Extract<WorkMessage, { kind: "read" }>;
type Done = Extract<WorkMessage, { kind: "done" }>;

/** One worker's conversation: its aggregates (the day pairs in parts), then (after `tags`) its verdict counts. */
class WorkerRun {
  readonly read: Promise<Read>;
  readonly done: Promise<Done>;
  private readonly worker: Worker;
  private failed: ((e: Error) => void)[] = [];
  /** Parts come in while the main thread still reads its own share: at most PART_WINDOW wait here. */
  private readonly partsIn: UsagePart[] = [];
  private partsEnded = false;
  private partsError: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(worker: Worker, req: WorkRequest, onProgress: (step: 1 | 2, records: number) => void, onHeld: (held: HeldWarnings) => void) {
    this.worker = worker;
    const shown = names(req.files);
    let gotRead: (r: Read) => void = () => {};
    let gotDone: (d: Done) => void = () => {};
    this.read = new Promise((resolve, reject) => {
      gotRead = resolve;
      this.failed.push(reject);
    });
    this.done = new Promise((resolve, reject) => {
      gotDone = resolve;
      this.failed.push(reject);
    });
    // a worker that fails after reading fails `done`; nobody may be waiting on `read` any more
    this.read.catch(() => undefined);
    this.done.catch(() => undefined);
    let finished = false;
    const fail = (message: string) => {
      if (finished) return;
      finished = true;
      const e = new Error(message);
      for (const f of this.failed) f(e);
      this.partsError = e;
      this.wake?.();
    };
    this.worker.on("message", (m: WorkMessage) => {
      if (m.kind === "progress") onProgress(m.step, m.records);
      else if (m.kind === "part" || m.kind === "parts-end") {
        if (m.kind === "part") this.partsIn.push(m.part);
        else this.partsEnded = true;
        this.wake?.();
      }
      else if (m.kind === "held") {
        if (finished) return;
        onHeld(m.held);
        this.send({ kind: "taken" });
      } else if (m.kind === "read") gotRead(m);
      else if (m.kind === "done") {
        finished = true;
        gotDone(m);
      } else fail(`the worker reading ${shown} failed: ${m.message}`);
    });
    this.worker.on("error", (e) => fail(`the worker reading ${shown} died: ${e.message}`));
    this.worker.on("exit", (code) => fail(`the worker reading ${shown} exited with code ${code} before finishing; no partial report is written`));
    const early = gone.get(worker);
    if (early !== undefined) fail(`the worker reading ${shown} ${early}`);
    else this.send({ kind: "work", req });
  }

  send(m: MainMessage): void {
    this.worker.postMessage(m);
  }

  /**
   * The worker's day pairs, part by part, after `read`. Each part taken is acknowledged (credit
   * for the next) with its buffer, which carries a later part, unless the consumer answers
   * true (it kept the part).
   */
  async *parts(): AsyncGenerator<UsagePart, void, boolean | undefined> {
    for (;;) {
      if (this.partsError !== undefined) throw this.partsError;
      const part = this.partsIn.shift();
      if (part !== undefined) {
        const kept = yield part;
        const buffer = part.triples.buffer;
        if (kept !== true && buffer instanceof ArrayBuffer && part.triples.byteOffset === 0) this.worker.postMessage({ kind: "taken", buffer } satisfies MainMessage, [buffer]);
        else this.send({ kind: "taken" });
      } else if (this.partsEnded) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * The simulation of `simulate()`, spread over threads by file, and a big file by line-aligned
 * byte ranges (planShares). The main thread reads the first share itself while a worker thread
 * reads each other share; the workers post their aggregates, which the main thread folds into
 * its own (its share is never exported nor merged) before deciding the tags once; every thread
 * then counts the verdicts of its own requests but the warnings, which the main thread settles
 * for all threads in time order, so warn bypasses cross shares as in one thread (equal times
 * go in share order: for ranges of one log that is the log's order). Rejected lines keep their
 * line numbers in the whole file. A thread that fails fails the whole run with its files named.
 */
export async function simulateParallel(plan: Plan, opts: ParallelOptions): Promise<SimulationResult> {
  const shares = await planShares(opts.files, opts.threads, opts.format).catch((e: unknown) => {
    for (const w of opts.workers ?? []) void w.terminate();
    throw e;
  });
  const [mine = [], ...theirs] = shares.filter((s, i) => i === 0 || s.length > 0);
  const seen = [mine, ...theirs].map(() => [0, 0]);
  const progress = (i: number, step: 1 | 2, records: number) => {
    seen[i]![step - 1] = records;
    opts.onProgress?.(step, seen.reduce((a, b) => a + b[step - 1]!, 0));
  };
  const how = { ...(opts.format ? { format: opts.format } : {}), ...(opts.year ? { year: opts.year } : {}), keepRejected: KEEP_REJECTED, ...(opts.heldBatch ? { heldBatch: opts.heldBatch } : {}), ...(opts.partPairs ? { partPairs: opts.partPairs } : {}) };
  const pool = [...(opts.workers ?? [])];
  const spare = pool.splice(theirs.length);
  for (const w of spare) void w.terminate();
  // the workers start first; a worker's warnings (after the tags, so `pass` exists by then) are
  // adopted as they come, its rank ordering warnings of equal time by share
  const runs = theirs.map(
    (files, i) =>
      new WorkerRun(
        pool[i] ?? startWorker(),
        { plan, files: files.map(({ size: _size, ...piece }) => piece), ...how },
        (step, records) => progress(i + 1, step, records),
        (held) => pass.adoptWarnings(held, i + 1),
      ),
  );
  // this thread's share: its usage freezes past days into a scratch file, as each worker's does
  const pass = new SinglePass(plan, { spill: tempSpill });
  try {
    const reading = readShare(pass, mine, how, (n) => progress(0, 1, n)).catch((e: unknown) => {
      throw new Error(`reading ${names(mine)} failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    // a worker that fails while this thread reads fails the run at once, not after this share
    const workerFailed = new Promise<never>((_, reject) => {
      for (const r of runs) r.read.catch(reject);
    });
    reading.catch(() => undefined);
    workerFailed.catch(() => undefined);
    const own = await Promise.race([reading, workerFailed]);
    // fold the workers' aggregates in, in share order, each as soon as it is there: the day
    // pairs a part at a time, so that neither thread holds them all at once
    const read: (typeof own)[] = [own];
    for (const run of runs) {
      const r = await run.read;
      const merging = pass.p1.mergeHead(r.pass1);
      const parts = run.parts();
      for (let next = await parts.next(); !next.done; ) next = await parts.next(pass.p1.usage.mergePart(merging, next.value));
      pass.p1.usage.mergeEnd();
      read.push(r);
    }
    const decided = decide(plan, pass.p1, opts.state ?? emptyState());
    for (const r of runs) r.send({ kind: "tags", tags: decided.tags });
    // every thread's warnings settled here, in time order (equal times: this share's, then the workers' in share order)
    pass.finishExceptWarnings(decided.tags, (n) => progress(0, 2, n));
    const done = await Promise.all(runs.map((r) => r.done));
    // the workers' memory (their heaps, tables and buffers) goes before the report is built
    await Promise.all(runs.map((r) => r.stop()));
    const totals = pass.settleWarnings();
    const verdicts = mergeTotals([exportTotals(totals, totals.records), ...done.map((d) => d.verdicts)]);
    const { summaries, rejected } = joinPieces(
      opts.files.map((f) => f.shown),
      read.flatMap((r) => r.summaries),
      read.flatMap((r) => r.rejected),
    );
    return { report: finishReport(plan, pass.p1, decided, verdicts, { inputs: () => summaries, rejected: () => rejected }), state: decided.state, tags: decided.tags };
  } finally {
    pass.close();
    await Promise.all(runs.map((r) => r.stop()));
  }
}

function names(files: readonly WorkPiece[]): string {
  return files.map((f) => (f.range ? `${f.shown} (bytes ${f.range.start}-${f.range.end})` : f.shown)).join(", ");
}

/** Rejected lines each worker keeps (the report lists fewer). */
const KEEP_REJECTED = 1000;

/**
 * One summary per file in command-line order, the ranges of a split file added up, and the
 * rejected lines in file and line order with the line numbers of the whole file: a range's
 * line numbers count from its first line, so the lines of the ranges before it are added.
 */
export function joinPieces(order: readonly string[], pieces: readonly PieceSummary[], rejected: readonly PieceRejected[]): { summaries: InputSummary[]; rejected: { file: string; line: number; reason: string; sample: string }[] } {
  const rank = new Map(order.map((f, i) => [f, i]));
  const sorted = [...pieces].sort((a, b) => rank.get(a.file)! - rank.get(b.file)! || a.start - b.start);
  const before = new Map<string, number>();
  const summaries: InputSummary[] = [];
  let last: { file: string; lines: number; records: number; rejected: number; format: string; error?: string } | undefined;
  for (const p of sorted) {
    if (last === undefined || last.file !== p.file) {
      last = { file: p.file, format: p.format, lines: 0, records: 0, rejected: 0 };
      summaries.push(last);
    }
    before.set(`${p.start}\0${p.file}`, last.lines);
    last.lines += p.lines;
    last.records += p.records;
    last.rejected += p.rejected;
    if (p.error !== undefined && last.error === undefined) last.error = p.error;
  }
  const lines = rejected
    .map((r) => ({ file: r.file, line: r.line + (before.get(`${r.start}\0${r.file}`) ?? 0), reason: r.reason, sample: r.sample }))
    .sort((a, b) => rank.get(a.file)! - rank.get(b.file)! || a.line - b.line)
    .slice(0, KEEP_REJECTED);
  return { summaries, rejected: lines };
}
