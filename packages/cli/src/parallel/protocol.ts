import type { Plan } from "@sanction/compiler";
import type { AppTagging, HeldWarnings, Pass1Head, UsagePart, VerdictData, InputSummary } from "@sanction/engine";
import type { CsvMapping, TrafficFormat } from "@sanction/traffic";

/** A log file given to a worker: the whole file, or the line-aligned byte range [start, end) of it. */
export interface WorkPiece {
  readonly abs: string;
  readonly shown: string;
  readonly csv?: CsvMapping;
  readonly range?: { readonly start: number; readonly end: number };
}

/** What the main thread gives a worker: its share of the log files (or of their ranges), read once. */
export interface WorkRequest {
  readonly plan: Plan;
  readonly files: readonly WorkPiece[];
  readonly format?: TrafficFormat;
  readonly keepRejected: number;
  readonly year?: number;
  /** Warnings per chunk sent to the main thread (default HELD_BATCH; small in tests). */
  readonly heldBatch?: number;
  /** Pairs per part of the aggregates sent to the main thread (default PART_PAIRS; small in tests). */
  readonly partPairs?: number;
}

/**
 * Main thread → worker: its work (first); one "taken" per part of its aggregates the main
 * thread has merged (PART_WINDOW); once every thread's are merged, the decided tags; then one
 * "taken" per chunk of warnings the main thread has taken in (HELD_WINDOW).
 */
export type MainMessage =
  | { readonly kind: "work"; readonly req: WorkRequest }
  | { readonly kind: "tags"; readonly tags: ReadonlyMap<number, AppTagging> }
  /** A message was taken in; after a part, its buffer comes back (moved) for the next part, unless the main thread kept it. */
  | { readonly kind: "taken"; readonly buffer?: ArrayBuffer };

/** Chunks of warnings a worker sends before the main thread has taken them in (its memory bound: 8 × 384 KiB). */
export const HELD_WINDOW = 8;

/** Parts of a worker's day pairs sent before the main thread has merged them (its memory bound: 2 × 6 MiB). */
export const PART_WINDOW = 2;

/**
 * Where a summary or a rejected line comes from: its file and the start of its range (0 for a
 * whole file). Line numbers of a range count from its first line; the main thread adds the
 * lines of the ranges before it.
 */
export interface PieceSummary extends InputSummary {
  readonly start: number;
}
export interface PieceRejected {
  readonly file: string;
  readonly start: number;
  readonly line: number;
  readonly reason: string;
  readonly sample: string;
}

/** Worker → main thread. */
export type WorkMessage =
  | { readonly kind: "progress"; readonly step: 1 | 2; readonly records: number }
  /** Its share is read: its counters and aggregates but the day pairs, which follow in parts. */
  | {
      readonly kind: "read";
      readonly pass1: Pass1Head;
      readonly summaries: PieceSummary[];
      readonly rejected: PieceRejected[];
      readonly rejectedCount: number;
    }
  /** Some of one day's pairs (UsageTable.exportParts), in order; "parts-end" after the last. */
  | { readonly kind: "part"; readonly part: UsagePart }
  | { readonly kind: "parts-end" }
  /** A chunk of its warnings (after the tags), which the main thread settles with everyone's in time order. */
  | { readonly kind: "held"; readonly held: HeldWarnings }
  /** The verdicts of its share but the warnings (all sent before this). */
  | { readonly kind: "done"; readonly verdicts: VerdictData }
  | { readonly kind: "failed"; readonly message: string };
