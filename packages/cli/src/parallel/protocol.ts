import type { Plan } from "@sanction/compiler";
import type { AppTagging, Pass1Data, VerdictData, InputSummary } from "@sanction/engine";
import type { CsvMapping, TrafficFormat } from "@sanction/traffic";

/** What the main thread gives a worker: its share of the log files, read once. */
export interface WorkRequest {
  readonly plan: Plan;
  readonly files: readonly { readonly abs: string; readonly shown: string; readonly csv?: CsvMapping }[];
  readonly format?: TrafficFormat;
  readonly keepRejected: number;
  readonly year?: number;
}

/** Main thread → worker, once the aggregates of every worker are merged and the tags decided. */
export type MainMessage = { readonly kind: "tags"; readonly tags: ReadonlyMap<number, AppTagging> };

/** Worker → main thread. */
export type WorkMessage =
  | { readonly kind: "progress"; readonly step: 1 | 2; readonly records: number }
  | {
      readonly kind: "read";
      readonly pass1: Pass1Data;
      readonly summaries: InputSummary[];
      readonly rejected: { file: string; line: number; reason: string; sample: string }[];
      readonly rejectedCount: number;
    }
  | { readonly kind: "done"; readonly verdicts: VerdictData }
  | { readonly kind: "failed"; readonly message: string };
