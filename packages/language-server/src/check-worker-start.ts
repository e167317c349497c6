import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import { CHECK_WORKER_ROLE } from "./check-protocol.js";

/*
 * Starting the check worker thread. This module imports nothing heavy, so an entry point can
 * start the worker before it loads the server (`prestartCheckWorker`): the worker's loading of
 * the checker's modules, a fifth of a second, then runs beside the server's own instead of
 * after `initialize`, and the first diagnostics of an editor session come that much sooner.
 */

/**
 * The check worker thread: the server's modules (or the bundle, which is its own worker entry).
 * Throws when no worker can be started; the server then checks in-process.
 */
export function startCheckWorker(): Worker {
  const workerData = { role: CHECK_WORKER_ROLE };
  const url = import.meta.url;
  if (url.endsWith(".cjs")) return new Worker(fileURLToPath(url), { workerData });
  if (!url.endsWith(".ts")) return new Worker(new URL("./check-worker-main.js", url), { workerData });
  // Running from TypeScript sources (tests, benchmarks): register tsx inside the worker first.
  // `require.resolve` finds the CommonJS build of tsx's API; its ES module build lies beside it
  // (import.meta.resolve would say so directly, but the bundle is CommonJS and has no import.meta).
  const tsx = pathToFileURL(createRequire(url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = new URL("./check-worker-main.ts", url).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData, execArgv: [...process.execArgv.filter((a) => a.startsWith("--conditions")), "--conditions=source"] });
}

interface Early {
  readonly worker: Worker;
  /** Set when the worker failed or stopped before the server took it. */
  ended: boolean;
}

let early: Early | undefined;

/**
 * Starts the check worker now, for `takeCheckWorker` to hand to the server at `initialize`.
 * Until then it waits for its first message. A failure is left for `takeCheckWorker`.
 */
export function prestartCheckWorker(): void {
  if (early) return;
  let worker: Worker;
  try {
    worker = startCheckWorker();
  } catch {
    return; // takeCheckWorker tries again and reports what goes wrong
  }
  const e: Early = { worker, ended: false };
  // listeners until the server attaches its own: an error with none would end the process
  worker.on("error", () => (e.ended = true));
  worker.on("exit", () => (e.ended = true));
  worker.unref();
  early = e;
}

/** The worker `prestartCheckWorker` started, if it is still running; else a new one (which may throw). */
export function takeCheckWorker(): Worker {
  const e = early;
  early = undefined;
  if (e && !e.ended) return e.worker;
  if (e) void e.worker.terminate();
  return startCheckWorker();
}

/** Stops a pre-started worker the server will not use (`checkWorker: false`). */
export function dropCheckWorker(): void {
  const e = early;
  early = undefined;
  if (e) void e.worker.terminate();
}
