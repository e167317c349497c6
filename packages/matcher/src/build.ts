import {
  FLAG_EXACT,
  FLAG_SUBTREE,
  H_BODY_HASH,
  H_ENTRIES,
  H_HEADER_BYTES,
  H_HEADER_HASH,
  H_LABEL_BYTES,
  H_MAGIC,
  H_NODES,
  H_TABLE_CAP,
  H_TOTAL_BYTES,
  H_VERSION,
  HEADER_BYTES,
  HEADER_WORDS,
  LABEL_OFFSET_SHIFT,
  assertLittleEndian,
  MAGIC,
  MAX_LABEL_LENGTH,
  MAX_LABEL_POOL,
  MAX_NAME_LENGTH,
  MAX_NODES,
  N_EXACT,
  N_LABEL,
  N_PARENT,
  N_SUBTREE,
  NODE_WORDS,
  VERSION,
  hashWords,
  labelHash,
  layoutBytes,
  slotHash,
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
  id: number;
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
  const root: BuildNode = { label: "", parent: undefined, children: new Map(), exact: -1, subtree: -1, id: 0 };
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
        child = { label, parent: node, children: new Map(), exact: -1, subtree: -1, id: 0 };
        node.children.set(label, child);
      }
      node = child;
    }
    if ((subtree ? node.subtree : node.exact) !== -1) throw new Error(`buildMatcher: duplicate pattern ${JSON.stringify(pattern)}`);
    if (subtree) node.subtree = value;
    else node.exact = value;
  }

  // Breadth-first ids, children in label order: deterministic, parents before children.
  const order: BuildNode[] = [root];
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    const keys = [...node.children.keys()].sort();
    for (const key of keys) {
      const child = node.children.get(key)!;
      child.id = order.length;
      order.push(child);
    }
  }
  const nodeCount = order.length;
  if (nodeCount > MAX_NODES) throw new Error(`buildMatcher: too many trie nodes (${nodeCount}, at most ${MAX_NODES})`);

  // Distinct labels in order of first use (breadth first), so the hot top labels sit together.
  const labelOffsets = new Map<string, number>();
  let labelBytes = 0;
  for (let i = 1; i < nodeCount; i++) {
    const label = order[i]!.label;
    if (!labelOffsets.has(label)) {
      labelOffsets.set(label, labelBytes);
      labelBytes += label.length;
    }
  }
  if (labelBytes > MAX_LABEL_POOL) throw new Error(`buildMatcher: label bytes exceed ${MAX_LABEL_POOL}`);

  const tableCap = tableCapacity(nodeCount);
  const total = layoutBytes(nodeCount, tableCap, labelBytes);
  const bytes = new Uint8Array(total);
  const words = new Uint32Array(bytes.buffer);
  const nodesAt = HEADER_WORDS;
  const tableAt = nodesAt + nodeCount * NODE_WORDS;
  const labelsAt = (tableAt + tableCap) * 4;

  for (const [label, offset] of labelOffsets) {
    for (let k = 0; k < label.length; k++) bytes[labelsAt + offset + k] = label.charCodeAt(k);
  }

  const mask = tableCap - 1;
  let entryCount = 0;
  for (let id = 1; id < nodeCount; id++) {
    const node = order[id]!;
    const base = nodesAt + id * NODE_WORDS;
    const parent = node.parent!.id;
    let labelWord = (labelOffsets.get(node.label)! << LABEL_OFFSET_SHIFT) | node.label.length;
    if (node.exact !== -1) {
      labelWord |= FLAG_EXACT;
      words[base + N_EXACT] = node.exact;
      entryCount++;
    }
    if (node.subtree !== -1) {
      labelWord |= FLAG_SUBTREE;
      words[base + N_SUBTREE] = node.subtree;
      entryCount++;
    }
    words[base + N_PARENT] = parent;
    words[base + N_LABEL] = labelWord;
    let s = slotHash(labelHash(node.label, 0, node.label.length), parent) & mask;
    while (words[tableAt + s] !== 0) s = (s + 1) & mask;
    words[tableAt + s] = id;
  }

  words[H_MAGIC] = MAGIC;
  words[H_VERSION] = VERSION;
  words[H_HEADER_BYTES] = HEADER_BYTES;
  words[H_TOTAL_BYTES] = total;
  words[H_ENTRIES] = entryCount;
  words[H_NODES] = nodeCount;
  words[H_TABLE_CAP] = tableCap;
  words[H_LABEL_BYTES] = labelBytes;
  words[H_BODY_HASH] = hashWords(words, HEADER_WORDS, words.length);
  words[H_HEADER_HASH] = hashWords(words, 0, H_HEADER_HASH);
  return bytes;
}
