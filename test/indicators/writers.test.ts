import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cmpIndicator, csvCell, domainProblem, TARGETS, type Indicator, type IndicatorSet } from "@sanction/indicators";
import { fcRuns } from "../support/arbitraries.js";

/*
 * The large targets write their JSON and CSV text directly instead of serialising objects
 * (30,000 indicators in well under a second). These properties hold the fast writers to what
 * the serialisers would write, byte for byte, over arbitrary indicators and free text.
 */

const numRuns = fcRuns(100);

/** Free text with quotes, backslashes, commas, non-ASCII, lone surrogates and, optionally, control characters. */
const arbText = (controls: boolean) =>
  fc.string({ unit: fc.oneof(fc.constantFrom('"', "\\", ",", "'", "=", "-", " ", "é", "\u2028", "\ud83d", "\ud83d\ude00", ...(controls ? ["\u0000", "\n", "\r", "\t", "\u001f"] : [])), fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c))), maxLength: 12 });

const arbGroups = fc.uniqueArray(fc.constantFrom("Sales", "Marketing (EU)", "G_a", "ops.team"), { maxLength: 3 });

const arbIndicator = (controls: boolean): fc.Arbitrary<Indicator> =>
  fc
    .record({
      kind: fc.constantFrom("domain", "url", "ip") as fc.Arbitrary<Indicator["kind"]>,
      n: fc.nat(40),
      action: fc.constantFrom("block", "warn", "audit", "allow") as fc.Arbitrary<Indicator["action"]>,
      severity: fc.constantFrom("informational", "low", "medium", "high") as fc.Arbitrary<Indicator["severity"]>,
      app: fc.option(arbText(controls), { nil: undefined }),
      rule: arbText(controls),
      note: fc.option(arbText(controls), { nil: undefined }),
      until: fc.option(fc.constantFrom("2026-01-31", "2027-06-01"), { nil: undefined }),
      redirect: fc.option(fc.constantFrom("https://i.example.com/apps", "http://w.example.org/p?q=1#x"), { nil: undefined }),
      bypassSeconds: fc.option(fc.constantFrom(3600, 5400, 86400), { nil: undefined }),
      include: fc.option(arbGroups, { nil: undefined }),
      exclude: arbGroups,
    })
    .map((r) => ({
      kind: r.kind,
      value: r.kind === "domain" ? `h${r.n}.example.com` : r.kind === "url" ? `https://h${r.n}.example.com/p/${r.n}?a=b` : r.n % 2 ? `198.51.100.${r.n}` : `2001:db8::${r.n.toString(16)}`,
      action: r.action,
      rule: r.rule,
      source: `p.sanction:${r.n + 1}:1`,
      severity: r.severity,
      scope: { include: r.include, exclude: r.exclude },
      ...(r.app !== undefined ? { app: r.app } : {}),
      ...(r.note !== undefined ? { note: r.note } : {}),
      ...(r.until !== undefined ? { until: r.until } : {}),
      ...(r.redirect !== undefined ? { redirect: r.redirect } : {}),
      ...(r.bypassSeconds !== undefined ? { bypassSeconds: r.bypassSeconds } : {}),
    }));

const arbSet = (controls: boolean): fc.Arbitrary<IndicatorSet> => fc.array(arbIndicator(controls), { maxLength: 30 }).map((xs) => ({ indicators: xs.sort(cmpIndicator), notes: [] }));

describe("the fast writers write what the serialisers would", () => {
  it("mde-json batches are JSON.stringify(…, null, 2) of their own content", () => {
    fc.assert(
      fc.property(arbSet(false), (set) => {
        const out = TARGETS["mde-json"]!.render(set, {});
        for (const f of out.files) expect(f.content).toBe(JSON.stringify(JSON.parse(f.content), null, 2) + "\n");
        // Every non-range indicator the grouped view keeps is written once.
        expect(out.files.reduce((n, f) => n + (JSON.parse(f.content) as { Indicators: unknown[] }).Indicators.length, 0)).toBe(out.count);
      }),
      { numRuns },
    );
  });

  it("every STIX object line is the compact JSON of that object, in bundle order", () => {
    fc.assert(
      fc.property(arbSet(true), (set) => {
        const out = TARGETS["stix"]!.render(set, { issued: "2026-11-01" });
        const text = out.files[0]!.content;
        const bundle = JSON.parse(text) as { id: string; objects: { id: string }[] };
        const head = `{"type":"bundle","id":${JSON.stringify(bundle.id)},"objects":[`;
        const body = bundle.objects.length ? "\n" + bundle.objects.map((o) => JSON.stringify(o)).join(",\n") + "\n" : "";
        expect(text).toBe(`${head}${body}]}\n`);
        expect(bundle.objects.map((o) => o.id)).toEqual(bundle.objects.map((o) => o.id).sort());
      }),
      { numRuns },
    );
  });

  it("CSV cells: the quick path leaves alone exactly the cells that need no quoting or apostrophe", () => {
    const reference = (v: string) => {
      const w = /^[=+\-@\t\r]/.test(v) ? "'" + v : v;
      return /[",\r\n]/.test(w) || w !== w.trim() ? `"${w.replace(/"/g, '""')}"` : w;
    };
    fc.assert(
      fc.property(arbText(true), (s) => {
        expect(csvCell(s)).toBe(reference(s));
      }),
      { numRuns: numRuns * 5 },
    );
  });

  it("domain names: the one-pass check accepts exactly what the label rules accept", () => {
    const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;
    const reference = (n: string) => n.length > 0 && n.length <= 253 && n === n.toLowerCase() && n.split(".").every((l) => LABEL.test(l));
    const arbName = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "z", "0", "9", "-", "_", ".", "A", " ", "\n", "é", "*"), maxLength: 20 }),
      fc.array(fc.string({ unit: fc.constantFrom("a", "-", "_", "1"), minLength: 0, maxLength: 70 }), { minLength: 1, maxLength: 5 }).map((ls) => ls.join(".")),
    );
    fc.assert(
      fc.property(arbName, (n) => {
        expect(domainProblem(n) === undefined).toBe(reference(n));
      }),
      { numRuns: numRuns * 5 },
    );
    expect(domainProblem("a".repeat(63) + ".com")).toBeUndefined();
    expect(domainProblem("a".repeat(64) + ".com")).toBeDefined();
    expect(domainProblem(`${"a.".repeat(126)}ab`)).toBeDefined(); // 254 characters
  });
});
