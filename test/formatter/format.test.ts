import { describe, expect, it } from "vitest";
import { format } from "@sanction/formatter";
import { MAX_NESTING } from "@sanction/syntax";

const F = "t.sanction";

describe("format", () => {
  it("returns the canonical text, whether it changed, and the parser diagnostics", () => {
    const r = format('policy "p"{then alert}', F);
    expect(r).toEqual({ text: 'policy "p" {\n  then alert\n}\n', changed: true, diagnostics: [] });
    const again = format(r.text, F);
    expect(again.changed).toBe(false);
    expect(again.text).toBe(r.text);
  });

  it("turns CRLF and lone CR line endings into LF and drops a byte-order mark", () => {
    const r = format('\uFEFF# c\r\nimport "a"\r\n\r\nimport "b"\rimport "c"   \r\n', F);
    expect(r.text).toBe('# c\nimport "a"\n\nimport "b"\nimport "c"\n');
  });

  it("prints nothing for an empty or blank file, and keeps a comment-only file", () => {
    expect(format("", F)).toMatchObject({ text: "", changed: false });
    expect(format(" \n\t\n", F)).toMatchObject({ text: "", changed: true });
    expect(format("#a", F).text).toBe("#a\n");
  });

  it("removes trailing whitespace inside comments but keeps their text verbatim", () => {
    expect(format("#   spaced   out  \t\n", F).text).toBe("#   spaced   out\n");
  });

  it("re-encodes strings with the canonical escapes and keeps other literals as written", () => {
    const r = format('block domain "a\tb" until 2027-01-01T00:00Z\npolicy "p" { when app.x in 007..1.50 then alert(limit: 1.5GB) }', F);
    expect(r.text).toContain('block domain "a\\tb" until 2027-01-01T00:00Z\n');
    expect(r.text).toContain("when app.x in 007..1.50\n");
    expect(r.text).toContain("then alert(limit: 1.5GB)\n");
  });

  it("leaves a file with syntax errors byte-for-byte unchanged and returns the errors", () => {
    for (const text of ['policy "p" {\n  when app.category ==\n', 'app "x" { vendor "unterminated }\n', "@@@", 'policy "p" { then alert }\n}\n']) {
      const r = format(text, F);
      expect(r.text).toBe(text);
      expect(r.changed).toBe(false);
      expect(r.skipped).toBe("syntax-errors");
      expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
    }
  });

  it("leaves a file nested too deeply unchanged (SAN901)", () => {
    const deep = `policy "p" { when ${"(".repeat(MAX_NESTING + 1)}app.x${")".repeat(MAX_NESTING + 1)} }\n`;
    const r = format(deep, F);
    expect(r.text).toBe(deep);
    expect(r.diagnostics.map((d) => d.code)).toContain("SAN901");
  });

  it("formats the deepest nesting the parser accepts", () => {
    const n = MAX_NESTING - 2;
    const r = format(`policy "p" { when ${"not (".repeat(n)}app.x${")".repeat(n)} }`, F);
    expect(r.skipped).toBeUndefined();
    expect(r.text).toBe(`policy "p" {\n  when ${"not (".repeat(n)}app.x${")".repeat(n)}\n}\n`);
  });

  it("puts decision options on their own lines when there is a note or more than one option", () => {
    expect(format('unsanction app "iTunes" mode audit', F).text).toBe('unsanction app "iTunes" mode audit\n');
    expect(format('block domain x.com until 2027-01-01 mode audit', F).text).toBe("block domain x.com\n  until 2027-01-01\n  mode audit\n");
    expect(format('unsanction app "Discord" note "n"', F).text).toBe('unsanction app "Discord"\n  note "n"\n');
  });

  it("prints a traffic record on one line unless a comment sits inside it", () => {
    expect(format('test "t" { traffic {\n user "a"\n host x.com\n} }', F).text).toBe('test "t" {\n  traffic { user "a" host x.com }\n}\n');
    expect(format('test "t" { traffic { # c\n user "a" } }', F).text).toBe('test "t" {\n  traffic { # c\n    user "a"\n  }\n}\n');
  });

  it("moves a comma or closing bracket before a trailing comment", () => {
    expect(format('group g { ip in 10.0.0.0/8 # a\n , 10.1.0.0/16 }', F).text).toBe("group g {\n  ip in 10.0.0.0/8, # a\n    10.1.0.0/16\n}\n");
  });

  it("keeps two comments that would share a line on separate lines", () => {
    const r = format("score { a: high # one\n , # two\n b: low }", F);
    expect(r.text).toBe("score {\n  a: high # one\n  # two\n  b: low\n}\n");
    expect(format(r.text, F).text).toBe(r.text);
  });

  it("formats a large file quickly", () => {
    const item = 'policy "p" { severity high when app.category == cloud_storage and not app.score in 0..2 then alert(limit: 5), tag x } # c\n';
    const text = item.repeat(5000);
    const start = performance.now();
    const r = format(text, F);
    expect(r.skipped).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
