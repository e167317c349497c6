import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import oniguruma from "vscode-oniguruma";
import vsctm from "vscode-textmate";

/** Repository root, from this file's place in test/grammar/. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const GRAMMAR_PATH = ROOT + "grammar/sanction.tmLanguage.json";
export const ROOT_SCOPE = "source.sanction";

export interface Token {
  /** Offset in the file text, to line tokens up with the lexer's. */
  readonly offset: number;
  /** 1-based line and column (UTF-16 code units, as editors count). */
  readonly line: number;
  readonly col: number;
  readonly text: string;
  /** Outermost first; always starts with `source.sanction`. */
  readonly scopes: readonly string[];
}

let grammar: Promise<vsctm.IGrammar> | undefined;

/** The grammar, loaded once per test file: the wasm engine is slow to start. */
export function loadGrammar(): Promise<vsctm.IGrammar> {
  return (grammar ??= (async () => {
    const wasm = readFileSync(ROOT + "node_modules/vscode-oniguruma/release/onig.wasm");
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === ROOT_SCOPE ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH) : null,
    });
    const g = await registry.loadGrammar(ROOT_SCOPE);
    if (!g) throw new Error(`grammar ${ROOT_SCOPE} did not load`);
    return g;
  })());
}

/** Tokenize a whole file line by line, carrying the rule stack across lines as an editor does. */
export function tokenize(g: vsctm.IGrammar, text: string): Token[] {
  const out: Token[] = [];
  let stack = vsctm.INITIAL;
  let lineStart = 0;
  for (const [i, lineText] of text.split("\n").entries()) {
    // `\r` stays out of the line, as editors hand lines over without their ending.
    const content = lineText.endsWith("\r") ? lineText.slice(0, -1) : lineText;
    const r = g.tokenizeLine(content, stack);
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, content.length);
      if (end <= t.startIndex) continue;
      out.push({ offset: lineStart + t.startIndex, line: i + 1, col: t.startIndex + 1, text: content.slice(t.startIndex, end), scopes: t.scopes });
    }
    stack = r.ruleStack;
    lineStart += lineText.length + 1;
  }
  return out;
}

/**
 * The golden format: `line:col text → scopes`, one token a line. Whitespace-only tokens are
 * left out so the dump reads like the source; the root scope is kept so a token the grammar
 * missed stands out as `→ source.sanction` alone.
 */
export function dump(tokens: readonly Token[]): string {
  return tokens
    .filter((t) => t.text.trim() !== "")
    .map((t) => `${t.line}:${t.col} ${t.text} → ${t.scopes.join(" ")}`)
    .join("\n") + "\n";
}
