import { parentPort, workerData } from "node:worker_threads";
import { Pass1, Pass2, loadMatchers, type InputSummary } from "@sanction/engine";
import { readTraffic } from "@sanction/traffic";
import type { WorkMessage, WorkRequest } from "./protocol.js";

/** A simulation worker: one pass over its share of the files, results posted back whole. */
async function run(req: WorkRequest): Promise<WorkMessage> {
  const matchers = loadMatchers(req.plan);
  const p1 = req.pass === 1 ? new Pass1(req.plan, matchers) : undefined;
  const p2 = req.pass === 2 ? new Pass2(req.plan, req.tags ?? new Map(), matchers) : undefined;
  const summaries: InputSummary[] = [];
  const rejected: { file: string; line: number; reason: string; sample: string }[] = [];
  let rejectedCount = 0;
  let records = 0;
  let lastReport = Date.now();
  for (const f of req.files) {
    const reader = readTraffic(f.abs, {
      ...(req.format ? { format: req.format } : {}),
      ...(f.csv ? { csv: f.csv } : {}),
      ...(req.year ? { year: req.year } : {}),
      onReject: (r) => {
        rejectedCount++;
        if (rejected.length < req.keepRejected) rejected.push({ file: f.shown, line: r.line, reason: r.reason, sample: r.sample });
      },
    });
    for await (const batch of reader) {
      if (p1) p1.add(batch);
      else p2!.add(batch);
      records += batch.length;
      if (Date.now() - lastReport > 250) {
        lastReport = Date.now();
        parentPort!.postMessage({ kind: "progress", records } satisfies WorkMessage);
      }
    }
    const s = reader.summary();
    summaries.push({ file: f.shown, format: s.format ?? "unrecognised", lines: s.lines, records: s.records, rejected: s.rejected, ...(s.error ? { error: s.error } : {}) });
  }
  return { kind: "done", ...(p1 ? { pass1: p1.export() } : {}), ...(p2 ? { pass2: p2.export() } : {}), summaries, rejected, rejectedCount };
}

run(workerData as WorkRequest).then(
  (msg) => parentPort!.postMessage(msg),
  (e: unknown) => parentPort!.postMessage({ kind: "failed", message: e instanceof Error ? e.message : String(e) } satisfies WorkMessage),
);
