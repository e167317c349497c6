import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StringIds } from "@sanction/engine";
import { ipv4Value } from "../../packages/engine/src/intern.js";
import { fcRuns } from "../support/arbitraries.js";

/*
 * Interning: one id per distinct string, whichever table holds it. Canonical IPv4 addresses
 * are looked up by value, everything else by string; the two must never give one id to two
 * strings, nor two ids to one.
 */

/** The canonical-dotted-quad rule written plainly: four decimal octets 0–255, no leading zeros. */
function ipv4Reference(s: string): number {
  const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(s);
  if (!m) return -1;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return -1;
  return ((o[0]! * 256 + o[1]!) * 256 + o[2]!) * 256 + o[3]!;
}

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom("00", "01", "007", "256", "999", "1000", "", "a", " 1", "-1", "+1", "1e2"));
const ipLike = fc.tuple(octet, octet, octet, octet, fc.constantFrom("", ".", ".0", ":80", "%eth0")).map(([a, b, c, d, tail]) => `${a}.${b}.${c}.${d}${tail}`);
const text = fc.oneof(ipLike, fc.string({ maxLength: 16 }), fc.constantFrom("user@contoso.com", "::1", "2001:db8::1", "host.example", "10.0.0.5", "255.255.255.255", "0.0.0.0"));

describe("string ids", () => {
  it("read a canonical IPv4 address's value as the plain rule does, and nothing else", () => {
    fc.assert(
      fc.property(fc.oneof(ipLike, text), (s) => {
        expect(ipv4Value(s)).toBe(ipv4Reference(s));
      }),
      { numRuns: fcRuns(2000) },
    );
    expect(ipv4Value("255.255.255.255")).toBe(2 ** 32 - 1);
    expect(ipv4Value("10.0.0.5")).toBe(10 * 2 ** 24 + 5);
    expect(ipv4Value("10.0.0.05")).toBe(-1);
  });

  it("give one id per distinct string, addresses and names alike, across table growth", () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 300 }), fc.array(fc.nat(), { maxLength: 300 }), (strings, picks) => {
        const ids = new StringIds();
        const seen = new Map<string, number>();
        const all = [...strings, ...picks.map((p) => strings[p % Math.max(1, strings.length)] ?? "x")];
        for (const s of all) {
          const id = ids.id(s);
          if (seen.has(s)) expect(id).toBe(seen.get(s));
          else {
            expect(id).toBe(seen.size); // new ids are dense
            seen.set(s, id);
          }
          expect(ids.strings[id]).toBe(s);
        }
        expect(ids.size).toBe(seen.size);
      }),
      { numRuns: fcRuns(300) },
    );
  });

  it("keep 100,000 addresses apart (the address table grows many times)", () => {
    const ids = new StringIds();
    for (let i = 0; i < 100_000; i++) expect(ids.id(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)).toBe(i);
    for (let i = 0; i < 100_000; i += 997) expect(ids.id(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)).toBe(i);
    expect(ids.id("10.0.0.1 ")).toBe(100_000); // not canonical: a string of its own
  });
});
