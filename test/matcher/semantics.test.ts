import { describe, expect, it } from "vitest";
import { buildMatcher, HostMatcher, type MatcherEntry } from "@sanction/matcher";
import { referenceMatch } from "./reference.js";

const deep = Array.from({ length: 127 }, (_, i) => (i % 2 === 0 ? "a" : "b")).join("."); // 253 chars, 127 labels

const ENTRIES: MatcherEntry[] = [
  { pattern: "example.com", value: 1 },
  { pattern: "*.example.com", value: 2 },
  { pattern: "*.api.example.com", value: 3 },
  { pattern: "v1.api.example.com", value: 4 },
  { pattern: "login.example.com", value: 5 },
  { pattern: "*.co.uk", value: 6 },
  { pattern: "bbc.co.uk", value: 7 },
  { pattern: "*.xn--fiqs8s", value: 8 }, // 中国
  { pattern: "xn--bcher-kva.example", value: 9 }, // bücher.example
  { pattern: "localhost", value: 10 },
  { pattern: "*.com", value: 11 },
  { pattern: "*.internal", value: 0 },
  { pattern: "only.exact.net", value: 12 },
  { pattern: "*.wild.org", value: 0xffffffff },
  { pattern: deep, value: 13 },
  { pattern: `*.${deep.slice(4)}`, value: 14 },
  { pattern: "_dmarc.mail.example.com", value: 15 },
  { pattern: "a-b.c-d.io", value: 16 },
  { pattern: "*.a.example", value: 17 },
  { pattern: "*.aaa.example", value: 18 },
  { pattern: "a", value: 19 },
];

const matcher = HostMatcher.load(buildMatcher(ENTRIES));

/** host → [expected value, winning pattern]. */
const CASES: [string, number, string?][] = [
  // exact vs subtree, and the tie rule (host equals the name: the exact pattern wins)
  ["example.com", 1, "example.com"],
  ["www.example.com", 2, "*.example.com"],
  ["a.b.c.example.com", 2, "*.example.com"],
  ["login.example.com", 5, "login.example.com"],
  ["x.login.example.com", 2, "*.example.com"], // an exact pattern does not cover names below it
  // longest wins
  ["api.example.com", 3, "*.api.example.com"],
  ["eu.api.example.com", 3, "*.api.example.com"],
  ["v1.api.example.com", 4, "v1.api.example.com"],
  ["x.v1.api.example.com", 3, "*.api.example.com"],
  ["_dmarc.mail.example.com", 15, "_dmarc.mail.example.com"],
  ["mail.example.com", 2, "*.example.com"],
  ["bbc.co.uk", 7, "bbc.co.uk"],
  ["www.bbc.co.uk", 6, "*.co.uk"],
  ["co.uk", 6, "*.co.uk"],
  ["uk", -1],
  ["example.org", -1],
  ["com", 11, "*.com"],
  ["other.com", 11, "*.com"],
  ["deep.sub.other.com", 11, "*.com"],
  ["notexample.com", 11, "*.com"], // a suffix match is per label, never per character
  ["xexample.com", 11, "*.com"],
  ["example.co", -1],
  // IDN (punycode) names
  ["xn--fiqs8s", 8, "*.xn--fiqs8s"],
  ["shop.xn--fiqs8s", 8, "*.xn--fiqs8s"],
  ["xn--bcher-kva.example", 9, "xn--bcher-kva.example"],
  ["www.xn--bcher-kva.example", -1],
  ["bücher.example", -1], // not normalised: no match
  // single labels
  ["localhost", 10, "localhost"],
  ["x.localhost", -1],
  ["internal", 0, "*.internal"],
  ["db.internal", 0, "*.internal"],
  ["only.exact.net", 12, "only.exact.net"],
  ["exact.net", -1],
  ["a.only.exact.net", -1],
  ["wild.org", 0xffffffff, "*.wild.org"],
  ["a.wild.org", 0xffffffff, "*.wild.org"],
  ["a-b.c-d.io", 16, "a-b.c-d.io"],
  // deep names, up to 253 characters and 127 labels
  [deep, 13, deep],
  [deep.slice(4), 14, `*.${deep.slice(4)}`],
  [deep.slice(2), 14, `*.${deep.slice(4)}`],
  // malformed input never matches: empty, dots, empty labels, trailing dot, too long
  ["", -1],
  [".", -1],
  ["..", -1],
  ["...", -1],
  ["example.com.", -1],
  [".example.com", -1],
  ["www..example.com", -1],
  ["a..b.www.example.com", -1],
  [".a.www.example.com", -1],
  ["x".repeat(64) + ".example.com", -1], // label longer than 63
  ["x".repeat(63) + ".example.com", 2, "*.example.com"],
  ["x".repeat(64) + ".nothere.example.com", -1], // also in the part left of the longest match
  ["x".repeat(63) + ".nothere.example.com", 2, "*.example.com"],
  [("a".repeat(60) + ".").repeat(5) + "example.com", -1], // 316 characters
  ["a.".repeat(150) + "example.com", -1], // 311 characters
  ["x." + deep, -1], // 255 characters
  ["www.Example.com", 11, "*.com"], // hosts are compared as given: the caller lowercases
  ["WWW.example.com", 2, "*.example.com"],
  ["a b.example.com", 2, "*.example.com"],
  ["\u0000.com", 11, "*.com"],
  ["例.xn--fiqs8s", 8, "*.xn--fiqs8s"],
  ["\uD83D\uDE00", -1],
  // non-ASCII characters whose low byte is a pattern's character never match it
  ["www.\u0161.example", -1], // U+0161 has the low byte of "a"
  ["www.\u0161\u0161\u0161.example", -1],
  ["\u0161.example", -1],
  ["www.\u0161.com", 11, "*.com"],
];

describe("HostMatcher.match", () => {
  it.each(CASES)("%j → %d", (host, value, pattern) => {
    expect(matcher.match(host)).toBe(value);
    const found = matcher.matchWithPattern(host);
    if (pattern === undefined) expect(found).toBeUndefined();
    else expect(found).toEqual({ value, pattern, labels: (pattern.startsWith("*.") ? pattern.slice(2) : pattern).split(".").length });
  });

  it("the table agrees with the naive reference", () => {
    for (const [host, value] of CASES) expect({ host, value: referenceMatch(ENTRIES, host)?.value ?? -1 }).toEqual({ host, value });
  });

  it("reports its size and byte length", () => {
    expect(matcher.size).toBe(ENTRIES.length);
    expect(matcher.byteLength).toBe(buildMatcher(ENTRIES).byteLength);
  });

  it("an empty matcher matches nothing", () => {
    const empty = HostMatcher.load(buildMatcher([]));
    expect(empty.size).toBe(0);
    expect(empty.match("example.com")).toBe(-1);
    expect(empty.match("")).toBe(-1);
    expect(empty.matchWithPattern("a")).toBeUndefined();
  });

  it("a name can carry an exact and a subtree pattern with different payloads", () => {
    const m = HostMatcher.load(buildMatcher([{ pattern: "*.a.b", value: 1 }, { pattern: "a.b", value: 2 }]));
    expect([m.match("a.b"), m.match("x.a.b"), m.match("b")]).toEqual([2, 1, -1]);
  });
});

describe("buildMatcher rejects", () => {
  const bad: [string, MatcherEntry[], RegExp][] = [
    ["a duplicate pattern, naming it", [{ pattern: "*.example.com", value: 1 }, { pattern: "example.com", value: 2 }, { pattern: "*.example.com", value: 3 }], /duplicate pattern "\*\.example\.com"/],
    ["a duplicate exact pattern, even with the same value", [{ pattern: "a.com", value: 1 }, { pattern: "a.com", value: 1 }], /duplicate pattern "a\.com"/],
    ["an empty pattern", [{ pattern: "", value: 1 }], /invalid pattern "": empty name/],
    ["a bare wildcard", [{ pattern: "*", value: 1 }], /invalid pattern "\*"/],
    ["a wildcard without a name", [{ pattern: "*.", value: 1 }], /invalid pattern "\*\.": empty name/],
    ["a wildcard in the middle", [{ pattern: "a.*.com", value: 1 }], /invalid pattern "a\.\*\.com": `\*` is only allowed/],
    ["a double wildcard", [{ pattern: "*.*.com", value: 1 }], /invalid pattern/],
    ["an empty label", [{ pattern: "a..com", value: 1 }], /empty label/],
    ["a trailing dot", [{ pattern: "example.com.", value: 1 }], /empty label/],
    ["uppercase", [{ pattern: "Example.com", value: 1 }], /"Example" has a character outside/],
    ["unicode", [{ pattern: "bücher.example", value: 1 }], /character outside/],
    ["a label of 64 characters", [{ pattern: "x".repeat(64) + ".com", value: 1 }], /label longer than 63/],
    ["a name of 254 characters", [{ pattern: "ab.".repeat(84) + "ab", value: 1 }], /name longer than 253/],
    ["a negative value", [{ pattern: "a.com", value: -1 }], /value of "a\.com" must be an integer in 0\.\.4294967295/],
    ["a fractional value", [{ pattern: "a.com", value: 1.5 }], /must be an integer/],
    ["a value above uint32", [{ pattern: "a.com", value: 2 ** 32 }], /must be an integer/],
    ["NaN", [{ pattern: "a.com", value: NaN }], /must be an integer/],
  ];
  it.each(bad)("%s", (_what, entries, message) => {
    expect(() => buildMatcher(entries)).toThrow(message);
  });
});
