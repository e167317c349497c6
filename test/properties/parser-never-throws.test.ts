import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, KEYWORD_WORDS, MAX_NESTING } from "@sanction/syntax";
import { checkFiles } from "@sanction/semantics";
import { builtinCatalog } from "@sanction/catalog";

/** CI sets FC_RUNS=10000; locally the default keeps the suite quick. */
const RUNS = Number(process.env["FC_RUNS"] ?? 1000);

const VOCABULARY = [
  ...KEYWORD_WORDS,
  "{", "}", "(", ")", "[", "]", ",", ":", "..", "==", "!=", "<", "<=", ">", ">=", "=", "#", "\n",
  '"Dropbox"', '"x', '"a\\qb"', '""', "50MB", "1.5GB", "24h", "7d", "2027-01-01", "2027-02-30", "10.0.0.0/8", "1.2.3.4",
  "0", "2", "5.5", "app.category", "app.score", "security.mfa", "*.example.com", "example.com", "cloud_storage",
  "users", "traffic", "upload", "day", "marketing", "new_popular_app", "high", "§", "\u0000", "\uFFFD", "é",
];

const catalog = builtinCatalog();

function assertWellFormed(text: string): void {
  const r = parse(text, "f.sanction");
  for (const d of r.diagnostics) {
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.message.length).toBeGreaterThan(0);
  }
  const checked = checkFiles([r.ast], catalog);
  for (const d of checked.diagnostics) {
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
}

describe("the parser and checker never throw", () => {
  it("on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => assertWellFormed(text)),
      { numRuns: RUNS },
    );
  });

  it("on random sequences of the language's tokens", () => {
    const token = fc.constantFrom(...VOCABULARY);
    const sep = fc.constantFrom(" ", "\n", "", "  ", "\t");
    const program = fc.array(fc.tuple(token, sep), { maxLength: 120 }).map((parts) => parts.map(([t, s]) => t + s).join(""));
    fc.assert(fc.property(program, (text) => assertWellFormed(text)), { numRuns: RUNS });
  });

  it("on valid programs with one token removed or duplicated", () => {
    const base = `policy "p" uses template new_popular_app {\n  severity high\n  when app.category == cloud_storage and app.score in 0..2\n  users > 3 per day\n  scope all except marketing\n  then unsanction, alert(limit: 5), monitor(redirect: "https://x.example.com", bypass: 24h)\n}\nblock domain "x.com" until 2027-01-01\n`;
    const tokens = base.split(/(\s+)/);
    fc.assert(
      fc.property(fc.nat(tokens.length - 1), fc.boolean(), (i, dup) => {
        const copy = [...tokens];
        if (dup) copy.splice(i, 0, copy[i]!);
        else copy.splice(i, 1);
        assertWellFormed(copy.join(""));
      }),
      { numRuns: Math.min(RUNS, 2000) },
    );
  });

  it("on deep nesting", () => {
    for (const n of [10, 63, 64, 65, 1000, 100_000]) {
      const deep = `policy "p" { when ${"(".repeat(n)}app.score > 2${")".repeat(n)} then alert }`;
      const nots = `policy "p" { when ${"not ".repeat(n)}app.compliance.soc2 then alert }`;
      // The policy's own `{` counts as one level of nesting for the parentheses.
      for (const [text, depth] of [[deep, n + 1], [nots, n]] as const) {
        const r = parse(text, "deep.sanction");
        if (depth > MAX_NESTING) expect(r.diagnostics.map((d) => d.code)).toEqual(["SAN901"]);
        else expect(r.diagnostics).toEqual([]);
      }
    }
  });
});
