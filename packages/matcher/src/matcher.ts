import {
  FLAG_EXACT,
  FLAG_SUBTREE,
  FNV_OFFSET,
  FNV_PRIME,
  GOLDEN,
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
  LABEL_LEN_MASK,
  LABEL_OFFSET_SHIFT,
  MAGIC,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_NODES,
  N_EXACT,
  N_LABEL,
  N_PARENT,
  N_SUBTREE,
  NODE_WORDS,
  VERSION,
  assertLittleEndian,
  hashWords,
  layoutBytes,
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

/** True when `host[0, end)` consists of labels of 1..63 characters (end is 0 or the index of a dot). */
function validPrefix(host: string, end: number): boolean {
  let len = 0;
  for (let k = end - 1; k >= 0; k--) {
    if (host.charCodeAt(k) === 46) {
      if (len === 0 || len > MAX_LABEL_LENGTH) return false;
      len = 0;
    } else len++;
  }
  return end < 0 || (len > 0 && len <= MAX_LABEL_LENGTH);
}

/**
 * Longest-domain-match lookups over a buffer made by `buildMatcher`. `load` validates the buffer
 * and keeps typed-array views over it; `match` walks the host's labels from the right, hashing
 * each label's characters in place (no split, no substring, no allocation).
 */
export class HostMatcher {
  /** Number of patterns. */
  readonly size: number;
  /** Size of the serialized buffer. */
  readonly byteLength: number;
  /** Node records, `NODE_WORDS` words each. */
  private readonly nodes: Uint32Array;
  private readonly table: Uint32Array;
  private readonly mask: number;
  private readonly labels: Uint8Array;

  private constructor(size: number, byteLength: number, nodes: Uint32Array, table: Uint32Array, labels: Uint8Array) {
    this.size = size;
    this.byteLength = byteLength;
    this.nodes = nodes;
    this.table = table;
    this.mask = table.length - 1;
    this.labels = labels;
  }

  /**
   * Views over `bytes` (copied once only when its offset is not 4-byte aligned). Validates the
   * header (magic, version, lengths, checksum), the body checksum and the structure, and throws
   * a `MatcherFormatError` on corrupt input, so that lookups on a loaded matcher always terminate.
   */
  static load(bytes: Uint8Array): HostMatcher {
    assertLittleEndian();
    if (!(bytes instanceof Uint8Array)) throw new MatcherFormatError("expected a Uint8Array");
    const length = bytes.byteLength;
    if (length < HEADER_BYTES) throw new MatcherFormatError(`truncated: ${length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
    if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
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
    const labelBytes = header[H_LABEL_BYTES]!;
    if (header[H_HEADER_BYTES] !== HEADER_BYTES || header[8] !== 0 || header[10] !== 0) throw new MatcherFormatError("corrupt header (unexpected field values)");
    if (nodeCount < 1 || nodeCount > MAX_NODES) throw new MatcherFormatError(`corrupt header: node count ${nodeCount}`);
    if (tableCap < nodeCount || (tableCap & (tableCap - 1)) !== 0) throw new MatcherFormatError(`corrupt header: table capacity ${tableCap}`);
    if (entries > 2 * (nodeCount - 1)) throw new MatcherFormatError(`corrupt header: ${entries} entries for ${nodeCount} nodes`);
    if (layoutBytes(nodeCount, tableCap, labelBytes) !== total) throw new MatcherFormatError("corrupt header: section lengths do not add up to the buffer length");

    const all = new Uint32Array(bytes.buffer, bytes.byteOffset, total / 4);
    if (header[H_BODY_HASH] !== hashWords(all, HEADER_WORDS, all.length)) throw new MatcherFormatError("corrupt body (checksum mismatch)");

    const nodesAt = HEADER_BYTES;
    const tableAt = nodesAt + nodeCount * NODE_WORDS * 4;
    const labelsAt = tableAt + tableCap * 4;
    const nodes = new Uint32Array(bytes.buffer, bytes.byteOffset + nodesAt, nodeCount * NODE_WORDS);
    const table = new Uint32Array(bytes.buffer, bytes.byteOffset + tableAt, tableCap);
    const labels = new Uint8Array(bytes.buffer, bytes.byteOffset + labelsAt, labelBytes);
    validateStructure(nodes, nodeCount, table, labels, bytes.subarray(labelsAt + labelBytes), entries);
    return new HostMatcher(entries, length, nodes, table, labels);
  }

  /** The payload of the longest pattern matching `host` (an exact pattern wins a tie), or -1. */
  match(host: string): number {
    const at = this.locate(host);
    return at < 0 ? -1 : this.nodes[at]!;
  }

  /** The winning pattern with its payload and label count, or undefined when nothing matches. */
  matchWithPattern(host: string): PatternMatch | undefined {
    const at = this.locate(host);
    if (at < 0) return undefined;
    const nodes = this.nodes;
    const labels = this.labels;
    const parts: string[] = [];
    for (let node = Math.floor(at / NODE_WORDS); node !== 0; node = nodes[node * NODE_WORDS + N_PARENT]!) {
      const word = nodes[node * NODE_WORDS + N_LABEL]!;
      const offset = word >>> LABEL_OFFSET_SHIFT;
      parts.push(String.fromCharCode(...labels.subarray(offset, offset + (word & LABEL_LEN_MASK))));
    }
    const subtree = at % NODE_WORDS === N_SUBTREE;
    return { value: nodes[at]!, pattern: (subtree ? "*." : "") + parts.join("."), labels: parts.length };
  }

  /** Index into `nodes` of the winning payload word, or -1. */
  private locate(host: string): number {
    const n = host.length;
    if (n === 0 || n > MAX_NAME_LENGTH) return -1;
    const nodes = this.nodes;
    const table = this.table;
    const labels = this.labels;
    const mask = this.mask;
    let node = 0;
    let best = -1;
    let end = n;
    for (;;) {
      // One label, right to left: hash it and find its start.
      let h = FNV_OFFSET;
      let j = end - 1;
      for (; j >= 0; j--) {
        const c = host.charCodeAt(j);
        if (c === 46) break;
        h = Math.imul(h ^ c, FNV_PRIME);
      }
      const len = end - j - 1;
      if (len === 0 || len > MAX_LABEL_LENGTH) return -1;

      // slotHash(h, node), inlined.
      let x = h ^ Math.imul(node + 1, GOLDEN);
      x ^= x >>> 16;
      x = Math.imul(x, 0x85ebca6b);
      x ^= x >>> 13;
      x = Math.imul(x, 0xc2b2ae35);
      x ^= x >>> 16;
      let s = x & mask;
      let child = 0;
      for (;;) {
        const candidate = table[s]!;
        if (candidate === 0) break;
        const base = candidate * NODE_WORDS;
        if (nodes[base + N_PARENT] === node) {
          const word = nodes[base + N_LABEL]!;
          if ((word & LABEL_LEN_MASK) === len) {
            let offset = word >>> LABEL_OFFSET_SHIFT;
            let k = j + 1;
            while (k < end && labels[offset] === host.charCodeAt(k)) {
              k++;
              offset++;
            }
            if (k === end) {
              child = candidate;
              break;
            }
          }
        }
        s = (s + 1) & mask;
      }

      if (child === 0) return validPrefix(host, j) ? best : -1;
      const base = child * NODE_WORDS;
      const flags = nodes[base + N_LABEL]!;
      if (j < 0) {
        if ((flags & FLAG_EXACT) !== 0) return base + N_EXACT;
        if ((flags & FLAG_SUBTREE) !== 0) return base + N_SUBTREE;
        return best;
      }
      if ((flags & FLAG_SUBTREE) !== 0) best = base + N_SUBTREE;
      node = child;
      end = j;
    }
  }
}

/** Structural checks that make every lookup on the loaded matcher terminate and stay in bounds. */
function validateStructure(nodes: Uint32Array, nodeCount: number, table: Uint32Array, labels: Uint8Array, padding: Uint8Array, entries: number): void {
  for (let i = 0; i < NODE_WORDS; i++) if (nodes[i] !== 0) throw new MatcherFormatError("corrupt body: bad root node");
  let flagged = 0;
  for (let id = 1; id < nodeCount; id++) {
    const base = id * NODE_WORDS;
    const word = nodes[base + N_LABEL]!;
    const len = word & LABEL_LEN_MASK;
    const offset = word >>> LABEL_OFFSET_SHIFT;
    if (nodes[base + N_PARENT]! >= id) throw new MatcherFormatError(`corrupt body: node ${id} has parent ${nodes[base + N_PARENT]}`);
    if (len === 0 || offset + len > labels.length) throw new MatcherFormatError(`corrupt body: node ${id} has a label out of bounds`);
    if ((word & FLAG_EXACT) !== 0) flagged++;
    else if (nodes[base + N_EXACT] !== 0) throw new MatcherFormatError(`corrupt body: node ${id} has a stray exact value`);
    if ((word & FLAG_SUBTREE) !== 0) flagged++;
    else if (nodes[base + N_SUBTREE] !== 0) throw new MatcherFormatError(`corrupt body: node ${id} has a stray subtree value`);
  }
  if (flagged !== entries) throw new MatcherFormatError(`corrupt body: ${flagged} patterns, header says ${entries}`);
  const seen = new Uint8Array(nodeCount);
  let used = 0;
  for (let s = 0; s < table.length; s++) {
    const id = table[s]!;
    if (id === 0) continue;
    if (id >= nodeCount || seen[id] !== 0) throw new MatcherFormatError(`corrupt body: bad table slot ${s}`);
    seen[id] = 1;
    used++;
  }
  if (used !== nodeCount - 1) throw new MatcherFormatError(`corrupt body: table holds ${used} of ${nodeCount - 1} nodes`);
  for (let i = 0; i < padding.length; i++) if (padding[i] !== 0) throw new MatcherFormatError("corrupt body: non-zero padding");
}
