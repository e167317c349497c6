import * as fs from "node:fs";
import * as path from "node:path";
import { csvMappingFor as readCsvMapping, listLogFiles, readTraffic, TrafficReader, type CsvMapping, type RejectedLine, type TrafficFormat } from "@sanction/traffic";
import type { InputSummary, RecordSource } from "@sanction/engine";
import { UsageError } from "./io.js";
import { displayFrom } from "./paths.js";

export const TRAFFIC_FORMATS: readonly TrafficFormat[] = ["squid-native", "squid-common", "zeek-tsv", "zeek-json", "mde-csv", "mde-json", "bind", "dnsmasq", "unbound", "csv"];

/** `--traffic -`: one log read from standard input. */
export const STDIN = "-";
/** How standard input is named in reports and messages. */
export const STDIN_NAME = "<stdin>";

/**
 * Log files named on the command line; a folder means the log files in it (not READMEs or
 * scripts). With `stdin`, `-` stands for standard input (kept as `-`).
 */
export function expandTrafficPaths(cwd: string, paths: readonly string[], opts: { stdin?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === STDIN && opts.stdin) {
      if (out.includes(STDIN)) throw new UsageError("--traffic names standard input (-) more than once");
      out.push(STDIN);
      continue;
    }
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
 * A record source that streams the files (and standard input, named `-`), each read once per
 * call. Rejected lines and per-file summaries are collected on the first call only, so nothing
 * is counted twice by a caller that reads twice (`sanction diff`; standard input can be read
 * only once).
 */
export function trafficInput(cwd: string, files: readonly string[], opts: { format?: TrafficFormat; keepRejected?: number; year?: number; stdin?: AsyncIterable<Uint8Array> } = {}): TrafficInput {
  let pass = 0;
  const summaries: InputSummary[] = [];
  const rejected: RejectedLine[] = [];
  let rejectedCount = 0;
  const keep = opts.keepRejected ?? 1000;
  const source: RecordSource = async function* () {
    pass++;
    const first = pass === 1;
    for (const file of files) {
      const stdin = file === STDIN;
      const shown = stdin ? STDIN_NAME : displayFrom(cwd, file);
      const csv = stdin ? undefined : csvMappingFor(file);
      const options = {
        ...(opts.format ? { format: opts.format } : {}),
        ...(csv ? { csv } : {}),
        ...(opts.year ? { year: opts.year } : {}),
        onReject: (r: RejectedLine) => {
          if (!first) return;
          rejectedCount++;
          if (rejected.length < keep) rejected.push({ ...r, file: shown });
        },
      };
      if (stdin && !opts.stdin) throw new UsageError("standard input is not available here");
      const reader = stdin ? TrafficReader.fromStream(STDIN_NAME, opts.stdin!, options) : readTraffic(file, options);
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
