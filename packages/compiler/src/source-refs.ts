import type { SourceFile, Span } from "@sanction/diagnostics";

/** Turns spans into `file:line:col` strings; the plan keeps these instead of offsets. */
export function sourceRefs(sources: readonly SourceFile[]): (span: Span) => string {
  const byPath = new Map(sources.map((s) => [s.path, s]));
  return (span) => {
    const src = byPath.get(span.file);
    if (!src) return span.file;
    const p = src.lines.position(span.start);
    return `${span.file}:${p.line}:${p.column}`;
  };
}
