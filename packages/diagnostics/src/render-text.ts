import type { Diagnostic } from "./diagnostic.js";
import type { SourceLookup } from "./source-file.js";
import { hasUnsafeChar, unsafeOffsets, visible, visibleChar } from "./visible.js";

const TAB_STOP = 4;

/**
 * A source line as printed under a diagnostic, with the caret's columns in it. The caret line
 * is made of spaces, so a tab expands to the next multiple of four columns; any other
 * control character, bidi override or line separator is shown as its escape (`\x1b` takes four
 * columns, and the caret moves by as much). `from` and `to` are code-unit offsets in `line`.
 */
function shownLine(line: string, from: number, to: number): { text: string; caretFrom: number; caretTo: number } {
  // Most lines hold nothing to escape: shown as they are (one scan, no copy).
  if (!hasUnsafeChar(line)) return { text: line, caretFrom: from, caretTo: to };
  let text = "";
  let pos = 0;
  let caretFrom = -1;
  let caretTo = -1;
  // Copies the plain run [pos, end), placing the caret's ends that fall in it.
  const plain = (end: number) => {
    if (caretFrom < 0 && from <= end) caretFrom = text.length + (from - pos);
    if (caretTo < 0 && to <= end) caretTo = text.length + (to - pos);
    text += line.slice(pos, end);
  };
  for (const at of unsafeOffsets(line)) {
    plain(at);
    const c = line[at]!;
    text += c === "\t" ? " ".repeat(TAB_STOP - (text.length % TAB_STOP)) : visibleChar(c);
    pos = at + 1;
  }
  plain(line.length);
  return { text, caretFrom, caretTo };
}

/**
 * `file:line:col: severity CODE: message`, then the source line with a caret underline, like
 * compilers print. `color` adds ANSI colours for terminals. Text from the workspace (file
 * names, messages quoting policy strings, the source line) passes through `visible`, so a
 * policy cannot send escape sequences to the terminal or forge lines in a CI log.
 */
export function renderText(diagnostics: readonly Diagnostic[], lookup: SourceLookup, opts: { color?: boolean; snippets?: boolean } = {}): string {
  const c = opts.color
    ? { red: "\x1b[31m", yellow: "\x1b[33m", blue: "\x1b[34m", bold: "\x1b[1m", dim: "\x1b[2m", off: "\x1b[0m" }
    : { red: "", yellow: "", blue: "", bold: "", dim: "", off: "" };
  const out: string[] = [];
  for (const d of diagnostics) {
    const src = lookup(d.span.file);
    const pos = src ? src.lines.position(d.span.start) : { line: 1, column: 1 };
    const colour = d.severity === "error" ? c.red : d.severity === "warning" ? c.yellow : c.blue;
    out.push(`${c.bold}${visible(d.span.file)}:${pos.line}:${pos.column}${c.off}: ${colour}${d.severity} ${d.code}${c.off}: ${visible(d.message)}`);
    if (src && opts.snippets !== false) {
      const line = src.lines.lineText(pos.line);
      const endPos = src.lines.position(d.span.end);
      const from = Math.min(pos.column - 1, line.length);
      const to = endPos.line === pos.line ? Math.min(endPos.column - 1, line.length) : line.length;
      const shown = shownLine(line, from, to);
      const width = Math.max(1, shown.caretTo - shown.caretFrom);
      const gutter = String(pos.line);
      out.push(`${c.dim}${gutter} |${c.off} ${shown.text}`);
      out.push(`${" ".repeat(gutter.length)} ${c.dim}|${c.off} ${" ".repeat(shown.caretFrom)}${colour}${"^".repeat(width)}${c.off}`);
    }
    for (const r of d.related ?? []) {
      const rs = lookup(r.span.file);
      const rp = rs ? rs.lines.position(r.span.start) : { line: 1, column: 1 };
      out.push(`  note: ${visible(r.span.file)}:${rp.line}:${rp.column}: ${visible(r.message)}`);
    }
    for (const f of d.fixes ?? []) out.push(`  help: ${visible(f.title)}`);
  }
  return out.length ? out.join("\n") + "\n" : "";
}

export function summaryLine(diagnostics: readonly Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  return `${plural(files, "file")} checked: ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}
