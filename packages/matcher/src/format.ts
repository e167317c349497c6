/**
 * The serialized matcher: one little-endian buffer that `HostMatcher.load` reads through typed
 * array views without rebuilding anything.
 *
 * ```
 * offset  size               contents
 * 0       64                 header: 16 uint32 words (H_* below)
 * 64      tableCap * 4       suffix table: open addressing, linear probing; 0 = empty slot,
 *                            else fingerprint (the suffix hash's top bits) | record offset
 * ...     recordWords * 4    records; word 0 is unused, so that offset 0 stands for the root;
 *                            the last RECORD_PADDING words are 0
 * ```
 *
 * Every suffix of every pattern name is a node (`api.example.co.uk` gives `uk`, `co.uk`,
 * `example.co.uk`, `api.example.co.uk`), stored as a variable-length record:
 *
 * ```
 * [parent record offset (0 = root) << 8 | info, label words…, exact value?, subtree value?]
 * info = labelLength (bits 0-5) | FLAG_EXACT (bit 6) | FLAG_SUBTREE (bit 7)
 * ```
 *
 * A label's characters are packed four to a word, read right to left (as lookups read them):
 * the first character read lands in the highest byte of the first word.
 *
 * The table is keyed by a hash of the whole suffix, computed label by label from the right, so
 * a lookup can compute every probe address from the host alone: the probes of successive
 * labels do not wait for each other's memory loads. A probe accepts the first slot whose
 * fingerprint matches and checks the record exactly (parent link, length, label words) without
 * branching on it; a mismatch, which only a fingerprint collision can cause, sends the lookup
 * to a probe-by-probe verified walk. Records are laid out breadth first, children in label
 * order, so every parent offset is smaller than its children's.
 */

/** "SNCM" read as a little-endian uint32. */
export const MAGIC = 0x4d434e53;
export const VERSION = 1;

export const HEADER_WORDS = 16;
export const HEADER_BYTES = HEADER_WORDS * 4;
/** Header word indices; the others are reserved (0). */
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_HEADER_BYTES = 2;
export const H_TOTAL_BYTES = 3;
export const H_ENTRIES = 4;
export const H_NODES = 5;
export const H_TABLE_CAP = 6;
export const H_RECORD_WORDS = 7;
export const H_OFFSET_BITS = 8;
/** Fingerprint bits in a table slot: at most 32 - offset bits (fewer only in tests of the collision path). */
export const H_FINGERPRINT_BITS = 9;
export const H_BODY_HASH = 13;
export const H_HEADER_HASH = 15;

/** Record word offsets. */
/** `parentOffset << 8 | info` */
export const R_HEAD = 0;
export const R_LABEL = 1;
/** Zero words after the last record: lookups may read up to 4 label words of any record. */
export const RECORD_PADDING = 3;

export const LABEL_LEN_MASK = 63;
export const FLAG_EXACT = 64;
export const FLAG_SUBTREE = 128;

export const MAX_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;
/** Record offsets use at most this many bits of a table slot; the rest is fingerprint. */
export const MAX_OFFSET_BITS = 24;
export const MAX_TABLE_CAP = 1 << 28;

export const HASH_SEED = 0x811c9dc5 | 0;
export const HASH_PRIME = 0x01000193;
export const GOLDEN = 0x9e3779b1 | 0;

/** Packs `label` into words as lookups do (right to left, four characters a word). */
export function packLabel(label: string): number[] {
  const words: number[] = [];
  let w = 0;
  let count = 0;
  for (let i = label.length - 1; i >= 0; i--) {
    w = (w << 8) | label.charCodeAt(i);
    if ((++count & 3) === 0) {
      words.push(w);
      w = 0;
    }
  }
  if ((count & 3) !== 0) words.push(w);
  return words;
}

/**
 * The hash of a suffix: its parent suffix's hash extended by one label, given as packed words:
 * every full word, then the partial last word (0 when the length is a multiple of 4), then the
 * length.
 */
export function extendHash(parentHash: number, words: readonly number[], length: number): number {
  let h = parentHash;
  const full = length >> 2;
  for (let i = 0; i < full; i++) h = Math.imul(h ^ words[i]!, HASH_PRIME);
  h = Math.imul(h ^ ((length & 3) !== 0 ? words[full]! : 0), HASH_PRIME);
  return mix(h ^ Math.imul(length, GOLDEN));
}

/** A light finalizer for slot hashes: one multiply, with high bits folded into the low ones. */
export function mix(x: number): number {
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d);
  x ^= x >>> 16;
  return x;
}

/** murmur3's 32-bit finalizer. */
export function fmix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x;
}

/** A 32-bit checksum of `words[from, to)` (FNV-1a over words, then a finalizer). */
export function hashWords(words: Uint32Array | Int32Array, from: number, to: number): number {
  let h = HASH_SEED;
  for (let i = from; i < to; i++) h = Math.imul(h ^ words[i]!, HASH_PRIME);
  return fmix(h) >>> 0;
}

/** Smallest power of two that keeps the table at most `MAX_LOAD` full (and leaves an empty slot). */
export const MAX_LOAD = 0.7;
export function tableCapacity(nodeCount: number): number {
  const keys = Math.max(0, nodeCount - 1);
  let cap = 4;
  while (cap * MAX_LOAD < keys) cap *= 2;
  return cap;
}

/** Bits needed for record offsets below `recordWords`. */
export function offsetBits(recordWords: number): number {
  let bits = 1;
  while (2 ** bits < recordWords) bits++;
  return bits;
}

export function layoutBytes(tableCap: number, recordWords: number): number {
  return HEADER_BYTES + tableCap * 4 + recordWords * 4;
}

/** The format is little-endian and read through native typed arrays; every current Node.js platform is little-endian. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new Error("@sanction/matcher: big-endian platforms are not supported");
}

/** The slot bits holding the fingerprint: the top `fingerprintBits` bits. */
export function fingerprintMask(fingerprintBits: number): number {
  return fingerprintBits === 0 ? 0 : (-1 << (32 - fingerprintBits)) | 0;
}
