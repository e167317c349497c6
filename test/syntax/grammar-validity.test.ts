import { describe, expect, it } from "vitest";
import { ItemParser } from "../../packages/syntax/src/parser.js";

// The shared parser skips chevrotain's grammar validations to start faster; the grammar is
// validated here instead, so an ambiguous or left-recursive rule still fails the build (the
// golden and property tests parse with the shared parser).
describe("the policy grammar", () => {
  it("passes chevrotain's grammar validations", () => {
    const parser = new ItemParser({ validate: true });
    expect(parser.definitionErrors.map((e) => e.message)).toEqual([]);
  });
});
