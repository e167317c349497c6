import { describe, expect, it } from "vitest";
import { Lexer } from "chevrotain";
import { ItemParser } from "../../packages/syntax/src/parser.js";
import { LEXER_CONFIG } from "../../packages/syntax/src/parse.js";
import { tokens } from "@sanction/syntax";

// The shared lexer and parser skip chevrotain's definition and grammar validations to start faster; the grammar is
// validated here instead, so an ambiguous or left-recursive rule still fails the build (the
// golden and property tests parse with the shared parser).
describe("the policy grammar", () => {
  it("passes chevrotain's lexer definition checks", () => {
    const lexer = new Lexer(tokens.allTokens, { ...LEXER_CONFIG, skipValidations: false });
    expect(lexer.lexerDefinitionErrors.map((e) => e.message)).toEqual([]);
  });

  it("passes chevrotain's grammar validations", () => {
    // chevrotain throws "Parser Definition Errors detected" with every problem listed
    expect(() => new ItemParser({ validate: true })).not.toThrow();
  });
});
