import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Plan } from "@sanction/compiler";
import { Pass1, decide, emptyState, finishReport, mergeTotals, type EngineState, type SimulationResult, type InputSummary } from "@sanction/engine";
import type { CsvMapping, TrafficFormat } from "@sanction/traffic";
import { tempSpill } from "../spill-file.js";
import type { MainMessage, WorkMessage, WorkRequest } from "./protocol.js";

export interface ParallelOptions {
  readonly files: readonly { readonly abs: string; readonly shown: string; readonly csv?: CsvMapping }[];
  readonly format?: TrafficFormat;
  readonly state?: EngineState;
  readonly threads: number;
  readonly year?: number;
  /** Step 1: records read so far by all workers; step 2: held-back requests replayed. */
  readonly onProgress?: (step: 1 | 2, records: number) => void;
}

/** Worker threads are worth starting only for this much input. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Split files across threads by size (largest first onto the least-loaded thread), so the
 * biggest logs do not all land on one worker.
 */
export function shareFiles<F extends { abs: string }>(files: readonly F[], threads: number): F[][] {
  const sized = files.map((f) => ({ f, size: safeSize(f.abs) })).sort((a, b) => b.size - a.size || (a.f.abs < b.f.abs ? -1 : 1));
  const shares: { files: F[]; load: number }[] = Array.from({ length: Math.min(threads, files.length) }, () => ({ files: [], load: 0 }));
  for (const { f, size } of sized) {
    const least = shares.reduce((a, b) => (b.load < a.load ? b : a));
    least.files.push(f);
    least.load += size + 1;
  }
  // Keep the original file order inside each share: reports list inputs in command-line order.
  const order = new Map(files.map((f, i) => [f.abs, i]));
  return shares.map((s) => s.files.sort((a, b) => order.get(a.abs)! - order.get(b.abs)!)).filter((s) => s.length);
}

function safeSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}

function startWorker(workerData: WorkRequest): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker.js", import.meta.url), { workerData });
  // Running from TypeScript sources (tests, benchmarks): register tsx inside the worker first.
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData, execArgv: [...process.execArgv.filter((a) => a.startsWith("--conditions")), "--conditions=source"] });
}

type Read = Extract<WorkMessage, { kind: "read" }>;
type Done = Extract<WorkMessage, { kind: "done" }>;

/** One worker's conversation: its aggregates, then (after `tags`) its verdict counts. */
class WorkerRun {
  readonly read: Promise<Read>;
  readonly done: Promise<Done>;
  private readonly worker: Worker;
  private failed: ((e: Error) => void)[] = [];

  constructor(req: WorkRequest, onProgress: (step: 1 | 2, records: number) => void) {
    this.worker = startWorker(req);
    const names = req.files.map((f) => f.shown).join(", ");
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
      for (const f of this.failed) f(new Error(message));
    };
    this.worker.on("message", (m: WorkMessage) => {
      if (m.kind === "progress") onProgress(m.step, m.records);
      else if (m.kind === "read") gotRead(m);
      else if (m.kind === "done") {
        finished = true;
        gotDone(m);
      } else fail(`the worker reading ${names} failed: ${m.message}`);
    });
    this.worker.on("error", (e) => fail(`the worker reading ${names} died: ${e.message}`));
    this.worker.on("exit", (code) => fail(`the worker reading ${names} exited with code ${code} before finishing; no partial report is written`));
  }

  send(m: MainMessage): void {
    this.worker.postMessage(m);
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * The simulation of `simulate()`, spread over worker threads by file: each worker reads its
 * files once and posts its aggregates; the main thread merges them and decides the tags once;
 * each worker then counts the verdicts of its own requests (warn bypasses are kept per worker,
 * so a user warned in one worker's files is warned again in another's). A worker that fails
 * fails the whole run with its files named.
 */
export async function simulateParallel(plan: Plan, opts: ParallelOptions): Promise<SimulationResult> {
  const shares = shareFiles(opts.files, opts.threads);
  const seen = shares.map(() => [0, 0]);
  const runs = shares.map(
    (files, i) =>
      new WorkerRun({ plan, files, ...(opts.format ? { format: opts.format } : {}), ...(opts.year ? { year: opts.year } : {}), keepRejected: 1000 }, (step, records) => {
        seen[i]![step - 1] = records;
        opts.onProgress?.(step, seen.reduce((a, b) => a + b[step - 1]!, 0));
      }),
  );
  // the merged usage freezes past days into a scratch file, as each worker's does
  const p1 = new Pass1(plan, undefined, tempSpill);
  try {
    const read = await Promise.all(runs.map((r) => r.read));
    for (const r of read) p1.merge(r.pass1);
    const decided = decide(plan, p1, opts.state ?? emptyState());
    for (const r of runs) r.send({ kind: "tags", tags: decided.tags });
    const done = await Promise.all(runs.map((r) => r.done));
    const verdicts = mergeTotals(done.map((d) => d.verdicts));
    const order = new Map(opts.files.map((f, i) => [f.shown, i]));
    const summaries: InputSummary[] = read.flatMap((r) => r.summaries).sort((a, b) => order.get(a.file)! - order.get(b.file)!);
    const rejected = read.flatMap((r) => r.rejected).sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line);
    return { report: finishReport(plan, p1, decided, verdicts, { inputs: () => summaries, rejected: () => rejected }), state: decided.state };
  } finally {
    p1.usage.close();
    await Promise.all(runs.map((r) => r.stop()));
  }
}
