import { parentPort, workerData } from "node:worker_threads";
import { SinglePass, exportTotals, type InputSummary } from "@sanction/engine";
import { readTraffic } from "@sanction/traffic";
import { tempSpill } from "../spill-file.js";
import type { MainMessage, WorkMessage, WorkRequest } from "./protocol.js";

/**
 * A simulation worker: reads its share of the files once (SinglePass, spooling to a temporary
 * file past its memory bound), posts the aggregates, waits for the decided tags, then posts the
 * verdict counts of its own requests.
 */
async function run(req: WorkRequest): Promise<void> {
  const pass = new SinglePass(req.plan, { spill: tempSpill });
  try {
    const summaries: InputSummary[] = [];
    const rejected: { file: string; line: number; reason: string; sample: string }[] = [];
    let rejectedCount = 0;
    let lastReport = Date.now();
    const progress = (step: 1 | 2, records: number) => {
      if (Date.now() - lastReport < 250) return;
      lastReport = Date.now();
      post({ kind: "progress", step, records });
    };
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
        pass.add(batch);
        progress(1, pass.p1.records);
      }
      const s = reader.summary();
      summaries.push({ file: f.shown, format: s.format ?? "unrecognised", lines: s.lines, records: s.records, rejected: s.rejected, ...(s.error ? { error: s.error } : {}) });
    }
    const tags = new Promise<MainMessage>((resolve) => parentPort!.once("message", resolve));
    post({ kind: "read", pass1: pass.p1.export(), summaries, rejected, rejectedCount });
    const msg = await tags;
    const totals = pass.finish(msg.tags, (n) => progress(2, n));
    post({ kind: "done", verdicts: exportTotals(totals, totals.records) });
  } finally {
    pass.close();
  }
}

function post(m: WorkMessage): void {
  parentPort!.postMessage(m);
}

run(workerData as WorkRequest).catch((e: unknown) => post({ kind: "failed", message: e instanceof Error ? e.message : String(e) }));
