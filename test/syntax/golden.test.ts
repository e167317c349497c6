import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "vitest";
import { parse } from "@sanction/syntax";
import { renderText, sourceMap, SourceFile } from "@sanction/diagnostics";
import { expectGolden } from "../support/golden.js";
import { dumpAst } from "../support/ast-dump.js";

// Each cases/NAME.sanction is parsed; NAME.ast holds the tree and NAME.errors the syntax
// diagnostics (empty for valid input). Rewrite with UPDATE_GOLDEN=1.
const dir = path.join(__dirname, "cases");
const cases = readdirSync(dir).filter((f) => f.endsWith(".sanction")).sort();

describe("parser goldens", () => {
  for (const file of cases) {
    it(file, () => {
      const text = readFileSync(path.join(dir, file), "utf8");
      const shown = `cases/${file}`;
      const r = parse(text, shown);
      expectGolden(dumpAst(r.ast, text), path.join(dir, file.replace(/\.sanction$/, ".ast")));
      expectGolden(renderText(r.diagnostics, sourceMap([new SourceFile(shown, text)])), path.join(dir, file.replace(/\.sanction$/, ".errors")));
    });
  }
});
