import { readdirSync, readFileSync, existsSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEYWORD_WORDS, parse } from "@sanction/syntax";
import { loadGrammar, ROOT, ROOT_SCOPE, tokenize, type Token } from "./tokenize.js";

// The grammar re-implements the lexer in TextMate regexes. These tests hold the two together:
// every lexer token must start and end on a grammar token boundary and be coloured as its kind,
// and every character the lexer rejects (SAN101) must be marked invalid. Context rules may pick
// a finer scope (a domain instead of a property), never a different kind.

const LITERAL_SCOPES: Record<string, RegExp> = {
  StringLiteral: /^string\.quoted\./,
  UnterminatedString: /^string\.quoted\./,
  DateLiteral: /^constant\.numeric\.date\./,
  IpLiteral: /^constant\.numeric\.(ip|cidr)\./,
  SizeLiteral: /^constant\.numeric\.size\./,
  DurationLiteral: /^constant\.numeric\.duration\./,
  NumberLiteral: /^constant\.numeric\.decimal\./,
  DottedName: /^(variable\.other\.property|string\.unquoted\.domain)\./,
};
const SYMBOL = /^(punctuation|keyword\.operator)\./;
/** Names and keywords may get any colour but a literal's, a comment's or an error's. */
const NOT_A_WORD = /^(string\.quoted|constant\.numeric|comment|invalid)\./;

interface Span {
  start: number;
  end: number;
  kind: string;
}

function lexerSpans(text: string): Span[] {
  const r = parse(text, "agreement.sanction");
  const spans: Span[] = r.tokens.map((t) => ({ start: t.startOffset, end: t.startOffset + t.image.length, kind: t.tokenType.name }));
  for (const c of r.ast.comments) spans.push({ start: c.span.start, end: c.span.end, kind: "Comment" });
  for (const d of r.diagnostics) if (d.code === "SAN101") spans.push({ start: d.span.start, end: d.span.end, kind: "error" });
  return spans;
}

/** Problems with one lexer span, or [] when the grammar agrees. */
function disagreements(text: string, tokens: readonly Token[], s: Span): string[] {
  const inside = tokens.filter((t) => t.offset < s.end && t.offset + t.text.length > s.start);
  const where = `${s.kind} ${JSON.stringify(text.slice(s.start, s.end))} at ${s.start}`;
  const problems: string[] = [];
  if (s.kind !== "error") {
    if (inside[0]?.offset !== s.start) problems.push(`${where}: no grammar token starts there`);
    const last = inside.at(-1);
    if (last && last.offset + last.text.length !== s.end) problems.push(`${where}: a grammar token runs past its end`);
  }
  for (const t of inside) {
    const scopes = t.scopes.filter((x) => x !== ROOT_SCOPE);
    const shown = `${where}: ${JSON.stringify(t.text)} is ${scopes.join(" ") || ROOT_SCOPE}`;
    const ok =
      s.kind === "error"
        ? scopes.some((x) => x.startsWith("invalid."))
        : s.kind === "Comment"
          ? scopes.some((x) => x.startsWith("comment."))
          : LITERAL_SCOPES[s.kind]
            ? scopes.some((x) => LITERAL_SCOPES[s.kind]!.test(x))
            : s.kind === "Identifier" || s.kind.startsWith("Kw_")
              ? scopes.length > 0 && !scopes.some((x) => NOT_A_WORD.test(x))
              : scopes.some((x) => SYMBOL.test(x));
    if (!ok) problems.push(shown);
  }
  return problems;
}

async function check(text: string): Promise<string[]> {
  const tokens = tokenize(await loadGrammar(), text);
  return lexerSpans(text).flatMap((s) => disagreements(text, tokens, s));
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sanction"))
    .sort()
    .map((f) => dir + f);
}

describe("grammar agrees with the lexer", () => {
  for (const file of [...filesUnder(ROOT + "test/grammar/fixtures/"), ...filesUnder(ROOT + "samples/policies/")]) {
    it(file.slice(ROOT.length), async () => {
      expect(await check(readFileSync(file, "utf8"))).toEqual([]);
    });
  }

  // Lexemes of every kind, including near misses (`1drv.ms`, `50xyz`, `10.0.0.0/8x`), glued
  // together with or without spaces: where they merge, both sides must merge the same way.
  const lexemes = [
    ...KEYWORD_WORDS,
    "marketing", "cloud_storage", "users", "host", "unknown", "very_high", "x", "_y2",
    "app.category", "security.mfa", "*.x.com", "1drv.ms", "163.com", "bücher.example", "a-b.c", "x.*", "1.5.6",
    "0", "42", "5.5", "50MB", "1.5gb", "10KiB", "3B", "24h", "7d", "90m", "50xyz",
    "2027-01-01", "2027-01-01T12:00:00Z", "2027-01-01T12:00+02:00", "10.1.2.3", "10.0.0.0/8", "10.0.0.0/8x", "999.1.1.1",
    '"x"', '"a\\"b"', '"https://x.com/a"', '"*.x.com"', '"bad \\q"', '"open', '"tail\\',
    "{", "}", "(", ")", "[", "]", ",", ":", "..", "==", "!=", "<=", ">=", "<", ">", "=",
    "# note", "@", "$", ".", "-", "!", "*", "/", "é",
    // Openers of the grammar's context rules, so that their regions see odd contents too.
    'policy "p"', 'app "a" {', 'override app "a"', "group g {", "score {", "traffic {", 'test "t" {',
    "expect verdict", 'expect app "a"', "expect no alert", "for device", "block domain", "allow url",
    "warn ip", 'unsanction app "a"', "uses template", "monitor(", "alert(", "redirect:", "redirect",
    "app.category ==", "users >", "per day", "then tag", "mode audit", "severity high",
  ];
  it("on generated token soup", async () => {
    await loadGrammar();
    const soup = fc
      .array(fc.tuple(fc.constantFrom(...lexemes), fc.constantFrom(" ", " ", "\n", "", ", ")), { maxLength: 14 })
      .map((parts) => parts.map(([l, sep]) => l + sep).join(""));
    await fc.assert(
      fc.asyncProperty(soup, async (text) => {
        expect(await check(text)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
