import type { Diagnostic } from "./diagnostic.js";
import type { SourceLookup } from "./source-file.js";

/** JSON form of a diagnostic: spans carry both offsets and 1-based line/column. */
export function toJson(diagnostics: readonly Diagnostic[], lookup: SourceLookup): unknown[] {
  const loc = (file: string, start: number, end: number) => {
    const src = lookup(file);
    const s = src ? src.lines.position(start) : { line: 1, column: 1 };
    const e = src ? src.lines.position(end) : s;
    return { file, start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
  return diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    location: loc(d.span.file, d.span.start, d.span.end),
    ...(d.related ? { related: d.related.map((r) => ({ message: r.message, location: loc(r.span.file, r.span.start, r.span.end) })) } : {}),
    ...(d.fixes
      ? { fixes: d.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ location: loc(e.span.file, e.span.start, e.span.end), newText: e.newText })) })) }
      : {}),
  }));
}
