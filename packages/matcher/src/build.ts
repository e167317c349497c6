import {
  FLAG_EXACT,
  FLAG_SUBTREE,
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
  HASH_SEED,
  HEADER_BYTES,
  HEADER_WORDS,
  MAGIC,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_OFFSET_BITS,
  MAX_TABLE_CAP,
  RECORD_PADDING,
  VERSION,
  assertLittleEndian,
  extendHash,
  hashWords,
  layoutBytes,
  offsetBits,
  packLabel,
  tableCapacity,
} from "./format.js";

/** One domain pattern and its payload. */
export interface MatcherEntry {
  /** `example.com` (exactly that host) or `*.example.com` (example.com and every name below it). */
  readonly pattern: string;
  /** A uint32 payload (0 ..= 0xFFFFFFFF), returned by `HostMatcher.match`. */
  readonly value: number;
}

interface BuildNode {
  readonly label: string;
  readonly parent: BuildNode | undefined;
  readonly children: Map<string, BuildNode>;
  exact: number;
  subtree: number;
  /** Record offset (0 for the root). */
  id: number;
  /** Suffix hash. */
  hash: number;
}

const LABEL_CHARS = /^[a-z0-9_-]+$/;

function invalid(pattern: string, why: string): Error {
  return new Error(`buildMatcher: invalid pattern ${JSON.stringify(pattern)}: ${why}`);
}

/** The labels of a pattern's name, and whether it is a subtree pattern; throws on invalid patterns. */
export function parsePattern(pattern: string): { labels: string[]; subtree: boolean } {
  if (typeof pattern !== "string") throw new Error(`buildMatcher: pattern must be a string, got ${typeof pattern}`);
  const subtree = pattern.startsWith("*.");
  const name = subtree ? pattern.slice(2) : pattern;
  if (name.length === 0) throw invalid(pattern, "empty name");
  if (name.length > MAX_NAME_LENGTH) throw invalid(pattern, `name longer than ${MAX_NAME_LENGTH} characters`);
  const labels = name.split(".");
  for (const label of labels) {
    if (label.length === 0) throw invalid(pattern, "empty label");
    if (label.length > MAX_LABEL_LENGTH) throw invalid(pattern, `label longer than ${MAX_LABEL_LENGTH} characters`);
    if (!LABEL_CHARS.test(label)) {
      throw invalid(pattern, label.includes("*") ? "`*` is only allowed as a leading `*.` label" : `label ${JSON.stringify(label)} has a character outside [a-z0-9_-] (patterns are lowercase ASCII/punycode)`);
    }
  }
  return { labels, subtree };
}

/**
 * Builds the serialized matcher for `entries`. Deterministic: the same entries in any order give
 * byte-identical output. Throws on an invalid pattern, a payload outside uint32, or a duplicate
 * pattern (naming it).
 */
export function buildMatcher(entries: readonly MatcherEntry[]): Uint8Array {
  assertLittleEndian();
  const root: BuildNode = { label: "", parent: undefined, children: new Map(), exact: -1, subtree: -1, id: 0, hash: HASH_SEED };
  for (const entry of entries) {
    const { pattern, value } = entry;
    const { labels, subtree } = parsePattern(pattern);
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new Error(`buildMatcher: value of ${JSON.stringify(pattern)} must be an integer in 0..4294967295, got ${String(value)}`);
    }
    let node = root;
    for (let i = labels.length - 1; i >= 0; i--) {
      const label = labels[i]!;
      let child = node.children.get(label);
      if (child === undefined) {
        child = { label, parent: node, children: new Map(), exact: -1, subtree: -1, id: 0, hash: HASH_SEED };
        node.children.set(label, child);
      }
      node = child;
    }
    if ((subtree ? node.subtree : node.exact) !== -1) throw new Error(`buildMatcher: duplicate pattern ${JSON.stringify(pattern)}`);
    if (subtree) node.subtree = value;
    else node.exact = value;
  }

  // Breadth first, children in label order: deterministic, parents before children.
  const order: BuildNode[] = [root];
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    for (const key of [...node.children.keys()].sort()) order.push(node.children.get(key)!);
  }
  const nodeCount = order.length;

  // Record offsets (word 0 is unused: offset 0 stands for the root) and suffix hashes.
  const packed: number[][] = new Array(nodeCount);
  let recordWords = 1;
  for (let i = 1; i < nodeCount; i++) {
    const node = order[i]!;
    node.id = recordWords;
    const words = packLabel(node.label);
    packed[i] = words;
    recordWords += 1 + words.length + (node.exact !== -1 ? 1 : 0) + (node.subtree !== -1 ? 1 : 0);
  }
  recordWords += RECORD_PADDING;
  const bits = offsetBits(recordWords);
  if (bits > MAX_OFFSET_BITS) throw new Error(`buildMatcher: too many patterns (${recordWords} record words, at most ${2 ** MAX_OFFSET_BITS})`);
  const tableCap = tableCapacity(nodeCount);
  if (tableCap > MAX_TABLE_CAP) throw new Error(`buildMatcher: too many patterns (${nodeCount} names)`);

  const total = layoutBytes(tableCap, recordWords);
  const bytes = new Uint8Array(total);
  const all = new Uint32Array(bytes.buffer);
  const table = new Int32Array(bytes.buffer, HEADER_BYTES, tableCap);
  const records = new Int32Array(bytes.buffer, HEADER_BYTES + tableCap * 4, recordWords);
  const mask = tableCap - 1;
  const offsetMask = (1 << bits) - 1;

  let entryCount = 0;
  for (let i = 1; i < nodeCount; i++) {
    const node = order[i]!;
    const words = packed[i]!;
    const hash = extendHash(node.parent!.hash, words, node.label.length);
    node.hash = hash;
    let at = node.id;
    records[at++] = (node.parent!.id << 8) | node.label.length | (node.exact !== -1 ? FLAG_EXACT : 0) | (node.subtree !== -1 ? FLAG_SUBTREE : 0);
    for (const w of words) records[at++] = w;
    if (node.exact !== -1) {
      records[at++] = node.exact;
      entryCount++;
    }
    if (node.subtree !== -1) {
      records[at++] = node.subtree;
      entryCount++;
    }
    let s = hash & mask;
    while (table[s] !== 0) s = (s + 1) & mask;
    // the fingerprint is the hash's high bits (the slot index comes from its low bits)
    table[s] = (hash & ~offsetMask) | node.id;
  }

  all[H_MAGIC] = MAGIC;
  all[H_VERSION] = VERSION;
  all[H_HEADER_BYTES] = HEADER_BYTES;
  all[H_TOTAL_BYTES] = total;
  all[H_ENTRIES] = entryCount;
  all[H_NODES] = nodeCount;
  all[H_TABLE_CAP] = tableCap;
  all[H_RECORD_WORDS] = recordWords;
  all[H_OFFSET_BITS] = bits;
  all[H_FINGERPRINT_BITS] = 32 - bits;
  all[H_BODY_HASH] = hashWords(all, HEADER_WORDS, all.length);
  all[H_HEADER_HASH] = hashWords(all, 0, H_HEADER_HASH);
  return bytes;
}
