import { parentPort } from "node:worker_threads";
import { WorkspaceSession } from "@sanction/ide";
import type { FromChecker, ToChecker } from "./check-protocol.js";

/**
 * The check worker: a second workspace session, on its own thread, that only computes
 * diagnostics. Parsing and checking a 100,000-line file takes seconds; on the server's thread
 * that would hold up every completion and hover. Edits that arrive while a check runs are all
 * applied before the next one starts, so a burst of keystrokes costs one check of the last
 * version, never one per keystroke.
 */
export function runCheckWorker(): void {
  const port = parentPort;
  if (!port) throw new Error("the check worker must run in a worker thread");
  let ws: WorkspaceSession | undefined;
  let debounceMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let lastCheck = 0;
  const post = (m: FromChecker) => port.postMessage(m);

  const check = () => {
    timer = undefined;
    lastCheck = Date.now();
    if (!ws) return;
    try {
      const all = ws.allDiagnostics();
      const files = [...all].map(([f, list]) => [f, ws!.file(f)?.version, list] as const);
      post({ type: "diagnostics", files });
    } catch (e) {
      post({ type: "failed", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  };
  // The first edit after a quiet period is checked at once; edits within the debounce window
  // after a check are coalesced into one check at its end.
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(check, Math.max(0, debounceMs - (Date.now() - lastCheck)));
  };

  port.on("message", (m: ToChecker) => {
    switch (m.type) {
      case "init":
        debounceMs = m.debounceMs;
        ws = new WorkspaceSession({ root: m.root, ...(m.trafficSamples ? { trafficSamples: m.trafficSamples } : {}), ...(m.catalogFiles ? { catalogFiles: m.catalogFiles } : {}) });
        break;
      case "open":
        ws?.changeDocument(m.file, m.text, m.version);
        break;
      case "close":
        ws?.closeDocument(m.file);
        break;
      case "configure":
        debounceMs = m.debounceMs;
        ws?.configure({ trafficSamples: m.trafficSamples, catalogFiles: m.catalogFiles });
        break;
      case "disk":
        ws?.invalidateDisk();
        break;
    }
    schedule();
  });
}
