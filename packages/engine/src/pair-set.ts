/**
 * A set of pairs of non-negative 31-bit integers (for example: usage slot × user id), in one
 * open-addressing table of 32-bit words. Distinct users per app per day are counted by adding
 * (slot, user) pairs: no string, no per-entry object, nothing allocated per record.
 */
export class PairSet {
  /** Two words per entry; an empty entry has -1 in its first word. */
  private table: Int32Array;
  private mask: number;
  private limit: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.table = new Int32Array(cap * 2).fill(-1);
    this.mask = cap - 1;
    this.limit = cap * 0.6;
  }

  /** Adds (a, b); true when it was not there yet. */
  add(a: number, b: number): boolean {
    const t = this.table;
    const mask = this.mask;
    let i = hash(a, b) & mask;
    for (;;) {
      const k = t[i * 2]!;
      if (k === -1) {
        t[i * 2] = a;
        t[i * 2 + 1] = b;
        if (++this.size > this.limit) this.grow();
        return true;
      }
      if (k === a && t[i * 2 + 1] === b) return false;
      i = (i + 1) & mask;
    }
  }

  /** Every pair, as a compact array [a0, b0, a1, b1, …] (in table order). */
  pairs(): Int32Array {
    const out = new Int32Array(this.size * 2);
    const t = this.table;
    let n = 0;
    for (let i = 0; i < t.length; i += 2) {
      if (t[i] === -1) continue;
      out[n++] = t[i]!;
      out[n++] = t[i + 1]!;
    }
    return out;
  }

  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    this.table = new Int32Array(cap * 2).fill(-1);
    this.mask = cap - 1;
    this.limit = cap * 0.6;
    const t = this.table;
    const mask = this.mask;
    for (let j = 0; j < old.length; j += 2) {
      const a = old[j]!;
      if (a === -1) continue;
      const b = old[j + 1]!;
      let i = hash(a, b) & mask;
      while (t[i * 2] !== -1) i = (i + 1) & mask;
      t[i * 2] = a;
      t[i * 2 + 1] = b;
    }
  }
}

function hash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h;
}
