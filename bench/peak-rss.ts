import { readFileSync } from "node:fs";

/**
 * The peak RSS of process `pid` so far, from its high-water mark (VmHWM in /proc, Linux), read
 * every `everyMs`: call the answer to stop sampling and get the peak in bytes (0 where there is
 * no /proc). VmHWM only grows, so a peak is missed only in the last interval before exit.
 */
export function watchPeakRss(pid: number, everyMs: number): () => number {
  let hwm = 0;
  const sampler = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
    } catch {
      // the process has ended
    }
  }, everyMs);
  return () => {
    clearInterval(sampler);
    return hwm;
  };
}
