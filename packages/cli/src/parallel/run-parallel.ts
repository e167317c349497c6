import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Plan } from "@sanction/compiler";
import { Pass1, Pass2, decide, finishReport, type EngineState, type SimulationResult, type InputSummary, type AppTagging } from "@sanction/engine";
import type { CsvMapping, TrafficFormat } from "@sanction/traffic";
import type { WorkMessage, WorkRequest } from "./protocol.js";

export interface ParallelOptions {
  readonly files: readonly { readonly abs: string; readonly shown: string; readonly csv?: CsvMapping }[];
  readonly format?: TrafficFormat;
  readonly state?: EngineState;
  readonly threads: number;
  readonly year?: number;
  readonly onProgress?: (pass: 1 | 2, records: number) => void;
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

type Done = Extract<WorkMessage, { kind: "done" }>;

function runWorker(req: WorkRequest, onProgress: (records: number) => void): Promise<Done> {
  return new Promise((resolve, reject) => {
    const w = startWorker(req);
    let settled = false;
    const names = req.files.map((f) => f.shown).join(", ");
    w.on("message", (m: WorkMessage) => {
      if (m.kind === "progress") onProgress(m.records);
      else if (m.kind === "done") {
        settled = true;
        resolve(m);
      } else {
        settled = true;
        reject(new Error(`the worker reading ${names} failed: ${m.message}`));
      }
    });
    w.on("error", (e) => {
      if (!settled) {
        settled = true;
        reject(new Error(`the worker reading ${names} died: ${e.message}`));
      }
    });
    w.on("exit", (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`the worker reading ${names} exited with code ${code} before finishing; no partial report is written`));
      }
    });
  });
}

/**
 * The simulation of `simulate()`, with each pass spread over worker threads by file. Each
 * worker streams its files; the main thread merges the aggregates, decides tags once, and
 * merges the verdict counts. A worker that dies fails the whole run with its files named.
 */
export async function simulateParallel(plan: Plan, opts: ParallelOptions): Promise<SimulationResult> {
  const shares = shareFiles(opts.files, opts.threads);
  const pass = async (n: 1 | 2, tags?: ReadonlyMap<number, AppTagging>) => {
    const seen = shares.map(() => 0);
    return Promise.all(
      shares.map((files, i) =>
        runWorker({ plan, pass: n, files, ...(opts.format ? { format: opts.format } : {}), ...(tags ? { tags } : {}), ...(opts.year ? { year: opts.year } : {}), keepRejected: 1000 }, (records) => {
          seen[i] = records;
          opts.onProgress?.(n, seen.reduce((a, b) => a + b, 0));
        }),
      ),
    );
  };
  const first = await pass(1);
  const p1 = new Pass1(plan);
  for (const r of first) p1.merge(r.pass1!);
  const decided = decide(plan, p1, opts.state ?? { format: "sanction-state", version: 1, firstSeen: {}, lastAlert: {} });
  const second = await pass(2, decided.tags);
  const p2 = new Pass2(plan, decided.tags);
  for (const r of second) p2.merge(r.pass2!);
  const order = new Map(opts.files.map((f, i) => [f.shown, i]));
  const summaries: InputSummary[] = first.flatMap((r) => r.summaries).sort((a, b) => order.get(a.file)! - order.get(b.file)!);
  const rejected = first.flatMap((r) => r.rejected).sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line);
  return { report: finishReport(plan, p1, decided, p2, { inputs: () => summaries, rejected: () => rejected }), state: decided.state };
}
