/**
 * The serialized matcher: one little-endian buffer that `HostMatcher.load` reads through typed
 * array views without rebuilding anything.
 *
 * ```
 * offset  size             contents
 * 0       48               header: 12 uint32 words (see H_* below)
 * 48      nodeCount * 16   node records, 4 uint32 words each (see N_* below); node 0 is the root
 * ...     tableCap * 4     open-addressing table (linear probing): node id, 0 = empty slot
 * ...     labelBytes       label bytes (distinct labels, in order of first use), zero-padded to 4
 * ```
 *
 * The trie is keyed by labels read from the right: `api.example.co.uk` is the path
 * root → uk → co → example → api. A child is found by hashing (parent id, label bytes) into
 * the table and verifying the parent and the label bytes of the candidate node. Node ids are
 * assigned breadth first with children in label order, so every parent id is smaller than its
 * children's ids and the hot top of the trie sits at the start of the node records.
 */

/** "SNCM" read as a little-endian uint32. */
export const MAGIC = 0x4d434e53;
export const VERSION = 1;

export const HEADER_WORDS = 12;
export const HEADER_BYTES = HEADER_WORDS * 4;
/** Header word indices. */
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_HEADER_BYTES = 2;
export const H_TOTAL_BYTES = 3;
export const H_ENTRIES = 4;
export const H_NODES = 5;
export const H_TABLE_CAP = 6;
export const H_LABEL_BYTES = 7;
// 8 and 10 are reserved (0)
export const H_BODY_HASH = 9;
export const H_HEADER_HASH = 11;

/** Words per node record. */
export const NODE_WORDS = 4;
/** Node record word offsets. */
export const N_PARENT = 0;
/** `labelOffset << 8 | FLAG_SUBTREE? | FLAG_EXACT? | labelLength` */
export const N_LABEL = 1;
export const N_EXACT = 2;
export const N_SUBTREE = 3;

export const LABEL_LEN_MASK = 63;
export const FLAG_EXACT = 64;
export const FLAG_SUBTREE = 128;
export const LABEL_OFFSET_SHIFT = 8;
export const MAX_LABEL_POOL = 1 << 24;
export const MAX_NODES = 1 << 28;

export const MAX_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;
export const GOLDEN = 0x9e3779b1 | 0;

/** FNV-1a over the UTF-16 code units of `s[start, end)`, read right to left (as lookups read them). */
export function labelHash(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = end - 1; i >= start; i--) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Mixes a label hash with the parent id (murmur3 finalizer); the table index is `slotHash & mask`. */
export function slotHash(labelHash: number, parent: number): number {
  let x = labelHash ^ Math.imul(parent + 1, GOLDEN);
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x;
}

/** A 32-bit checksum of `words[from, to)` (FNV-1a over words, then a finalizer). */
export function hashWords(words: Uint32Array, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ words[i]!, FNV_PRIME);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Smallest power of two that keeps the table at most 60% full (and always leaves an empty slot). */
export function tableCapacity(nodeCount: number): number {
  const keys = Math.max(0, nodeCount - 1);
  let cap = 2;
  while (cap * 0.6 < keys) cap *= 2;
  return cap;
}

export function layoutBytes(nodeCount: number, tableCap: number, labelBytes: number): number {
  return HEADER_BYTES + nodeCount * NODE_WORDS * 4 + tableCap * 4 + ((labelBytes + 3) & ~3);
}

/** The format is little-endian and read through native typed arrays; every current Node.js platform is little-endian. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new Error("@sanction/matcher: big-endian platforms are not supported");
}
