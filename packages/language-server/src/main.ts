// Entry for bundling and for `tsx --conditions=source packages/language-server/src/main.ts --stdio`.
// The bundled server is also the entry of its own check worker thread.
import { workerData } from "node:worker_threads";
import { CHECK_WORKER_ROLE } from "./check-protocol.js";
import { runCheckWorker } from "./check-worker.js";
import { runStdioServer } from "./server.js";
import { prestartCheckWorker } from "./check-worker-start.js";
if ((workerData as { role?: string } | null)?.role === CHECK_WORKER_ROLE) runCheckWorker();
else {
  prestartCheckWorker();
  runStdioServer();
}
