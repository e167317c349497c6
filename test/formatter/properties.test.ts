import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "@sanction/syntax";
import { format } from "@sanction/formatter";
import { arbPolicyFile, fcRuns } from "../support/arbitraries.js";
import { stripSpans } from "../support/ast-equal.js";

// numRuns comes from FC_RUNS (default 200; CI sets more). The printer is checked with
// `verify: false` so its own safety net (keep the input when the output would differ) cannot
// hide a bug.
const numRuns = fcRuns();
const FILE = "gen.sanction";
const raw = (text: string) => format(text, FILE, { verify: false });
const errorsOf = (text: string) => parse(text, FILE).diagnostics.filter((d) => d.severity === "error");

describe("formatter properties", () => {
  it("the generator makes files without syntax errors", () => {
    fc.assert(
      fc.property(arbPolicyFile(), (src) => {
        expect(errorsOf(src)).toEqual([]);
      }),
      { numRuns },
    );
  });

  it("format is idempotent", () => {
    fc.assert(
      fc.property(arbPolicyFile(), (src) => {
        const once = raw(src);
        expect(once.skipped).toBeUndefined();
        const twice = raw(once.text);
        expect(twice.text).toBe(once.text);
        expect(twice.changed).toBe(false);
      }),
      { numRuns },
    );
  });

  it("parse(format(x)) equals parse(x) modulo spans", () => {
    fc.assert(
      fc.property(arbPolicyFile(), (src) => {
        const out = raw(src).text;
        expect(errorsOf(out)).toEqual([]);
        expect(stripSpans(parse(out, FILE).ast, { trimComments: true })).toEqual(stripSpans(parse(src, FILE).ast, { trimComments: true }));
      }),
      { numRuns },
    );
  });

  it("keeps every comment's text, in order", () => {
    fc.assert(
      fc.property(arbPolicyFile(), (src) => {
        const out = raw(src).text;
        let at = 0;
        for (const c of parse(src, FILE).ast.comments) {
          const found = out.indexOf("#" + c.text.trimEnd(), at);
          expect(found, `comment #${c.text} missing`).toBeGreaterThanOrEqual(0);
          at = found + 1;
        }
      }),
      { numRuns },
    );
  });

  it("prints canonical whitespace: LF, two-space indents, no trailing spaces, one final newline", () => {
    fc.assert(
      fc.property(arbPolicyFile(), (src) => {
        const out = raw(src).text;
        if (out === "") return;
        expect(out.endsWith("\n") && !out.endsWith("\n\n")).toBe(true);
        expect(out.startsWith("\n")).toBe(false);
        expect(out.includes("\r")).toBe(false);
        expect(out.includes("\n\n\n")).toBe(false);
        const lines = out.split("\n");
        lines.forEach((line, i) => {
          expect(line).toBe(line.trimEnd());
          expect(line === "" || /^( {2})*[^ \t]/.test(line)).toBe(true);
          if (line === "") {
            // No blank line right after `{` (lines without strings or comments, to be sure
            // the brace is code) or right before `}` (no other line starts with `}`).
            expect(/^[^#"]*\{$/.test(lines[i - 1]!)).toBe(false);
            expect(/^ *\}/.test(lines[i + 1] ?? "")).toBe(false);
          }
        });
      }),
      { numRuns },
    );
  });

  it("never throws, and leaves files with syntax errors byte-for-byte unchanged", () => {
    const damaged = fc
      .tuple(arbPolicyFile({ maxItems: 3 }), fc.nat(), fc.constantFrom("", "{", "}", '"', "==", "@", "policy", ","))
      .map(([src, at, insert]) => {
        const i = src.length === 0 ? 0 : at % src.length;
        return src.slice(0, i) + insert + src.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(damaged, fc.string({ maxLength: 200 })), (src) => {
        const r = format(src, FILE);
        if (errorsOf(src).length > 0) {
          expect(r.text).toBe(src);
          expect(r.changed).toBe(false);
          expect(r.skipped).toBe("syntax-errors");
        } else {
          expect(r.skipped).toBeUndefined();
        }
      }),
      { numRuns },
    );
  });
});
