import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KEYWORD_WORDS } from "@sanction/syntax";
import { dump, loadGrammar, ROOT, ROOT_SCOPE, tokenize, type Token } from "./tokenize.js";

// fixtures/NAME.sanction is tokenized with grammar/sanction.tmLanguage.json and compared with
// fixtures/NAME.scopes.txt (`line:col text → scopes`). Rewrite with UPDATE_GOLDEN=1 and review
// the diff: a changed scope is a changed colour in every editor.
const FIXTURES = ROOT + "test/grammar/fixtures/";
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

function sanctionFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sanction"))
    .sort()
    .map((f) => dir + f);
}

async function tokensOf(text: string): Promise<Token[]> {
  return tokenize(await loadGrammar(), text);
}

/** The innermost scopes of the token(s) spelling exactly `text` on the given line of `source`. */
async function scopesOf(source: string, text: string, line = 1): Promise<string[]> {
  const tokens = (await tokensOf(source)).filter((t) => t.line === line);
  const start = source.split("\n")[line - 1]!.indexOf(text);
  expect(start, `${JSON.stringify(text)} not in line ${line}`).toBeGreaterThanOrEqual(0);
  const covering = tokens.filter((t) => t.col - 1 >= start && t.col - 1 < start + text.length);
  return [...new Set(covering.flatMap((t) => t.scopes))];
}

describe("golden scope dumps", () => {
  for (const file of sanctionFiles(FIXTURES)) {
    const name = file.slice(FIXTURES.length);
    it(name, async () => {
      const actual = dump(await tokensOf(readFileSync(file, "utf8")));
      const golden = file.replace(/\.sanction$/, ".scopes.txt");
      if (UPDATE) {
        writeFileSync(golden, actual);
        return;
      }
      if (!existsSync(golden)) throw new Error(`missing golden file ${golden}: run \`npm run test:update\` and review the diff`);
      expect(actual).toBe(readFileSync(golden, "utf8"));
    });
  }
});

describe("scopes of single constructs", () => {
  const cases: [source: string, text: string, scope: RegExp][] = [
    ['policy "P" { then alert }', "policy", /^storage\.type\.policy\./],
    ['policy "Risky storage" { then alert }', "Risky storage", /^entity\.name\.function\.policy\./],
    ['app "Contoso Drive" { }', "Contoso Drive", /^entity\.name\.type\.app\./],
    ['test "blocks it" { }', "blocks it", /^entity\.name\.function\.test\./],
    ["group marketing { }", "marketing", /^entity\.name\.type\.group\./],
    ['policy "P" uses template new_cloud_storage_app { }', "new_cloud_storage_app", /^support\.function\.template\./],
    ["policy \"P\" { when app.category == crm }", "when", /^keyword\.control\./],
    ["policy \"P\" { when app.category == crm }", "app.category", /^variable\.other\.property\./],
    ["policy \"P\" { when app.category == crm }", "crm", /^support\.constant\.category\./],
    ["app \"X\" { security.mfa = true }", "security.mfa", /^variable\.other\.property\./],
    ["app \"X\" { security.mfa = true }", "true", /^constant\.language\.boolean\./],
    ["# x", "# x", /^comment\.line\.number-sign\./],
    ['app "X" { vendor "Contoso" }', '"Contoso"', /^string\.quoted\.double\./],
    ['app "X" { vendor "a\\tb" }', "\\t", /^constant\.character\.escape\./],
    ['app "X" { vendor "a\\qb" }', "\\q", /^invalid\.illegal\./],
    ['app "X" { vendor "open', "open", /^invalid\.illegal\.unterminated-string\./],
    ["policy \"P\" { traffic > 50MB }", "50MB", /^constant\.numeric\.size\./],
    ["policy \"P\" { traffic > 50MB }", "MB", /^keyword\.other\.unit\./],
    ["policy \"P\" { upload > 2GiB }", "GiB", /^keyword\.other\.unit\./],
    ["policy \"P\" { first seen within 7d }", "7d", /^constant\.numeric\.duration\./],
    ["block domain \"x.com\" until 2027-01-01", "2027-01-01", /^constant\.numeric\.date\./],
    ["block ip 10.0.0.0/8", "10.0.0.0/8", /^constant\.numeric\.cidr\./],
    ["block ip 10.1.2.3", "10.1.2.3", /^constant\.numeric\.ip\./],
    ["app \"X\" { domains contosodrive.com, *.contosodrive.net }", "contosodrive.com", /^string\.unquoted\.domain\./],
    ["app \"X\" { domains contosodrive.com, *.contosodrive.net }", "*.", /^keyword\.operator\.wildcard\./],
    ["app \"X\" { domains 1drv.ms }", "1drv.ms", /^string\.unquoted\.domain\./],
    ['block domain "filedropper.com"', "filedropper.com", /^string\.quoted\.double\.domain\./],
    ["block domain filedropper.com", "filedropper.com", /^string\.unquoted\.domain\./],
    ['allow url "https://x.com/a"', "https://x.com/a", /^markup\.underline\.link\./],
    ['block domain "x.com"', "block", /^keyword\.other\.decision\./],
    ["policy \"P\" { then unsanction, alert(limit: 5) }", "unsanction", /^keyword\.other\.action\./],
    ["policy \"P\" { then unsanction, alert(limit: 5) }", "limit", /^variable\.parameter\./],
    ["policy \"P\" { then tag risky }", "risky", /^entity\.name\.tag\./],
    ["policy \"P\" { severity high }", "high", /^constant\.language\.severity\./],
    ["policy \"P\" { mode audit }", "audit", /^constant\.language\.mode\./],
    ["policy \"P\" { scope all except marketing }", "marketing", /^entity\.name\.type\.group\./],
    ["policy \"P\" { users > 50 per day }", "users", /^support\.variable\.metric\./],
    ["policy \"P\" { when not app.x and app.y or app.z }", "not", /^keyword\.operator\.logical\./],
    ["policy \"P\" { when app.tags contains risky }", "contains", /^keyword\.operator\.word\./],
    ["policy \"P\" { when app.score >= 3 }", ">=", /^keyword\.operator\.comparison\./],
    ["score { security: very_high, unknown: counts_as_risk }", "very_high", /^constant\.language\.importance\./],
    ["score { security: very_high, unknown: counts_as_risk }", "security", /^support\.variable\.family\./],
    ['test "t" { expect verdict www.x.com block }', "www.x.com", /^string\.unquoted\.domain\./],
    ['test "t" { expect verdict www.x.com block }', "block", /^constant\.language\.verdict\./],
    ['test "t" { expect app "X" unsanctioned }', "unsanctioned", /^constant\.language\.status\./],
    ['test "t" { traffic { host x.com up 1MB } }', "host", /^variable\.parameter\.field\./],
    ["policy \"P\" { then alert @ }", "@", /^invalid\.illegal\.character\./],
  ];
  for (const [source, text, scope] of cases) {
    it(`${text} in ${source}`, async () => {
      const scopes = await scopesOf(source, text);
      expect(scopes.some((s) => scope.test(s)), scopes.join(" ")).toBe(true);
    });
  }

  it("punctuation", async () => {
    const source = "policy \"P\" { when app.category in [crm, sales] then alert(limit: 1) }";
    for (const [text, scope] of [
      ["{", "punctuation.section.block.begin.sanction"],
      ["[", "punctuation.section.brackets.begin.sanction"],
      [",", "punctuation.separator.comma.sanction"],
      ["(", "punctuation.section.parens.begin.sanction"],
      [":", "punctuation.separator.key-value.sanction"],
    ] as const) {
      expect(await scopesOf(source, text)).toContain(scope);
    }
  });
});

describe("keywords", () => {
  // A keyword added to the lexer must get a colour too, or it would render like a plain name.
  for (const word of KEYWORD_WORDS) {
    it(word, async () => {
      const [token, ...rest] = await tokensOf(word);
      expect(rest).toEqual([]);
      expect(token!.scopes.length, token!.scopes.join(" ")).toBeGreaterThan(1);
      expect(token!.scopes.at(-1)).not.toBe("variable.other.sanction");
    });
  }
});

/** Scopes that mark a token the grammar did not recognise. */
function uncovered(tokens: readonly Token[]): Token[] {
  // No punctuation is deliberately left unscoped; list its text here if that ever changes.
  const allowedBare = new Set<string>();
  return tokens.filter((t) => t.text.trim() !== "" && t.scopes.length === 1 && t.scopes[0] === ROOT_SCOPE && !allowedBare.has(t.text.trim()));
}

describe("coverage", () => {
  it("every fixture token has a scope", async () => {
    for (const file of sanctionFiles(FIXTURES)) {
      expect(uncovered(await tokensOf(readFileSync(file, "utf8"))), file).toEqual([]);
    }
  });

  const samples = sanctionFiles(ROOT + "samples/policies/");
  it.skipIf(samples.length === 0)("every sample policy token has a scope", async () => {
    for (const file of samples) {
      const text = readFileSync(file, "utf8");
      expect(uncovered(await tokensOf(text)), file).toEqual([]);
      // A sample is valid code, so nothing in it may be marked invalid either.
      const invalid = (await tokensOf(text)).filter((t) => t.scopes.some((s) => s.startsWith("invalid.")));
      expect(invalid, file).toEqual([]);
    }
  });
});
