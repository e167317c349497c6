import * as path from "node:path";
import { readTraffic, type ReadOptions, type ReadSummary, type RejectedLine, type TrafficRecord } from "@sanction/traffic";

export const SAMPLES = path.resolve(__dirname, "../../samples/traffic");
export const sample = (name: string): string => path.join(SAMPLES, name);

export interface ReadResult {
  records: TrafficRecord[];
  rejects: RejectedLine[];
  summary: ReadSummary;
  batches: number;
}

/** Read a whole log into memory (tests only). */
export async function readAll(file: string, opts: ReadOptions = {}): Promise<ReadResult> {
  const rejects: RejectedLine[] = [];
  const reader = readTraffic(file, { ...opts, onReject: (r) => rejects.push(r) });
  const records: TrafficRecord[] = [];
  let batches = 0;
  for await (const batch of reader) {
    batches++;
    for (const r of batch) records.push(r);
  }
  return { records, rejects, summary: reader.summary(), batches };
}

/** Rejections as "line: reason" strings. */
export const rejectList = (r: ReadResult): string[] => r.rejects.map((x) => `${x.line}: ${x.reason}`);

/** The record of a given line. */
export function at(r: ReadResult, line: number): TrafficRecord {
  const rec = r.records.find((x) => x.line === line);
  if (!rec) throw new Error(`no record for line ${line}`);
  return rec;
}

/** A record with its unset fields dropped, for readable toEqual. */
export function defined(rec: TrafficRecord): Partial<TrafficRecord> {
  return Object.fromEntries(Object.entries(rec).filter(([, v]) => v !== undefined)) as Partial<TrafficRecord>;
}

export const utc = (iso: string): number => Date.parse(iso);
