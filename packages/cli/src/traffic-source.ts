import * as fs from "node:fs";
import * as path from "node:path";
import { csvMappingFor as readCsvMapping, listLogFiles, readTraffic, type CsvMapping, type RejectedLine, type TrafficFormat } from "@sanction/traffic";
import type { InputSummary, RecordSource } from "@sanction/engine";
import { UsageError } from "./io.js";
import { displayFrom } from "./paths.js";

export const TRAFFIC_FORMATS: readonly TrafficFormat[] = ["squid-native", "squid-common", "zeek-tsv", "zeek-json", "mde-csv", "mde-json", "bind", "dnsmasq", "unbound", "csv"];

/** Log files named on the command line; a folder means the log files in it (not READMEs or scripts). */
export function expandTrafficPaths(cwd: string, paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new UsageError(`cannot read traffic ${p}: no such file or directory`);
    }
    if (!st.isDirectory()) {
      out.push(abs);
      continue;
    }
    out.push(...listLogFiles(abs));
  }
  if (out.length === 0) throw new UsageError("no traffic files found");
  return out;
}

/** The column mapping beside a CSV log, if any; a broken one is a usage error. */
export function csvMappingFor(file: string): CsvMapping | undefined {
  try {
    return readCsvMapping(file);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

export interface TrafficInput {
  readonly source: RecordSource;
  readonly summaries: () => InputSummary[];
  readonly rejected: () => { file: string; line: number; reason: string; sample: string }[];
  readonly rejectedCount: () => number;
}

/**
 * A record source that streams the files again on every pass. Rejected lines and per-file
 * summaries are collected on the first pass only, so nothing is counted twice.
 */
export function trafficInput(cwd: string, files: readonly string[], opts: { format?: TrafficFormat; keepRejected?: number; year?: number } = {}): TrafficInput {
  let pass = 0;
  const summaries: InputSummary[] = [];
  const rejected: RejectedLine[] = [];
  let rejectedCount = 0;
  const keep = opts.keepRejected ?? 1000;
  const source: RecordSource = async function* () {
    pass++;
    const first = pass === 1;
    for (const file of files) {
      const shown = displayFrom(cwd, file);
      const csv = csvMappingFor(file);
      const reader = readTraffic(file, {
        ...(opts.format ? { format: opts.format } : {}),
        ...(csv ? { csv } : {}),
        ...(opts.year ? { year: opts.year } : {}),
        onReject: (r: RejectedLine) => {
          if (!first) return;
          rejectedCount++;
          if (rejected.length < keep) rejected.push({ ...r, file: shown });
        },
      });
      for await (const batch of reader) yield batch;
      if (first) {
        const s = reader.summary();
        summaries.push({ file: shown, format: s.format ?? "unrecognised", lines: s.lines, records: s.records, rejected: s.rejected, ...(s.error ? { error: s.error } : {}) });
      }
    }
  };
  return {
    source,
    summaries: () => summaries,
    rejected: () => rejected.map((r) => ({ file: r.file, line: r.line, reason: r.reason, sample: r.sample })),
    rejectedCount: () => rejectedCount,
  };
}
