import type { Span } from "./span.js";
import { codeInfo, type DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning" | "info" | "hint";

/** Replace the text covered by `span` with `newText`. */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A machine-applicable fix, offered by the CLI (`--fix` later), the language server and SARIF. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

/**
 * The one diagnostic type of Sanction. Every layer reports problems as these; the CLI renders
 * them as text, JSON or SARIF and the language server converts them one to one. Messages are
 * lowercase without a final period (the style of rustc, Cedar, OPA).
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly fixes?: readonly Fix[];
  readonly related?: readonly RelatedInfo[];
}

export function diagnostic(
  code: DiagnosticCode,
  span: Span,
  message: string,
  extra: { fixes?: Fix[]; related?: RelatedInfo[]; severity?: Severity } = {},
): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: extra.severity ?? codeInfo(code).severity,
    message,
    span,
  };
  if (extra.fixes && extra.fixes.length > 0) d.fixes = extra.fixes;
  if (extra.related && extra.related.length > 0) d.related = extra.related;
  return d;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Stable order: file, position, then code, so output is byte-identical run to run. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  if (a.span.start !== b.span.start) return a.span.start - b.span.start;
  if (a.span.end !== b.span.end) return a.span.end - b.span.end;
  if (a.severity !== b.severity) return severityRank[a.severity] - severityRank[b.severity];
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
