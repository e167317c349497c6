/**
 * Sorting many records by a few string fields without comparing the strings again and again:
 * each field's distinct values are ranked once (sorted with `<`, so the order is the strings'
 * own), and the records are sorted by their ranks.
 */

/** The rank of each value among the distinct values, in string order (equal values, equal ranks); `count` distinct values. */
export function ranks(values: readonly string[]): { rank: Int32Array; count: number } {
  const index = new Map<string, number>();
  for (const v of values) if (!index.has(v)) index.set(v, 0);
  const distinct = [...index.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  distinct.forEach((v, i) => index.set(v, i));
  const rank = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) rank[i] = index.get(values[i]!)!;
  return { rank, count: distinct.length };
}

/**
 * The indices 0..n-1 ordered by the key columns (first column first, each ascending, every
 * value in [0, size)), ties in index order: what a stable sort by those keys gives. The keys
 * and the index are packed into one number when they fit in 53 bits (a sort of plain numbers),
 * else compared column by column.
 */
export function orderBy(n: number, columns: readonly { readonly key: ArrayLike<number>; readonly size: number }[]): Int32Array {
  let span = Math.max(n, 1);
  for (const c of columns) span *= Math.max(c.size, 1);
  const out = new Int32Array(n);
  if (span <= Number.MAX_SAFE_INTEGER) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let k = 0;
      for (const c of columns) k = k * Math.max(c.size, 1) + c.key[i]!;
      packed[i] = k * Math.max(n, 1) + i;
    }
    packed.sort();
    for (let i = 0; i < n; i++) out[i] = packed[i]! % Math.max(n, 1);
    return out;
  }
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => {
    for (const c of columns) {
      const d = c.key[a]! - c.key[b]!;
      if (d !== 0) return d;
    }
    return a - b;
  });
  out.set(idx);
  return out;
}
