import * as path from "node:path";
import { memoryFileHost, MAX_POLICY_FILE_BYTES } from "@sanction/semantics";
import { WorkspaceSession, completion, hover } from "@sanction/ide";
import { describe, expect, it } from "vitest";

/*
 * The session rules the server relies on for large files, in-process: a large file being edited
 * is read from its last parse only inside `relaxed()` and only for features of other files;
 * nothing read that way leaks into exact results; files over the size bound are reported.
 */

const root = path.resolve("/ws");
const big = path.join(root, "big.sanction");
const small = path.join(root, "small.sanction");
const BIG = 'group team_a {\n  user == "a"\n}\n\n' + "# padding\n".repeat(20);
const SMALL = 'policy "P" {\n  severity high\n  when app.category == webmail\n  scope all except team_a\n  then alert\n}\n';

function session() {
  // staleAfterChars: 150 makes BIG (and its edits) "large" and SMALL not.
  expect(BIG.length).toBeGreaterThan(150);
  expect(SMALL.length).toBeLessThan(150);
  const ws = new WorkspaceSession({ root, host: memoryFileHost({}), staleAfterChars: 150 });
  ws.openDocument(big, BIG, 1);
  ws.openDocument(small, SMALL, 1);
  return ws;
}
const codes = (ws: WorkspaceSession, f: string) => ws.diagnostics(f).map((d) => d.code);
const groupLabels = (ws: WorkspaceSession) =>
  completion(ws, small, { line: 3, character: "  scope all except ".length })
    .items.filter((i) => i.kind === "group")
    .map((i) => i.label);

describe("relaxed reads of large files", () => {
  it("features of another file see the last parse of a large file while it is edited; exact features see the edit", () => {
    const ws = session();
    expect(ws.relaxed(() => groupLabels(ws))).toEqual(["team_a"]);
    ws.changeDocument(big, BIG.replace("team_a", "team_b"), 2);
    // Relaxed: the group list still comes from version 1 of the large file.
    expect(ws.relaxed(() => groupLabels(ws))).toEqual(["team_a"]);
    // Exact: the rename is seen, and the small file's reference to team_a is now an error.
    expect(groupLabels(ws)).toEqual(["team_b"]);
    expect(codes(ws, small)).toContain("SAN302");
  });

  it("a relaxed check does not stand in for the exact one at the same edit", () => {
    const ws = session();
    expect(codes(ws, small)).toEqual([]);
    ws.changeDocument(big, BIG.replace("team_a", "team_b"), 2);
    // The relaxed hover computes a check from the stale parse (team_a still defined)…
    expect(ws.relaxed(() => hover(ws, small, { line: 3, character: "  scope all except ".length + 1 })?.markdown)).toMatch(/group team_a/);
    // …and diagnostics afterwards, outside relaxed(), are those of the current text.
    expect(codes(ws, small)).toContain("SAN302");
  });

  it("the large file's own features always read its current text", () => {
    const ws = session();
    ws.relaxed(() => groupLabels(ws));
    ws.changeDocument(big, BIG.replace("team_a", "team_c"), 2);
    expect(ws.relaxed(() => ws.file(big)!.parsed.ast.items.map((i) => (i.kind === "Group" ? i.name?.text : i.kind)))).toEqual(["team_c"]);
  });

  it("small files are never read stale", () => {
    const ws = session();
    ws.relaxed(() => groupLabels(ws));
    ws.changeDocument(small, SMALL.replace("team_a", "team_x"), 2);
    expect(ws.relaxed(() => codes(ws, small))).toContain("SAN302");
  });
});

describe("files over the size bound", () => {
  const huge = "# x\n".repeat(Math.ceil((MAX_POLICY_FILE_BYTES + 1) / 4));

  it("an open buffer over the bound gets one SAN205 at its first line and is not parsed", () => {
    const ws = session();
    const f = path.join(root, "huge.sanction");
    ws.openDocument(f, huge + 'policy "X" {\n', 1);
    const d = ws.diagnostics(f);
    expect(d.map((x) => x.code)).toEqual(["SAN205"]);
    expect(d[0]!.range.start).toEqual({ line: 0, character: 0 });
    expect(d[0]!.message).toMatch(/larger than 8 MiB/);
    expect(ws.file(f)!.parsed.ast.items).toEqual([]);
  });

  it("a file on disk that cannot be read is reported on itself, and at an import of it", () => {
    // The disk as nodeFileHost sees it: huge.sanction is listed, reading it is refused.
    const disk = memoryFileHost({ [path.join(root, "a.sanction")]: 'import "./huge.sanction"\n', [path.join(root, "huge.sanction")]: "" });
    const host = { ...disk, read: (p: string) => (p.endsWith("huge.sanction") ? { error: "larger than 8 MiB" } : disk.read(p)) };
    const ws = new WorkspaceSession({ root, host });
    const onFile = ws.diagnostics(path.join(root, "huge.sanction"));
    expect(onFile.map((x) => [x.code, x.message])).toEqual([["SAN205", "cannot read huge.sanction: larger than 8 MiB"]]);
    const atImport = ws.diagnostics(path.join(root, "a.sanction"));
    expect(atImport.map((x) => [x.code, x.message])).toEqual([["SAN205", 'cannot import "./huge.sanction": larger than 8 MiB']]);
  });
});

describe("imports in the editor's session", () => {
  it("a folder whose name merely starts with two dots is inside the workspace; `..` out is not", () => {
    const host = memoryFileHost({ [path.join(root, "..data", "groups.sanction")]: 'group shared {\n  user == "z"\n}\n' });
    const ws = new WorkspaceSession({ root, host });
    const main = path.join(root, "main.sanction");
    ws.openDocument(main, 'import "./..data/groups.sanction"\nimport "../outside.sanction"\n', 1);
    expect(ws.diagnostics(main).map((d) => [d.code, d.message])).toEqual([["SAN202", `import "../outside.sanction" points outside the workspace folder ${root}`]]);
  });
});
