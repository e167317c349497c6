/*
 * Text meant for a terminal or a CI log: `sanction check` text diagnostics and `sanction test`
 * results quote policy strings, test names and file names. Escape sequences and line breaks in
 * them are shown as escapes (`\x1b`, `\n`), never sent as they are, so a pull request can
 * neither clear the screen, recolour it, nor forge a line such as `PASS …` in a CI log; the
 * caret under a diagnostic stays under the text it points at.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SourceFile, diagnostic, renderText, sourceMap, span, visible } from "@sanction/diagnostics";
import { fcRuns } from "../support/arbitraries.js";
import { runCli, tempWorkspace } from "../support/cli.js";
import { CORPUS, NAMES } from "./corpus.js";
import { hostileWorkspace, sanctionString } from "./workspace.js";

/** C0 and C1 controls but the output's own line feeds, bidi controls, line separators. */
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * The diagnostics of a text rendering: a header line, then (with snippets) the source line and
 * the caret line. Returns, per header, what the caret underlines in the shown source line.
 */
function underlined(text: string): { header: string; shown: string; marked: string }[] {
  const lines = text.split("\n");
  const out: { header: string; shown: string; marked: string }[] = [];
  for (let i = 0; i + 2 < lines.length; i++) {
    const src = /^(\d+) \| (.*)$/.exec(lines[i + 1]!);
    const caret = /^ +\| ( *)(\^+)$/.exec(lines[i + 2]!);
    if (!src || !caret) continue;
    out.push({ header: lines[i]!, shown: src[2]!, marked: src[2]!.slice(caret[1]!.length, caret[1]!.length + caret[2]!.length) });
    i += 2;
  }
  return out;
}

describe("sanction check, text diagnostics", () => {
  it("shows escape sequences and line breaks from imports, strings and file names as escapes", async () => {
    const ws = tempWorkspace({
      "diagnostics.sanction": readFileSync(path.join(CORPUS, "policies", "diagnostics.sanction")),
      // An escaped line break, a raw tab and ESC, a raw 8-bit CSI (U+009B).
      "strings.sanction": 'block domain "a.com\\nfake.sanction:1:1: error SAN000: forged"\nblock domain "\tb\u001b[31m.com"\nblock domain "c\u009b2Jd.com"\n',
      // A file name holding ESC: the checker names it in its diagnostic.
      "name\u001b[2J.sanction": "group {\n",
    });
    const r = await runCli(["check", "."], ws);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(TERMINAL_UNSAFE);
    expect(r.stderr).not.toMatch(TERMINAL_UNSAFE);
    // One header line per diagnostic: a line break in a string cannot start another.
    const headers = r.stdout.split("\n").filter((l) => /^[^ |\d].*:\d+:\d+: (error|warning|info|hint) SAN\d+: /.test(l));
    expect(headers).toEqual([
      expect.stringMatching(/^diagnostics\.sanction:3:8: error SAN201: cannot import "\.\/\\x1b\]0;pwned\\x07\\x1b\[2J\.sanction"/),
      expect.stringMatching(/^name\\x1b\[2J\.sanction:1:1: error SAN102: /),
      expect.stringMatching(/^strings\.sanction:1:14: error SAN404: "a\.com\\nfake\.sanction:1:1: error SAN000: forged"/),
      expect.stringMatching(/^strings\.sanction:2:14: error SAN404: .*"\\tb\\x1b\[31m\.com"/),
      expect.stringMatching(/^strings\.sanction:3:14: error SAN404: .*"c\\x9b2Jd\.com"/),
    ]);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("fake"))).toEqual([]);
  });

  it("keeps the caret under the string it points at when the line holds escapes", async () => {
    const ws = tempWorkspace({ "strings.sanction": 'block domain "\u001b[31mx..com"\nblock domain "\tb\u001b[2J.com"\n' });
    const r = await runCli(["check", "strings.sanction"], ws);
    expect(underlined(r.stdout).map((u) => u.marked)).toEqual(['"\\x1b[31mx..com"', '"  b\\x1b[2J.com"']);
  });

  it("moves the caret by the width of each escape before it", () => {
    // The span (the second string) starts after an ESC, a bidi override and a tab on its line.
    const text = 'x "\u001b[1m" "\u202e" \t"target" tail\n';
    const from = text.indexOf('"target"');
    const file = new SourceFile("f.sanction", text);
    const out = renderText([diagnostic("SAN404", span("f.sanction", from, from + '"target"'.length), "bad \u001b[2J")], sourceMap([file]));
    expect(out).not.toMatch(TERMINAL_UNSAFE);
    const [u] = underlined(out);
    expect(u!.header).toBe("f.sanction:1:15: error SAN404: bad \\x1b[2J");
    expect(u!.shown).toBe('x "\\x1b[1m" "\\u202e"    "target" tail');
    expect(u!.marked).toBe('"target"');
  });

  it("underlines exactly the escaped text of any span on a line of random hostile characters (fast-check)", () => {
    const ch = fc.constantFrom("a", "b", " ", '"', "\u001b", "\u0007", "\u009b", "\u007f", "\r", "\u202e", "\u2066", "\u2028", "\ufeff", "é", "界");
    fc.assert(
      fc.property(fc.array(ch, { minLength: 1, maxLength: 40 }).map((a) => a.join("")), fc.nat(), fc.nat(), (line, x, y) => {
        const from = x % line.length;
        const to = from + 1 + (y % (line.length - from));
        // The final "." keeps a CR off the end, where it would be taken for a line ending.
        const file = new SourceFile("f.sanction", line + ".");
        const out = renderText([diagnostic("SAN404", span("f.sanction", from, to), "m")], sourceMap([file]));
        expect(out).not.toMatch(TERMINAL_UNSAFE);
        const [u] = underlined(out);
        expect(u!.shown).toBe(visible(line + "."));
        expect(u!.marked).toBe(visible(line.slice(from, to)));
      }),
      { numRuns: fcRuns(200) },
    );
  });

  it("names in related locations and fixes are shown as escapes too", () => {
    const file = new SourceFile("a\u001b[2J.sanction", 'app "x" {}\n');
    const d = diagnostic("SAN404", span(file.path, 0, 3), "m", {
      related: [{ span: span(file.path, 4, 7), message: "first \u001b]0;t\u0007 here" }],
      fixes: [{ title: "rename to \u001b[31mx\ny", edits: [] }],
    });
    const out = renderText([d], sourceMap([file]));
    expect(out).not.toMatch(TERMINAL_UNSAFE);
    expect(out).toContain("  note: a\\x1b[2J.sanction:1:5: first \\x1b]0;t\\x07 here\n");
    expect(out).toContain("  help: rename to \\x1b[31mx\\ny\n");
  });
});

describe("sanction test, text output", () => {
  it("shows hostile test names as escapes, one result line per test", async () => {
    const dir = hostileWorkspace();
    const r = await runCli(["test", "tests"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(TERMINAL_UNSAFE);
    const results = r.stdout.split("\n").filter((l) => /^(PASS|FAIL) /.test(l));
    expect(results).toHaveLength(NAMES.length);
    for (const n of NAMES) expect(results.some((l) => l.startsWith(`PASS ${visible(n.value)} (`) || l.startsWith(`FAIL ${visible(n.value)} (`)), JSON.stringify(n.value)).toBe(true);
  });

  it("a line break in a test name cannot forge a PASS line", async () => {
    const name = "real\nPASS forged (tests.sanction:1:1)\u001b[2K";
    const ws = tempWorkspace({
      "t.sanction": `app "A" {\n  domains a.example\n  category cloud_storage\n}\nunsanction app "A"\ntest ${sanctionString(name)} {\n  traffic { user "u" host a.example up 1MB at 2026-11-20 }\n  expect verdict "a.example" allow\n}\n`,
    });
    const r = await runCli(["test", "t.sanction"], ws);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(TERMINAL_UNSAFE);
    expect(r.stdout.split("\n").filter((l) => /^(PASS|FAIL) /.test(l))).toEqual([expect.stringMatching(/^FAIL real\\nPASS forged \(tests\.sanction:1:1\)\\x1b\[2K \(/)]);
    expect(r.stdout).toMatch(/^0 passed, 1 failed$/m);
  });
});

describe("sanction indicators --diff OLD", () => {
  it("shows OLD's lines with control characters escaped, one line per entry", async () => {
    const old = "# an earlier hosts file, edited by someone else\n0.0.0.0 a.example\n0.0.0.0 \u001b]0;pwned\u0007\u001b[2Jgone.example\r\n0.0.0.0 b\u009b31m.example\n";
    const ws = tempWorkspace({ "p.sanction": 'block domain "a.example"\nblock domain "new.example"\n', "old.hosts": old });
    const r = await runCli(["indicators", "p.sanction", "--target", "hosts", "--diff", "old.hosts"], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(TERMINAL_UNSAFE);
    expect(r.stdout).toBe("- 0.0.0.0 \\x1b]0;pwned\\x07\\x1b[2Jgone.example\n- 0.0.0.0 b\\x9b31m.example\n+ 0.0.0.0 new.example\n1 added, 2 removed\n");
  });
});
