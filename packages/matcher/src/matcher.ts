import {
  FLAG_EXACT,
  FLAG_SUBTREE,
  GOLDEN,
  H_BODY_HASH,
  H_ENTRIES,
  H_HEADER_BYTES,
  H_HEADER_HASH,
  H_MAGIC,
  H_NODES,
  H_OFFSET_BITS,
  H_FINGERPRINT_BITS,
  H_RECORD_WORDS,
  H_TABLE_CAP,
  H_TOTAL_BYTES,
  H_VERSION,
  HASH_PRIME,
  HASH_SEED,
  HEADER_BYTES,
  HEADER_WORDS,
  LABEL_LEN_MASK,
  MAGIC,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TABLE_CAP,
  R_LABEL,
  R_HEAD,
  RECORD_PADDING,
  VERSION,
  assertLittleEndian,
  extendHash,
  fingerprintMask,
  hashWords,
  layoutBytes,
  offsetBits,
  tableCapacity,
} from "./format.js";

/** Thrown by `HostMatcher.load` when the buffer is not a valid serialized matcher. */
export class MatcherFormatError extends Error {
  override readonly name = "MatcherFormatError";
  constructor(message: string) {
    super(`HostMatcher.load: ${message}`);
  }
}

/** The winning pattern of a lookup, for explanations. */
export interface PatternMatch {
  /** The payload of the pattern. */
  readonly value: number;
  /** The pattern as it was built: `example.com` or `*.example.com`. */
  readonly pattern: string;
  /** Labels in the pattern's name (`*.example.com` → 2): the length that won. */
  readonly labels: number;
}

/** `locate` answers `recordOffset * 4 + KIND_*`. */
/** Per-lookup scratch: the packed words of the current label (at most 16). Lookups never nest. */
const WORDS = new Int32Array(16);
/** Slots of the last-label cache: short top-level labels are few. */
const LAST_LABEL_BITS = 8;
/** lastAt: no pattern ends in the label; the label's step must go the verified way. */
const ABSENT = -1;
const UNCACHED = -2;
const KIND_EXACT = 1;
const KIND_SUBTREE = 2;
const HEADER_RESERVED = [10, 11, 12, 14];

/**
 * True when `host[0, end)` consists of labels of 1..63 characters (`end` is -1, or the index of a
 * dot). Branch-free over the characters: label boundaries are not predictable.
 */
function validPrefix(host: string, end: number): boolean {
  if (end < 0) return true;
  let bad = 0;
  let dot = 1; // host[end] is a dot
  for (let k = end - 1; k >= 0; k--) {
    const d = ((host.charCodeAt(k) ^ 46) - 1) >>> 31;
    bad |= d & dot;
    dot = d;
  }
  if ((bad | dot) !== 0) return false; // an empty label, or a dot first
  if (end <= MAX_LABEL_LENGTH) return true;
  let len = 0;
  for (let k = end - 1; k >= 0; k--) {
    if (host.charCodeAt(k) === 46) len = 0;
    else if (++len > MAX_LABEL_LENGTH) return false;
  }
  return true;
}

/**
 * Longest-domain-match lookups over a buffer made by `buildMatcher`. `load` validates the buffer
 * and keeps typed-array views over it; `match` reads the host's characters once, right to left,
 * without allocating (no split, no substring).
 */
export class HostMatcher {
  /** Number of patterns. */
  readonly size: number;
  /** Size of the serialized buffer. */
  readonly byteLength: number;
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly offsetMask: number;
  private readonly fingerprintMask: number;
  private readonly records: Int32Array;
  /** The last-label cache (see lastLabelStep), per slot: its key (label and length; 0 when empty), hash, record and best match. */
  private readonly lastKey = new Int32Array(1 << LAST_LABEL_BITS);
  private readonly lastHash = new Int32Array(1 << LAST_LABEL_BITS);
  private readonly lastAt = new Int32Array(1 << LAST_LABEL_BITS);
  private readonly lastBest = new Int32Array(1 << LAST_LABEL_BITS);

  private constructor(size: number, byteLength: number, table: Int32Array, records: Int32Array, bits: number, fingerprintBits: number) {
    this.size = size;
    this.byteLength = byteLength;
    this.table = table;
    this.mask = table.length - 1;
    this.offsetMask = (1 << bits) - 1;
    this.fingerprintMask = fingerprintMask(fingerprintBits);
    this.records = records;
  }

  /**
   * Views over `bytes` (copied once only when its offset is not 4-byte aligned). Validates the
   * header (magic, version, lengths, checksum), the body checksum and the structure, and throws
   * a `MatcherFormatError` on corrupt input, so that lookups on a loaded matcher always terminate
   * and stay in bounds.
   */
  static load(bytes: Uint8Array): HostMatcher {
    assertLittleEndian();
    if (!(bytes instanceof Uint8Array)) throw new MatcherFormatError("expected a Uint8Array");
    const length = bytes.byteLength;
    if (length < HEADER_BYTES) throw new MatcherFormatError(`truncated: ${length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
    if (bytes.byteOffset % 4 !== 0) bytes = new Uint8Array(bytes); // a copy (Buffer#slice would not copy)
    const header = new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER_WORDS);
    if (header[H_MAGIC] !== MAGIC) throw new MatcherFormatError("bad magic: not a serialized Sanction host matcher");
    if (header[H_VERSION] !== VERSION) throw new MatcherFormatError(`unsupported format version ${header[H_VERSION]} (this build reads version ${VERSION})`);
    if (header[H_HEADER_HASH] !== hashWords(header, 0, H_HEADER_HASH)) throw new MatcherFormatError("corrupt header (checksum mismatch)");
    const total = header[H_TOTAL_BYTES]!;
    if (total !== length) {
      throw new MatcherFormatError(total > length ? `truncated: header says ${total} bytes, got ${length}` : `length mismatch: header says ${total} bytes, got ${length}`);
    }
    const entries = header[H_ENTRIES]!;
    const nodeCount = header[H_NODES]!;
    const tableCap = header[H_TABLE_CAP]!;
    const recordWords = header[H_RECORD_WORDS]!;
    const bits = header[H_OFFSET_BITS]!;
    const fingerprintBits = header[H_FINGERPRINT_BITS]!;
    if (header[H_HEADER_BYTES] !== HEADER_BYTES || HEADER_RESERVED.some((i) => header[i] !== 0)) throw new MatcherFormatError("corrupt header (unexpected field values)");
    if (nodeCount < 1 || recordWords < 1 + RECORD_PADDING || recordWords < nodeCount + RECORD_PADDING) throw new MatcherFormatError(`corrupt header: ${nodeCount} names in ${recordWords} record words`);
    if (tableCap > MAX_TABLE_CAP || tableCap !== tableCapacity(nodeCount)) throw new MatcherFormatError(`corrupt header: table capacity ${tableCap} for ${nodeCount} names`);
    if (bits !== offsetBits(recordWords)) throw new MatcherFormatError(`corrupt header: ${bits} offset bits for ${recordWords} record words`);
    if (fingerprintBits > 32 - bits) throw new MatcherFormatError(`corrupt header: ${fingerprintBits} fingerprint bits with ${bits} offset bits`);
    if (entries > 2 * (nodeCount - 1)) throw new MatcherFormatError(`corrupt header: ${entries} patterns for ${nodeCount} names`);
    if (layoutBytes(tableCap, recordWords) !== total) throw new MatcherFormatError("corrupt header: section lengths do not add up to the buffer length");

    const all = new Uint32Array(bytes.buffer, bytes.byteOffset, total / 4);
    if (header[H_BODY_HASH] !== hashWords(all, HEADER_WORDS, all.length)) throw new MatcherFormatError("corrupt body (checksum mismatch)");

    const table = new Int32Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, tableCap);
    const records = new Int32Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES + tableCap * 4, recordWords);
    validateStructure(table, records, nodeCount, entries, bits, fingerprintBits);
    return new HostMatcher(entries, length, table, records, bits, fingerprintBits);
  }

  /** The payload of the longest pattern matching `host` (an exact pattern wins a tie), or -1. */
  match(host: string): number {
    const r = this.locate(host);
    return r < 0 ? -1 : this.valueOf(r);
  }

  /** The winning pattern with its payload and label count, or undefined when nothing matches. */
  matchWithPattern(host: string): PatternMatch | undefined {
    const r = this.locate(host);
    if (r < 0) return undefined;
    const records = this.records;
    const parts: string[] = [];
    for (let at = r >>> 2; at !== 0; at = records[at + R_HEAD]! >>> 8) parts.push(labelOf(records, at));
    return { value: this.valueOf(r), pattern: ((r & 3) === KIND_SUBTREE ? "*." : "") + parts.join("."), labels: parts.length };
  }

  private valueOf(r: number): number {
    const records = this.records;
    const at = r >>> 2;
    const info = records[at + R_HEAD]!;
    const skip = (r & 3) === KIND_SUBTREE && (info & FLAG_EXACT) !== 0 ? 1 : 0;
    return records[at + R_LABEL + (((info & LABEL_LEN_MASK) + 3) >> 2) + skip]! >>> 0;
  }

  /**
   * The winner as `recordOffset * 4 + KIND_*`, or -1. Reads the labels from the right, four
   * characters at a time, hashing each suffix and probing the table for it, until a suffix is
   * absent. A probe accepts the first slot whose fingerprint matches; the accepted record is
   * checked without branches (parent link, length, label words) and any mismatch, which only a
   * fingerprint collision can cause, sends the lookup to `verifiedLocate`. The probe addresses
   * depend only on the host, so the memory loads of successive labels overlap.
   */
  private locate(host: string): number {
    const n = host.length;
    if (n === 0 || n > MAX_NAME_LENGTH) return -1;
    const table = this.table;
    const mask = this.mask;
    const offsetMask = this.offsetMask;
    const fingerprintMask = this.fingerprintMask;
    const records = this.records;
    const words = WORDS;
    let hash = HASH_SEED;
    let j = n - 1;
    let parent = 0;
    let wrong = 0;
    let best = -1;
    let full = false;
    // Most hosts end in one of a few short labels (com, net, io, uk…), whose step (hash, probe,
    // check) is the same for every host: it is cached per label (lastLabelStep).
    if (n >= 4) {
      const c0 = host.charCodeAt(j);
      const c1 = host.charCodeAt(j - 1);
      const c2 = host.charCodeAt(j - 2);
      const c3 = host.charCodeAt(j - 3);
      if (c0 !== 46 && (c1 === 46 || c2 === 46 || c3 === 46) && (c0 | c1 | c2) < 128) {
        const count = c1 === 46 ? 1 : c2 === 46 ? 2 : 3;
        const tail = count === 1 ? c0 : count === 2 ? (c0 << 8) | c1 : (c0 << 16) | (c1 << 8) | c2;
        const key = tail | (count << 24);
        const slot = Math.imul(key, GOLDEN) >>> (32 - LAST_LABEL_BITS);
        if (this.lastKey[slot] !== key) this.lastLabelStep(slot, key, tail, count);
        const at = this.lastAt[slot]!;
        if (at === ABSENT) return -1;
        if (at >= 0) {
          hash = this.lastHash[slot]!;
          parent = at;
          best = this.lastBest[slot]!;
          j -= count + 1;
        }
      }
    }
    for (;;) {
      let wp = 0;
      let h = hash;
      let any = 0;
      let tail = 0;
      let count = 0;
      for (;;) {
        if (j < 3) {
          for (; j >= 0; j--) {
            const c = host.charCodeAt(j);
            if (c === 46) break;
            any |= c;
            tail = (tail << 8) | c;
            count++;
          }
          break;
        }
        const c0 = host.charCodeAt(j);
        const c1 = host.charCodeAt(j - 1);
        const c2 = host.charCodeAt(j - 2);
        const c3 = host.charCodeAt(j - 3);
        const z0 = (c0 ^ 46) - 1;
        const z1 = (c1 ^ 46) - 1;
        const z2 = (c2 ^ 46) - 1;
        const z3 = (c3 ^ 46) - 1;
        const packed = (c0 << 24) | (c1 << 16) | (c2 << 8) | c3;
        if ((z0 | z1 | z2 | z3) >= 0) {
          any |= c0 | c1 | c2 | c3;
          words[wp++] = packed;
          h = Math.imul(h ^ packed, HASH_PRIME);
          j -= 4;
          continue;
        }
        const a0 = ~z0 >>> 31;
        const a1 = a0 & (~z1 >>> 31);
        const a2 = a1 & (~z2 >>> 31);
        const t = a0 + a1 + a2;
        any |= (c0 & -a0) | (c1 & -a1) | (c2 & -a2);
        tail = (packed >>> 1) >>> (31 - 8 * t);
        count = t;
        j -= t;
        break;
      }
      count += wp * 4;
      if (count === 0 || count > MAX_LABEL_LENGTH) return -1;
      words[wp] = tail;
      h = Math.imul(h ^ tail, HASH_PRIME);
      if (any > 127) break;
      h ^= Math.imul(count, GOLDEN);
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d);
      h ^= h >>> 16;
      const fingerprint = h & fingerprintMask;
      let s = h & mask;
      let e = table[s]!;
      while (e !== 0 && (e & fingerprintMask) !== fingerprint) {
        s = (s + 1) & mask;
        e = table[s]!;
      }
      if (e === 0) break;
      const at = e & offsetMask;
      // verify now, without branches (a mismatch means a fingerprint collision: rare)
      const info = records[at + R_HEAD]!; // parent << 8 | flags | length
      const nw = (count + 3) >> 2;
      const r = at + R_LABEL;
      wrong |= (info & ~(FLAG_EXACT | FLAG_SUBTREE)) ^ ((parent << 8) | count);
      // most labels fit in two words: comparing only those saves two loads on each
      if (nw <= 2) {
        wrong |= (records[r]! ^ words[0]!) | ((records[r + 1]! ^ words[1]!) & ((1 - nw) >> 31));
      } else if (nw <= 4) {
        wrong |=
          (records[r]! ^ words[0]!) |
          ((records[r + 1]! ^ words[1]!) & ((1 - nw) >> 31)) |
          ((records[r + 2]! ^ words[2]!) & ((2 - nw) >> 31)) |
          ((records[r + 3]! ^ words[3]!) & ((3 - nw) >> 31));
      } else {
        for (let i = 0; i < nw; i++) wrong |= records[r + i]! ^ words[i]!;
      }
      const subtree = (info << 24) >> 31;
      best = (best & ~subtree) | ((at * 4 + KIND_SUBTREE) & subtree);
      parent = at;
      hash = h;
      if (j < 0) {
        full = true;
        break;
      }
      j--;
    }
    if (wrong !== 0) return this.verifiedLocate(host);
    if (full) return (records[parent + R_HEAD]! & FLAG_EXACT) !== 0 ? parent * 4 + KIND_EXACT : best;
    // the labels left of the longest match must still be valid, but only a match needs to know
    return best >= 0 && validPrefix(host, j) ? best : -1;
  }

  /**
   * The first step of `locate` for a last label of 1–3 ASCII characters (`tail`, packed as
   * `locate` packs it), kept in slot `slot` of the last-label cache: the hash after it, its
   * record and what it makes the best match so far, or ABSENT when no pattern ends in that
   * label. A fingerprint that matches another label's record (a collision) is kept as UNCACHED:
   * such hosts take the full path, which verifies.
   */
  private lastLabelStep(slot: number, key: number, tail: number, count: number): void {
    // the builder's own hash of the suffix, so the cache cannot disagree with the table
    const h = extendHash(HASH_SEED, [tail], count);
    const table = this.table;
    const fingerprint = h & this.fingerprintMask;
    let s = h & this.mask;
    let e = table[s]!;
    while (e !== 0 && (e & this.fingerprintMask) !== fingerprint) {
      s = (s + 1) & this.mask;
      e = table[s]!;
    }
    this.lastKey[slot] = key;
    this.lastHash[slot] = h;
    if (e === 0) {
      this.lastAt[slot] = ABSENT;
      return;
    }
    const at = e & this.offsetMask;
    const info = this.records[at + R_HEAD]!;
    const same = (info & ~(FLAG_EXACT | FLAG_SUBTREE)) === count && this.records[at + R_LABEL] === tail;
    this.lastAt[slot] = same ? at : UNCACHED;
    this.lastBest[slot] = (info & FLAG_SUBTREE) !== 0 ? at * 4 + KIND_SUBTREE : -1;
  }

  /** `locate` verifying every probe (taken when a fingerprint collision misled the fast pass). */
  private verifiedLocate(host: string): number {
    const n = host.length;
    const table = this.table;
    const mask = this.mask;
    const offsetMask = this.offsetMask;
    const fingerprintMask = this.fingerprintMask;
    const records = this.records;
    const words = WORDS;
    let hash = HASH_SEED;
    let end = n;
    let j = n - 1;
    let parent = 0;
    let best = -1;
    for (;;) {
      let h = hash;
      let w = 0;
      let count = 0;
      let any = 0;
      let wp = 0;
      for (j = end - 1; j >= 0; j--) {
        const c = host.charCodeAt(j);
        if (c === 46) break;
        any |= c;
        w = (w << 8) | c;
        if ((++count & 3) === 0) {
          words[wp++] = w;
          h = Math.imul(h ^ w, HASH_PRIME);
          w = 0;
        }
      }
      if (count === 0 || count > MAX_LABEL_LENGTH) return -1;
      if ((count & 3) !== 0) words[wp++] = w;
      h = Math.imul(h ^ w, HASH_PRIME);
      if (any > 127) break;
      h ^= Math.imul(count, GOLDEN);
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d);
      h ^= h >>> 16;
      const fingerprint = h & fingerprintMask;
      let child = 0;
      for (let s = h & mask, e = table[s]!; e !== 0; s = (s + 1) & mask, e = table[s]!) {
        if ((e & fingerprintMask) !== fingerprint) continue;
        const at = e & offsetMask;
        if ((records[at + R_HEAD]! & ~(FLAG_EXACT | FLAG_SUBTREE)) !== ((parent << 8) | count)) continue;
        let i = 0;
        while (i < wp && records[at + R_LABEL + i] === words[i]) i++;
        if (i === wp) {
          child = at;
          break;
        }
      }
      if (child === 0) break;
      const info = records[child + R_HEAD]!;
      if (j < 0) {
        if ((info & FLAG_EXACT) !== 0) return child * 4 + KIND_EXACT;
        if ((info & FLAG_SUBTREE) !== 0) return child * 4 + KIND_SUBTREE;
        return best;
      }
      if ((info & FLAG_SUBTREE) !== 0) best = child * 4 + KIND_SUBTREE;
      parent = child;
      hash = h;
      end = j;
    }
    return validPrefix(host, j) ? best : -1;
  }
}

/** The label of the record at `at`, unpacked from its words. */
function labelOf(records: Int32Array, at: number): string {
  const len = records[at + R_HEAD]! & LABEL_LEN_MASK;
  const chars: number[] = new Array(len);
  for (let i = 0; i < len; i++) {
    const word = records[at + R_LABEL + (i >> 2)]!;
    const inWord = Math.min(4, len - (i & ~3));
    chars[len - 1 - i] = (word >>> (8 * (inWord - 1 - (i & 3)))) & 255;
  }
  return String.fromCharCode(...chars);
}

/** Structural checks that make every lookup on the loaded matcher terminate and stay in bounds. */
function validateStructure(table: Int32Array, records: Int32Array, nodeCount: number, entries: number, bits: number, fingerprintBits: number): void {
  const recordWords = records.length;
  if (records[0] !== 0) throw new MatcherFormatError("corrupt body: record word 0 is not 0");
  // 1 = a record starts here, 2 = … and a table slot points to it
  const starts = new Uint8Array(recordWords);
  let at = 1;
  let flagged = 0;
  for (let id = 1; id < nodeCount; id++) {
    if (at + R_LABEL >= recordWords - RECORD_PADDING) throw new MatcherFormatError(`corrupt body: record ${id} runs past the end`);
    const parent = records[at + R_HEAD]! >>> 8;
    const info = records[at + R_HEAD]! & 255;
    const len = info & LABEL_LEN_MASK;
    if (parent !== 0 && (parent >= at || starts[parent] !== 1)) throw new MatcherFormatError(`corrupt body: record ${id} has a bad parent`);
    if (len === 0) throw new MatcherFormatError(`corrupt body: record ${id} has an empty label`);
    const values = ((info & FLAG_EXACT) !== 0 ? 1 : 0) + ((info & FLAG_SUBTREE) !== 0 ? 1 : 0);
    flagged += values;
    starts[at] = 1;
    at += R_LABEL + ((len + 3) >> 2) + values;
    if (at > recordWords - RECORD_PADDING) throw new MatcherFormatError(`corrupt body: record ${id} runs past the end`);
  }
  if (at !== recordWords - RECORD_PADDING) throw new MatcherFormatError(`corrupt body: the records end at word ${at}, expected ${recordWords - RECORD_PADDING}`);
  for (let i = at; i < recordWords; i++) if (records[i] !== 0) throw new MatcherFormatError("corrupt body: non-zero padding after the records");
  if (flagged !== entries) throw new MatcherFormatError(`corrupt body: ${flagged} patterns, header says ${entries}`);
  const offsetMask = (1 << bits) - 1;
  let used = 0;
  for (let s = 0; s < table.length; s++) {
    const e = table[s]!;
    if (e === 0) continue;
    const target = e & offsetMask;
    if ((e & ~offsetMask & ~fingerprintMask(fingerprintBits)) !== 0) throw new MatcherFormatError(`corrupt body: table slot ${s} has stray bits`);
    if (starts[target] === 2) throw new MatcherFormatError(`corrupt body: table slot ${s} points to a record twice`);
    if (starts[target] !== 1) throw new MatcherFormatError(`corrupt body: table slot ${s} does not point to a record`);
    starts[target] = 2;
    used++;
  }
  if (used !== nodeCount - 1) throw new MatcherFormatError(`corrupt body: table holds ${used} of ${nodeCount - 1} records`);
}
