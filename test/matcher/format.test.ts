import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMatcher, fromBase64, HostMatcher, MatcherFormatError, toBase64, type MatcherEntry } from "@sanction/matcher";
import { arbEntries, runs } from "./reference.js";

const HEADER_BYTES = 48;

function sample(n: number): MatcherEntry[] {
  const tlds = ["com", "net", "org", "co.uk", "io"];
  const out: MatcherEntry[] = [];
  for (let i = 0; i < n; i++) {
    const name = `app${i % 97}.vendor${i}.${tlds[i % tlds.length]}`;
    out.push({ pattern: i % 3 === 0 ? name : `*.${name}`, value: i * 7919 });
    if (i % 5 === 0) out.push({ pattern: `*.vendor${i}.${tlds[i % tlds.length]}`, value: i });
  }
  return out;
}

/** The format's checksum (FNV-1a over little-endian words, then a finalizer), to forge consistent headers. */
function hashWords(words: Uint32Array, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Recomputes both checksums, so that only the structural checks stand between `bytes` and a lookup. */
function reseal(bytes: Uint8Array): Uint8Array {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  words[9] = hashWords(words, 12, words.length);
  words[11] = hashWords(words, 0, 11);
  return bytes;
}

function header(bytes: Uint8Array) {
  const w = new Uint32Array(bytes.buffer, bytes.byteOffset, 12);
  return { nodes: w[5]!, tableCap: w[6]!, labelBytes: w[7]!, nodesAt: HEADER_BYTES, tableAt: HEADER_BYTES + w[5]! * 16, labelsAt: HEADER_BYTES + w[5]! * 16 + w[6]! * 4 };
}

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("buildMatcher is deterministic", () => {
  it("shuffled entries give identical bytes (property)", () => {
    fc.assert(
      fc.property(arbEntries(), fc.integer(), (entries, seed) => {
        expect(buildMatcher(shuffle(entries, seed))).toEqual(buildMatcher(entries));
      }),
      { numRuns: runs() },
    );
  });

  it("shuffled entries give identical bytes (2,000 patterns, 10 orders)", () => {
    const entries = sample(1500);
    const expected = toBase64(buildMatcher(entries));
    for (let seed = 1; seed <= 10; seed++) expect(toBase64(buildMatcher(shuffle(entries, seed)))).toBe(expected);
  });

  it("has a pinned layout for a small input", () => {
    const bytes = buildMatcher([{ pattern: "*.example.com", value: 7 }, { pattern: "example.com", value: 8 }]);
    // 48 header + 3 nodes * 16 + 4 table slots * 4 + "comexample" (10 bytes, padded to 12)
    expect(bytes.byteLength).toBe(48 + 48 + 16 + 12);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("SNCM");
    expect(new TextDecoder().decode(bytes.subarray(112, 122))).toBe("comexample");
    expect([...bytes.subarray(122)]).toEqual([0, 0]);
    // node 2 (example): parent 1 (com), label at 3 with length 7, both flags, exact 8, subtree 7
    expect([...new Uint32Array(bytes.buffer, 48 + 32, 4)]).toEqual([1, (3 << 8) | 128 | 64 | 7, 8, 7]);
  });
});

describe("HostMatcher.load", () => {
  const entries = sample(300);
  const bytes = buildMatcher(entries);

  it("round-trips: load(build(x)) answers like a fresh build, also through base64 and unaligned copies", () => {
    const direct = HostMatcher.load(bytes);
    const viaBase64 = HostMatcher.load(fromBase64(toBase64(bytes)));
    const unaligned = new Uint8Array(bytes.byteLength + 1).subarray(1);
    unaligned.set(bytes);
    const copy = HostMatcher.load(unaligned);
    expect(direct.size).toBe(entries.length);
    expect(direct.byteLength).toBe(bytes.byteLength);
    for (const { pattern, value } of entries) {
      const host = pattern.startsWith("*.") ? `www.${pattern.slice(2)}` : pattern;
      for (const m of [direct, viaBase64, copy]) expect(m.matchWithPattern(host)?.pattern).toBe(pattern);
      expect(direct.match(pattern.replace("*.", ""))).toBeGreaterThanOrEqual(0);
      if (!pattern.startsWith("*.")) expect(direct.match(pattern)).toBe(value);
    }
  });

  it("does not copy an aligned buffer (the matcher is views over it)", () => {
    const own = buildMatcher(entries);
    const m = HostMatcher.load(own);
    expect(m.match("vendor0.com")).toBe(0);
    // patch the payload word of the pattern the lookup lands on: the view sees it
    const h = header(own);
    const words = new Uint32Array(own.buffer);
    let patched = false;
    for (let id = 1; id < h.nodes && !patched; id++) {
      const base = (h.nodesAt >> 2) + id * 4;
      if ((words[base + 1]! & 128) !== 0 && words[base + 3] === 0) {
        words[base + 3] = 4242;
        patched = true;
      }
    }
    expect(m.match("vendor0.com")).toBe(4242);
  });

  it("rejects every truncation with a clear error", () => {
    for (let n = 0; n < bytes.byteLength; n += n < 64 ? 1 : 37) {
      expect(() => HostMatcher.load(bytes.slice(0, n))).toThrow(MatcherFormatError);
    }
    expect(() => HostMatcher.load(bytes.slice(0, 10))).toThrow(/truncated: 10 bytes/);
    expect(() => HostMatcher.load(bytes.slice(0, bytes.byteLength - 4))).toThrow(/truncated: header says \d+ bytes/);
  });

  it("rejects trailing bytes", () => {
    const longer = new Uint8Array(bytes.byteLength + 4);
    longer.set(bytes);
    expect(() => HostMatcher.load(longer)).toThrow(/length mismatch/);
  });

  it("rejects a wrong magic and an unknown version", () => {
    const wrong = bytes.slice();
    wrong[0] = "X".charCodeAt(0);
    expect(() => HostMatcher.load(wrong)).toThrow(/bad magic/);
    expect(() => HostMatcher.load(new TextEncoder().encode("{\"not\":\"a matcher at all, but long enough for a header\"}"))).toThrow(/bad magic/);
    const v2 = bytes.slice();
    v2[4] = 2;
    expect(() => HostMatcher.load(v2)).toThrow(/unsupported format version 2/);
  });

  it("rejects every single-bit flip in the header", () => {
    for (let i = 0; i < HEADER_BYTES; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const corrupt = bytes.slice();
        corrupt[i]! ^= 1 << bit;
        expect(() => HostMatcher.load(corrupt)).toThrow(MatcherFormatError);
      }
    }
  });

  it("rejects flipped bytes anywhere in the body", () => {
    for (let i = HEADER_BYTES; i < bytes.byteLength; i += 13) {
      const corrupt = bytes.slice();
      corrupt[i]! ^= 0x5a;
      expect(() => HostMatcher.load(corrupt)).toThrow(/corrupt body \(checksum mismatch\)/);
    }
  });

  it("rejects structural damage even when the checksums are forged", () => {
    const h = header(bytes);
    const damage: [string, (w: Uint32Array, b: Uint8Array) => void, RegExp][] = [
      ["a full table (lookups would never stop)", (w) => {
        for (let s = 0; s < h.tableCap; s++) if (w[(h.tableAt >> 2) + s] === 0) w[(h.tableAt >> 2) + s] = 1;
      }, /corrupt body: bad table slot/],
      ["a slot pointing past the nodes", (w) => {
        for (let s = 0; s < h.tableCap; s++) if (w[(h.tableAt >> 2) + s] === 0) { w[(h.tableAt >> 2) + s] = h.nodes; break; }
      }, /corrupt body: bad table slot/],
      ["a lost table entry", (w) => {
        for (let s = 0; s < h.tableCap; s++) if (w[(h.tableAt >> 2) + s] !== 0) { w[(h.tableAt >> 2) + s] = 0; break; }
      }, /corrupt body: table holds/],
      ["a parent cycle", (w) => { w[(h.nodesAt >> 2) + 4 * 2] = 5; }, /corrupt body: node 2 has parent 5/],
      ["a label out of bounds", (w) => { w[(h.nodesAt >> 2) + 4 * 3 + 1] = (h.labelBytes << 8) | 3; }, /label out of bounds/],
      ["an empty label", (w) => { w[(h.nodesAt >> 2) + 4 * 3 + 1] &= ~63; }, /label out of bounds/],
      ["a stray payload", (w) => { w[(h.nodesAt >> 2) + 4 * 1 + 2] = 9; }, /stray exact value/],
      ["a bad root", (w) => { w[(h.nodesAt >> 2) + 1] = 1; }, /bad root/],
      ["an entry count that disagrees", (w) => { w[4] = w[4]! - 1; }, /patterns, header says/],
    ];
    for (const [what, hurt, message] of damage) {
      const corrupt = bytes.slice();
      hurt(new Uint32Array(corrupt.buffer), corrupt);
      expect(() => HostMatcher.load(reseal(corrupt)), what).toThrow(message);
    }
  });

  it("rejects non-zero padding after the labels", () => {
    const small = buildMatcher([{ pattern: "*.example.com", value: 7 }]);
    small[small.byteLength - 1] = 1;
    expect(() => HostMatcher.load(reseal(small))).toThrow(/non-zero padding/);
  });

  it("random corruption never hangs or crashes: it throws, or the lookups still terminate", () => {
    const small = buildMatcher(sample(20));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(small.byteLength - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.boolean(), (edits, forge) => {
        const corrupt = small.slice();
        for (const [at, value] of edits) corrupt[at] = value;
        if (forge) reseal(corrupt);
        let m: HostMatcher;
        try {
          m = HostMatcher.load(corrupt);
        } catch (e) {
          expect(e).toBeInstanceOf(MatcherFormatError);
          expect((e as Error).message).toMatch(/^HostMatcher\.load: /);
          return;
        }
        for (const host of ["vendor0.com", "a.vendor5.com", "x.y.z", "com", "co.uk"]) {
          expect(Number.isInteger(m.match(host))).toBe(true);
          m.matchWithPattern(host);
        }
      }),
      { numRuns: runs() },
    );
  });

  it("rejects input that is not a Uint8Array", () => {
    expect(() => HostMatcher.load("SNCM" as unknown as Uint8Array)).toThrow(/expected a Uint8Array/);
  });
});

describe("base64", () => {
  it("round-trips any bytes and matches Buffer's encoding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const s = toBase64(bytes);
        expect(s).toBe(Buffer.from(bytes).toString("base64"));
        expect(fromBase64(s)).toEqual(bytes);
      }),
      { numRuns: runs() },
    );
  });

  it("returns a fresh, aligned Uint8Array", () => {
    const out = fromBase64(toBase64(buildMatcher(sample(3))));
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(out.byteLength);
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
  });

  it("rejects text that is not padded base64", () => {
    for (const bad of ["abc", "ab=c", "a===", "####", "YQ==YQ==", "YQ= =", "-_-_"]) expect(() => fromBase64(bad), bad).toThrow(/not standard padded base64/);
  });
});
