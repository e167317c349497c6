import type { SinglePass } from "@sanction/engine";
import { TrafficReader, type ReadOptions, type TrafficFormat } from "@sanction/traffic";
import type { PieceRejected, PieceSummary, WorkPiece } from "./protocol.js";

export interface ShareRead {
  readonly summaries: PieceSummary[];
  readonly rejected: PieceRejected[];
  readonly rejectedCount: number;
}

/**
 * Read a share of the logs (whole files, or byte ranges of one) into a SinglePass, in order:
 * what a worker thread does, and what the main thread does with its own share.
 */
export async function readShare(
  pass: SinglePass,
  files: readonly WorkPiece[],
  opts: { readonly format?: TrafficFormat; readonly year?: number; readonly keepRejected: number },
  onRecords: (records: number) => void,
): Promise<ShareRead> {
  const summaries: PieceSummary[] = [];
  const rejected: PieceRejected[] = [];
  let rejectedCount = 0;
  for (const f of files) {
    const start = f.range?.start ?? 0;
    const options: ReadOptions = {
      ...(opts.format ? { format: opts.format } : {}),
      ...(f.csv ? { csv: f.csv } : {}),
      ...(opts.year ? { year: opts.year } : {}),
      onReject: (r) => {
        rejectedCount++;
        if (rejected.length < opts.keepRejected) rejected.push({ file: f.shown, start, line: r.line, reason: r.reason, sample: r.sample });
      },
    };
    const reader = f.range ? TrafficReader.range(f.abs, f.range, options) : new TrafficReader(f.abs, options);
    for await (const batch of reader) {
      pass.add(batch);
      onRecords(pass.p1.records);
    }
    const s = reader.summary();
    summaries.push({ file: f.shown, start, format: s.format ?? "unrecognised", lines: s.lines, records: s.records, rejected: s.rejected, ...(s.error ? { error: s.error } : {}) });
  }
  return { summaries, rejected, rejectedCount };
}
