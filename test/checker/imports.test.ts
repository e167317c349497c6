import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, nodeFileHost } from "@sanction/semantics";

function setup() {
  const base = mkdtempSync(path.join(tmpdir(), "sanction-imports-"));
  const ws = path.join(base, "ws");
  const outside = path.join(base, "outside");
  mkdirSync(ws);
  mkdirSync(outside);
  writeFileSync(path.join(outside, "secret.sanction"), `group stolen { user == "x@example.com" }\n`);
  writeFileSync(path.join(ws, "real.sanction"), `group local { user == "y@example.com" }\n`);
  return { base, ws, outside };
}

describe("imports stay inside the workspace", () => {
  it("refuses a symbolic link that points outside, and does not read its target", () => {
    const { ws, outside } = setup();
    symlinkSync(path.join(outside, "secret.sanction"), path.join(ws, "link.sanction"));
    writeFileSync(path.join(ws, "main.sanction"), `import "./link.sanction"\n`);
    const a = analyze([path.join(ws, "main.sanction")], { root: ws, host: nodeFileHost, display: (p) => path.relative(ws, p) });
    expect(a.diagnostics.map((d) => [d.code, d.message.replace(outside, "OUTSIDE")])).toEqual([
      ["SAN202", 'import "./link.sanction" is a symbolic link to OUTSIDE/secret.sanction, outside the workspace folder'],
    ]);
    expect(a.model.groups.map((g) => g.name)).toEqual([]);
  });

  it("refuses a symlinked folder on the way out", () => {
    const { ws, outside } = setup();
    symlinkSync(outside, path.join(ws, "dir"));
    writeFileSync(path.join(ws, "main.sanction"), `import "./dir/secret.sanction"\n`);
    const a = analyze([path.join(ws, "main.sanction")], { root: ws, host: nodeFileHost });
    expect(a.diagnostics.map((d) => d.code)).toEqual(["SAN202"]);
  });

  it("follows a symbolic link that stays inside", () => {
    const { ws } = setup();
    symlinkSync(path.join(ws, "real.sanction"), path.join(ws, "alias.sanction"));
    writeFileSync(path.join(ws, "main.sanction"), `import "./alias.sanction"\npolicy "p" {\n  when app.category == crm\n  scope local\n  then monitor\n}\n`);
    const a = analyze([path.join(ws, "main.sanction")], { root: ws, host: nodeFileHost });
    expect(a.diagnostics).toEqual([]);
    expect(a.model.groups.map((g) => g.name)).toEqual(["local"]);
  });

  it("refuses `..` out of the root", () => {
    const { ws } = setup();
    writeFileSync(path.join(ws, "main.sanction"), `import "../outside/secret.sanction"\n`);
    const a = analyze([path.join(ws, "main.sanction")], { root: ws, host: nodeFileHost });
    expect(a.diagnostics.map((d) => d.code)).toEqual(["SAN202"]);
    expect(a.workspace.files.length).toBe(1);
  });

  it("imports a folder whose name merely starts with two dots, and shows it relative", () => {
    const { ws } = setup();
    mkdirSync(path.join(ws, "..data"));
    writeFileSync(path.join(ws, "..data", "common.sanction"), `group shared { user == "z@example.com" }\n`);
    writeFileSync(path.join(ws, "main.sanction"), `import "./..data/common.sanction"\n`);
    const a = analyze([path.join(ws, "main.sanction")], { root: ws, host: nodeFileHost });
    expect(a.diagnostics).toEqual([]);
    expect(a.model.groups.map((g) => g.name)).toEqual(["shared"]);
  });
});
