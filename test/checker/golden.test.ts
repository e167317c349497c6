import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "vitest";
import { analyze, nodeFileHost } from "@sanction/semantics";
import { renderText, sourceMap } from "@sanction/diagnostics";
import { expectGolden } from "../support/golden.js";

// cases/NAME.sanction is checked alone; workspaces/NAME/ is checked as one workspace (imports
// and all). The diagnostics, as `sanction check` prints them, are in NAME.diagnostics beside
// it. Rewrite with UPDATE_GOLDEN=1 and review the diff.
const here = __dirname;

function check(entry: string, root = here): string {
  const a = analyze([entry], { root, host: nodeFileHost, display: (abs) => path.relative(here, abs).split(path.sep).join("/") });
  const entryErrors = a.workspace.entryErrors.map((e) => `cannot read ${e.path}: ${e.reason}\n`).join("");
  return entryErrors + renderText(a.diagnostics, sourceMap(a.sources));
}

describe("checker goldens: single files", () => {
  const dir = path.join(here, "cases");
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".sanction")).sort()) {
    it(f, () => expectGolden(check(path.join(dir, f)), path.join(dir, f.replace(/\.sanction$/, ".diagnostics"))));
  }
});

describe("checker goldens: workspaces", () => {
  const dir = path.join(here, "workspaces");
  for (const name of readdirSync(dir).filter((x) => statSync(path.join(dir, x)).isDirectory()).sort()) {
    // The workspace folder itself is the root, so `..` out of it must be refused.
    it(name, () => expectGolden(check(path.join(dir, name), path.join(dir, name)), path.join(dir, `${name}.diagnostics`)));
  }
});
