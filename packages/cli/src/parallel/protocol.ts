import type { Plan } from "@sanction/compiler";
import type { AppTagging, Pass1Data, Pass2Data, InputSummary } from "@sanction/engine";
import type { CsvMapping, TrafficFormat } from "@sanction/traffic";

/** What the main thread asks a worker to do: one pass over some of the log files. */
export interface WorkRequest {
  readonly plan: Plan;
  readonly pass: 1 | 2;
  readonly files: readonly { readonly abs: string; readonly shown: string; readonly csv?: CsvMapping }[];
  readonly format?: TrafficFormat;
  /** Pass two needs the tags decided after pass one. */
  readonly tags?: ReadonlyMap<number, AppTagging>;
  readonly keepRejected: number;
  readonly year?: number;
}

export type WorkMessage =
  | { readonly kind: "progress"; readonly records: number }
  | {
      readonly kind: "done";
      readonly pass1?: Pass1Data;
      readonly pass2?: Pass2Data;
      readonly summaries: InputSummary[];
      readonly rejected: { file: string; line: number; reason: string; sample: string }[];
      readonly rejectedCount: number;
    }
  | { readonly kind: "failed"; readonly message: string };
