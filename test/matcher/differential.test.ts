import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMatcher, fromBase64, HostMatcher, toBase64 } from "@sanction/matcher";
import { arbEntries, arbHost, referenceMatch, runs } from "./reference.js";

/** murmur3-finalized FNV-1a over words: the format's checksum. */
function checksum(words: Uint32Array, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The same matcher with only `bits` fingerprint bits per table slot (checksums recomputed), so
 * that fingerprints collide all the time and lookups take the verified path.
 */
function withFingerprintBits(bytes: Uint8Array, bits: number): Uint8Array {
  const out = bytes.slice();
  const words = new Uint32Array(out.buffer);
  const cap = words[6]!;
  const offsetMask = 2 ** words[8]! - 1;
  const keep = bits === 0 ? 0 : (-1 << (32 - bits)) >>> 0;
  for (let i = 16; i < 16 + cap; i++) if (words[i] !== 0) words[i] = (words[i]! & (offsetMask | keep)) >>> 0;
  words[9] = bits;
  words[13] = checksum(words, 16, words.length);
  words[15] = checksum(words, 0, 15);
  return out;
}

describe("HostMatcher agrees with the naive reference", () => {
  it("on random pattern sets and hosts (match and matchWithPattern)", () => {
    fc.assert(
      fc.property(
        arbEntries().chain((entries) => fc.tuple(fc.constant(entries), fc.array(arbHost(entries), { minLength: 1, maxLength: 30 }))),
        ([entries, hosts]) => {
          const matcher = HostMatcher.load(buildMatcher(entries));
          expect(matcher.size).toBe(entries.length);
          for (const host of hosts) {
            const expected = referenceMatch(entries, host);
            expect({ host, value: matcher.match(host) }).toEqual({ host, value: expected?.value ?? -1 });
            expect({ host, found: matcher.matchWithPattern(host) }).toEqual({ host, found: expected });
          }
        },
      ),
      { numRuns: runs() },
    );
  });

  it("when fingerprints collide (0–3 fingerprint bits: the verified path)", () => {
    fc.assert(
      fc.property(
        arbEntries().chain((entries) => fc.tuple(fc.constant(entries), fc.array(arbHost(entries), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 3 }))),
        ([entries, hosts, bits]) => {
          const matcher = HostMatcher.load(withFingerprintBits(buildMatcher(entries), bits));
          for (const host of hosts) {
            const expected = referenceMatch(entries, host);
            expect({ host, found: matcher.matchWithPattern(host) }).toEqual({ host, found: expected });
          }
        },
      ),
      { numRuns: runs() },
    );
  });

  it("when fingerprints collide, a sibling label that differs only in a later packed word never matches", () => {
    // labels are packed 4 characters a word from the right, so a different first character
    // changes only the last word: word 0 ("xx"), 1, 2, 3 or 4
    for (const base of ["xx", "east-end", "aaaa-mid-end", "aaaa000011112222", "aaaa0000111122223333"]) {
      const matcher = HostMatcher.load(withFingerprintBits(buildMatcher([{ pattern: `*.${base}.com`, value: 1 }]), 0));
      for (let k = 0; k < 26; k++) {
        const variant = String.fromCharCode(97 + k) + base.slice(1);
        const host = `x.${variant}.com`;
        expect({ host, value: matcher.match(host) }).toEqual({ host, value: variant === base ? 1 : -1 });
      }
    }
  });

  it("after a base64 round trip, with every pattern's own name and its subdomains", () => {
    fc.assert(
      fc.property(arbEntries(60), (entries) => {
        const matcher = HostMatcher.load(fromBase64(toBase64(buildMatcher(entries))));
        for (const { pattern } of entries) {
          const name = pattern.startsWith("*.") ? pattern.slice(2) : pattern;
          for (const host of [name, `x.${name}`, `www.a.${name}`]) expect({ host, value: matcher.match(host) }).toEqual({ host, value: referenceMatch(entries, host)?.value ?? -1 });
        }
      }),
      { numRuns: runs() },
    );
  });
});
