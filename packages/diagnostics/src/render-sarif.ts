import type { Diagnostic, Severity } from "./diagnostic.js";
import { allCodes, codeInfo } from "./codes.js";
import type { SourceLookup } from "./source-file.js";

const level: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note", hint: "note" };

/**
 * SARIF 2.1.0 log for GitHub code scanning and other SARIF consumers. URIs are the paths as
 * given (relative to the workspace root, `%SRCROOT%`); every known code is listed as a rule so
 * rule indexes are stable across runs.
 */
export function toSarif(diagnostics: readonly Diagnostic[], lookup: SourceLookup, tool: { name: string; version: string; informationUri?: string }): object {
  const codes = allCodes();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const region = (file: string, start: number, end: number) => {
    const src = lookup(file);
    if (!src) return { startLine: 1, startColumn: 1 };
    const s = src.lines.position(start);
    const e = src.lines.position(end);
    return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column, charOffset: start, charLength: Math.max(0, end - start) };
  };
  const artifact = (file: string) => ({ uri: encodeURI(file.split("\\").join("/")), uriBaseId: "%SRCROOT%" });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: codes.map((c) => {
              const info = codeInfo(c);
              return {
                id: c,
                name: info.name,
                shortDescription: { text: info.summary },
                defaultConfiguration: { level: level[info.severity] },
              };
            }),
          },
        },
        columnKind: "utf16CodeUnits",
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIndex.get(d.code),
          level: level[d.severity],
          message: { text: d.message },
          locations: [{ physicalLocation: { artifactLocation: artifact(d.span.file), region: region(d.span.file, d.span.start, d.span.end) } }],
          ...(d.related
            ? {
                relatedLocations: d.related.map((r, i) => ({
                  id: i + 1,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: artifact(r.span.file), region: region(r.span.file, r.span.start, r.span.end) },
                })),
              }
            : {}),
          ...(d.fixes
            ? {
                fixes: d.fixes.map((f) => ({
                  description: { text: f.title },
                  artifactChanges: groupEditsByFile(f.edits).map(([file, edits]) => ({
                    artifactLocation: artifact(file),
                    replacements: edits.map((e) => ({
                      deletedRegion: { charOffset: e.span.start, charLength: e.span.end - e.span.start },
                      insertedContent: { text: e.newText },
                    })),
                  })),
                })),
              }
            : {}),
        })),
      },
    ],
  };
}

function groupEditsByFile<E extends { span: { file: string } }>(edits: readonly E[]): [string, E[]][] {
  const m = new Map<string, E[]>();
  for (const e of edits) {
    const list = m.get(e.span.file) ?? [];
    list.push(e);
    m.set(e.span.file, list);
  }
  return [...m.entries()];
}
