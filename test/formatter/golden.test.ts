import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "@sanction/syntax";
import { format } from "@sanction/formatter";
import { expectGolden, UPDATE } from "../support/golden.js";
import { stripSpans } from "../support/ast-equal.js";

// Each cases/NAME.sanction is formatted and compared with cases/NAME.sanction.formatted; the
// expected output must itself be stable (formatting it again changes nothing) and mean the same
// program. Rewrite the expected files with UPDATE_GOLDEN=1 and review the diff.
const dir = path.join(__dirname, "cases");
const cases = readdirSync(dir).filter((f) => f.endsWith(".sanction")).sort();

describe("formatter goldens", () => {
  for (const file of cases) {
    it(file, () => {
      const input = readFileSync(path.join(dir, file), "utf8");
      const shown = `cases/${file}`;
      const result = format(input, shown, { verify: false });
      const expectedPath = path.join(dir, file + ".formatted");
      expectGolden(result.text, expectedPath);
      expect(result.changed).toBe(result.text !== input);

      const hasSyntaxErrors = result.diagnostics.some((d) => d.severity === "error");
      if (hasSyntaxErrors) {
        expect(result.text).toBe(input);
        expect(result.skipped).toBe("syntax-errors");
        return;
      }
      expect(result.skipped).toBeUndefined();
      const expected = UPDATE ? result.text : readFileSync(expectedPath, "utf8");
      const again = format(expected, shown, { verify: false });
      expect(again.text, "formatting the expected output again changes it").toBe(expected);
      expect(again.changed).toBe(false);
      expect(stripSpans(parse(expected, shown).ast, { trimComments: true })).toEqual(stripSpans(parse(input, shown).ast, { trimComments: true }));
    });
  }
});
