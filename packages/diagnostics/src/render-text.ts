import type { Diagnostic } from "./diagnostic.js";
import type { SourceLookup } from "./source-file.js";

/**
 * `file:line:col: severity CODE: message`, then the source line with a caret underline, like
 * compilers print. `color` adds ANSI colours for terminals.
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
    out.push(`${c.bold}${d.span.file}:${pos.line}:${pos.column}${c.off}: ${colour}${d.severity} ${d.code}${c.off}: ${d.message}`);
    if (src && opts.snippets !== false) {
      const line = src.lines.lineText(pos.line);
      const endPos = src.lines.position(d.span.end);
      const width = endPos.line === pos.line ? Math.max(1, endPos.column - pos.column) : Math.max(1, line.length - pos.column + 1);
      const gutter = String(pos.line);
      out.push(`${c.dim}${gutter} |${c.off} ${line}`);
      out.push(`${" ".repeat(gutter.length)} ${c.dim}|${c.off} ${" ".repeat(pos.column - 1)}${colour}${"^".repeat(width)}${c.off}`);
    }
    for (const r of d.related ?? []) {
      const rs = lookup(r.span.file);
      const rp = rs ? rs.lines.position(r.span.start) : { line: 1, column: 1 };
      out.push(`  note: ${r.span.file}:${rp.line}:${rp.column}: ${r.message}`);
    }
    for (const f of d.fixes ?? []) out.push(`  help: ${f.title}`);
  }
  return out.length ? out.join("\n") + "\n" : "";
}

export function summaryLine(diagnostics: readonly Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  return `${plural(files, "file")} checked: ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}
