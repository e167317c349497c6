import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMatcher, fromBase64, HostMatcher, toBase64 } from "@sanction/matcher";
import { arbEntries, arbHost, referenceMatch, runs } from "./reference.js";

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
