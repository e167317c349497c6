import type { CliIO } from "./io.js";

/**
 * A one-line progress display on a terminal's stderr, redrawn at most four times a second and
 * erased at the end. Silent when stderr is not a terminal, so logs and CI output stay clean.
 */
export function progress(io: CliIO, label: string): { update: (step: 1 | 2, records: number) => void; done: () => void } {
  if (!io.interactive) return { update: () => {}, done: () => {} };
  let last = 0;
  const started = Date.now();
  let drawn = false;
  return {
    // step 1: records read; step 2: requests held back for warn bypasses, replayed
    update(step, records) {
      const now = Date.now();
      if (now - last < 250) return;
      last = now;
      if (step === 1) {
        const rate = records / Math.max(0.001, (now - started) / 1000);
        io.stderr(`\r${label}: ${records.toLocaleString("en-US")} records read (${Math.round(rate).toLocaleString("en-US")}/s)   `);
      } else io.stderr(`\r${label}: ${records.toLocaleString("en-US")} warned requests replayed   \x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) io.stderr("\r\x1b[K");
    },
  };
}
