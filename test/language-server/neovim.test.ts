import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureDebianPackages } from "../support/debian.js";
import { positionOf, repoRoot, sampleWorkspace, SERVER_SOURCE } from "./client.js";

/*
 * A real editor: Neovim (Debian's `neovim`, 0.7) headless with its built-in LSP client opens a
 * sample policy with an error and asks for diagnostics, hover and completion.
 */

const DOC = `override app "Dropbox" {
  tag reviewed
}

policy "Typo" {
  severity low
  when app.categry == cloud_storage
  then alert
}
`;

let dir: string;
beforeAll(() => {
  ensureDebianPackages(["neovim"]);
  dir = sampleWorkspace({ "editing.sanction": DOC });
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("Neovim's LSP client gets diagnostics, hover and completion", () => {
  const hover = positionOf(DOC, '"Dropbox"', 2);
  const compl = positionOf(DOC, "severity low", 9);
  const out = path.join(dir, "nvim-result.txt");
  const cmd = [process.execPath, path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs"), "--conditions=source", SERVER_SOURCE, "--stdio"];
  execFileSync("nvim", ["--headless", "--clean", "-c", `luafile ${path.join(__dirname, "nvim-lsp.lua")}`, path.join(dir, "editing.sanction")], {
    cwd: dir,
    env: { ...process.env, SANCTION_LSP_CMD: JSON.stringify(cmd), HOVER_LINE: String(hover.line), HOVER_COL: String(hover.character), COMPL_LINE: String(compl.line), COMPL_COL: String(compl.character), LSP_OUT: out },
    timeout: 60_000,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const result = fs.readFileSync(out, "utf8");
  expect(result).toMatch(/^DIAGNOSTICS true$/m);
  expect(result).toMatch(/^DIAG 6:7 sev=1 SAN305 unknown attribute `app\.categry`; did you mean `app\.category`\?$/m);
  expect(result).toMatch(/^HOVER \*\*Dropbox\*\* .*Score/m);
  expect(result).toMatch(/^COMPLETION .*\binformational,low,medium,high\b/m);
});
