/**
 * Pairs of non-negative 31-bit integers (for example app × string id), each with a few flag
 * bits (seen as a user, as a device, as a source IP), in one open-addressing table of 32-bit
 * words. Distinct users per app per day are counted by setting flags on (app, id) pairs: no
 * string, no per-entry object, nothing allocated per record, and one probe covers a string
 * that is both the device and the source IP.
 */
export class PairFlags {
  /** Two words per entry; an empty entry has -1 in its first word. */
  private keys: Int32Array;
  private flags: Uint8Array;
  private mask: number;
  private limit: number;
  size = 0;

  /** `load`: how full the table may get before it doubles (fuller is smaller and probes longer). */
  constructor(
    capacity = 1024,
    private readonly load = 0.6,
  ) {
    let cap = 16;
    while (cap < capacity / load) cap *= 2;
    this.keys = new Int32Array(cap * 2).fill(-1);
    this.flags = new Uint8Array(cap);
    this.mask = cap - 1;
    this.limit = cap * load;
  }

  /** Sets `bits` on (a, b), adding the pair if needed; answers the bits that were not set before. */
  mark(a: number, b: number, bits: number): number {
    const k = this.keys;
    const mask = this.mask;
    let i = hash(a, b) & mask;
    for (;;) {
      const ka = k[i * 2]!;
      if (ka === a && k[i * 2 + 1] === b) {
        const old = this.flags[i]!;
        const added = bits & ~old;
        if (added !== 0) this.flags[i] = old | bits;
        return added;
      }
      if (ka === -1) {
        k[i * 2] = a;
        k[i * 2 + 1] = b;
        this.flags[i] = bits;
        if (++this.size > this.limit) this.grow();
        return bits;
      }
      i = (i + 1) & mask;
    }
  }

  /** Every pair with its flags as [a, b, flags] triples (in table order). */
  triples(): Int32Array {
    const out = new Int32Array(this.size * 3);
    this.writeFrom(0, out);
    return out;
  }

  /**
   * The triples of `triples()` in arrays of at most `maxPairs` pairs each (none when empty),
   * each of the `words` asked of `alloc` (by default a new array).
   */
  *pieces(maxPairs: number, alloc: (words: number) => Int32Array = (words) => new Int32Array(words)): Generator<Int32Array> {
    let left = this.size;
    let slot = 0;
    while (left > 0) {
      const out = alloc(Math.min(left, maxPairs) * 3);
      slot = this.writeFrom(slot, out);
      left -= out.length / 3;
      yield out;
    }
  }

  /** Fills `out` with the triples of the entries from `slot` on, in table order; answers the slot after the last one written. */
  private writeFrom(slot: number, out: Int32Array): number {
    const k = this.keys;
    const f = this.flags;
    let i = slot;
    for (let n = 0; n < out.length; i++) {
      const a = k[i * 2]!;
      if (a === -1) continue;
      out[n] = a;
      out[n + 1] = k[i * 2 + 1]!;
      out[n + 2] = f[i]!;
      n += 3;
    }
    return i;
  }

  /**
   * The table's own arrays, for a loop over every pair without a copy: entry i is the pair
   * (keys[2i], keys[2i + 1]) with flags[i], or empty when keys[2i] is -1. Read only.
   */
  get entries(): { readonly keys: Int32Array; readonly flags: Uint8Array } {
    return { keys: this.keys, flags: this.flags };
  }

  /** Every pair with its flags: `visit(a, b, flags)`, in table order. */
  forEach(visit: (a: number, b: number, flags: number) => void): void {
    const k = this.keys;
    for (let i = 0; i < this.flags.length; i++) if (k[i * 2] !== -1) visit(k[i * 2]!, k[i * 2 + 1]!, this.flags[i]!);
  }

  /** Room for `pairs` pairs in all before the table has to grow (one rehash instead of several). */
  reserve(pairs: number): void {
    let cap = this.mask + 1;
    while (cap * this.load < pairs) cap *= 2;
    if (cap !== this.mask + 1) this.rehash(cap);
  }

  private grow(): void {
    this.rehash((this.mask + 1) * 2);
  }

  private rehash(cap: number): void {
    const oldKeys = this.keys;
    const oldFlags = this.flags;
    this.keys = new Int32Array(cap * 2).fill(-1);
    this.flags = new Uint8Array(cap);
    this.mask = cap - 1;
    this.limit = cap * this.load;
    const k = this.keys;
    const mask = this.mask;
    for (let j = 0; j < oldFlags.length; j++) {
      const a = oldKeys[j * 2]!;
      if (a === -1) continue;
      const b = oldKeys[j * 2 + 1]!;
      let i = hash(a, b) & mask;
      while (k[i * 2] !== -1) i = (i + 1) & mask;
      k[i * 2] = a;
      k[i * 2 + 1] = b;
      this.flags[i] = oldFlags[j]!;
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
