import { setFlagsFromString } from "node:v8";

/**
 * Tune V8's garbage collector for reading logs, before a simulation starts.
 *
 * Reading a log allocates a record and a few strings per line, and a batch of them is alive
 * while it is aggregated. V8's allocation-site pretenuring sees those survive one young-space
 * collection and starts allocating them in the old space, where they die and are reclaimed
 * only by full mark-compact collections: measured on a 1,000,000-line Squid log, the run then
 * costs 2.4–3.0 CPU seconds instead of a steady 2.3–2.5 (`bench/simulate.ts` shows both).
 * The flag is process-wide, so it covers the worker threads too; it changes when memory is
 * reclaimed, never what a run computes.
 */
export function tuneGcForLogs(): void {
  setFlagsFromString("--no-allocation-site-pretenuring");
}
