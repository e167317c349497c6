/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions). With `limit`,
 * gives up as soon as the distance must exceed it and returns `limit + 1`: suggestions scan
 * thousands of catalog names, and almost all of them are far away.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (m === 0) return n > limit ? limit + 1 : n;
  if (n === 0) return m > limit ? limit + 1 : m;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]! > limit ? limit + 1 : prev[n]!;
}

/**
 * The candidate closest to `name`, if it is close enough to be a plausible typo: at most a
 * third of the name's length in edits (case-insensitive), or a case-only difference.
 * Ties go to the alphabetically first candidate so suggestions are deterministic.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const needle = name.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const hay = c.toLowerCase();
    if (Math.abs(hay.length - needle.length) > limit) continue;
    const d = hay === needle ? 0 : editDistance(needle, hay, Math.min(limit, bestDistance));
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
