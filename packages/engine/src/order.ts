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
 * value in [0, size)), ties in index order: what a stable sort by those keys gives. A counting
 * sort per column, last column first (each pass stable), when the columns are not much wider
 * than n; else a sort comparing column by column.
 */
export function orderBy(n: number, columns: readonly { readonly key: ArrayLike<number>; readonly size: number }[]): Int32Array {
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (columns.every((c) => c.size <= 4 * n + 1024)) {
    let into = new Int32Array(n);
    for (let c = columns.length - 1; c >= 0; c--) {
      countingPass(order, into, columns[c]!.key, columns[c]!.size);
      [order, into] = [into, order];
    }
    return order;
  }
  const idx = Array.from(order);
  idx.sort((a, b) => {
    for (const c of columns) {
      const d = c.key[a]! - c.key[b]!;
      if (d !== 0) return d;
    }
    return a - b;
  });
  order.set(idx);
  return order;
}

/** `order` sorted stably by key[i] (values in [0, size)) into `into`. */
function countingPass(order: Int32Array, into: Int32Array, key: ArrayLike<number>, size: number): void {
  const at = new Int32Array(size + 1);
  for (let i = 0; i < order.length; i++) at[key[order[i]!]! + 1]++;
  for (let v = 0; v < size; v++) at[v + 1] += at[v]!;
  for (let i = 0; i < order.length; i++) {
    const k = order[i]!;
    into[at[key[k]!]!++] = k;
  }
}
