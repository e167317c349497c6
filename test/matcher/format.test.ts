import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMatcher, fromBase64, HostMatcher, MatcherFormatError, toBase64, type MatcherEntry } from "@sanction/matcher";
import { arbEntries, runs } from "./reference.js";

const HEADER_BYTES = 64;

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

/** The format's checksum (FNV-1a over little-endian words, then murmur3's finalizer), to forge consistent headers. */
function hashWords(words: Uint32Array, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Recomputes both checksums, so that only the structural checks stand between `bytes` and a lookup. */
function reseal(bytes: Uint8Array): Uint8Array {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  words[13] = hashWords(words, 16, words.length);
  words[15] = hashWords(words, 0, 15);
  return bytes;
}

/** The header fields and the two sections, as views into `bytes`. */
function sections(bytes: Uint8Array) {
  const w = new Uint32Array(bytes.buffer, bytes.byteOffset, 16);
  const nodes = w[5]!, tableCap = w[6]!, recordWords = w[7]!, offsetBits = w[8]!;
  const table = new Int32Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, tableCap);
  const records = new Int32Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES + tableCap * 4, recordWords);
  return { header: w, nodes, tableCap, recordWords, offsetBits, table, records };
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
    // 64 header + 4 table slots * 4 + 11 record words * 4
    expect(bytes.byteLength).toBe(64 + 16 + 44);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("SNCM");
    const { header, nodes, tableCap, recordWords, offsetBits, table, records } = sections(bytes);
    expect([header[1], header[2], header[3], header[4], nodes, tableCap, recordWords, offsetBits]).toEqual([1, 64, 124, 2, 3, 4, 11, 4]);
    const pack = (s: string) => [...s].reduce((w, c) => (w << 8) | c.charCodeAt(0), 0);
    expect([...records]).toEqual([
      0,
      // "com": parent root (0) << 8 | length 3; "moc" packed right to left
      (0 << 8) | 3, pack("moc"),
      // "example": parent "com" (offset 1) << 8 | both flags | length 7; "elpm" "axe"; exact 8, subtree 7
      (1 << 8) | 128 | 64 | 7, pack("elpm"), pack("axe"), 8, 7,
      // padding
      0, 0, 0,
    ]);
    expect([...table].filter((e) => e !== 0).map((e) => e & 15).sort()).toEqual([1, 3]);
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
    const pooled = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(bytes)]).subarray(3); // a Node Buffer at an odd offset
    expect(pooled.byteOffset % 4).not.toBe(0);
    expect(HostMatcher.load(pooled).match("www.vendor7.org")).toBe(HostMatcher.load(bytes).match("www.vendor7.org"));
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
    const own = buildMatcher([{ pattern: "*.a.com", value: 5 }]);
    const m = HostMatcher.load(own);
    expect(m.match("x.a.com")).toBe(5);
    const { records } = sections(own);
    records[records.length - 4] = 4242; // the last record's last word: the subtree value of a.com
    expect(m.match("x.a.com")).toBe(4242);
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
    expect(() => HostMatcher.load(new TextEncoder().encode("{\"not\":\"a matcher at all, but a text long enough to have a header's size\"}"))).toThrow(/bad magic/);
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
    const occupied = (t: Int32Array) => t.findIndex((e) => e !== 0);
    const empty = (t: Int32Array) => t.findIndex((e) => e === 0);
    const damage: [string, (x: ReturnType<typeof sections>) => void, RegExp][] = [
      ["a full table (lookups would never stop)", ({ table }) => {
        const e = table[occupied(table)]!;
        for (let s = 0; s < table.length; s++) if (table[s] === 0) table[s] = e;
      }, /corrupt body: table slot \d+ points to a record twice/],
      ["a slot pointing into the middle of a record", ({ table }) => { table[empty(table)] = 2; }, /corrupt body: table slot \d+ does not point to a record/],
      ["a slot pointing past the records", ({ table, offsetBits }) => { table[empty(table)] = (1 << offsetBits) - 1; }, /does not point to a record/],
      ["a lost table entry", ({ table }) => { table[occupied(table)] = 0; }, /corrupt body: table holds/],
      ["a forward parent (a cycle)", ({ records }) => { records[1] = (5 << 8) | 3; }, /corrupt body: record 1 has a bad parent/],
      ["a parent past the records", ({ records }) => { records[1] = (0xffffff << 8) | 3; }, /bad parent/],
      ["an empty label", ({ records }) => { records[1] = 0; }, /record 1 has an empty label/],
      ["a label length that misaligns the records", ({ records }) => { records[1] = 63; }, /corrupt body: /],
      ["a wrong pattern count", ({ header }) => { header[4] = header[4]! - 1; }, /patterns, header says/],
      ["record word 0", ({ records }) => { records[0] = 1; }, /record word 0/],
      ["non-zero padding", ({ records }) => { records[records.length - 1] = 1; }, /non-zero padding/],
      ["wrong offset bits", ({ header }) => { header[8] = header[8]! + 1; }, /offset bits/],
      ["a wrong table capacity", ({ header }) => { header[6] = header[6]! * 2; }, /table capacity|section lengths/],
    ];
    for (const [what, hurt, message] of damage) {
      const corrupt = bytes.slice();
      hurt(sections(corrupt));
      expect(() => HostMatcher.load(reseal(corrupt)), what).toThrow(message);
    }
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
