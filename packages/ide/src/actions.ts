import { format } from "@sanction/formatter";
import type * as A from "@sanction/syntax";
import { findTemplate, type Template } from "@sanction/semantics";
import type { WorkspaceSession, FileState } from "./workspace.js";
import type { CodeActionData, EditData, Range } from "./types.js";

/** The formatter's edit for a whole file: none when the file has syntax errors or is already formatted. */
export function formatting(ws: WorkspaceSession, file: string): EditData[] {
  const st = ws.file(file);
  if (!st) return [];
  const r = format(st.text, st.path);
  if (r.skipped || !r.changed || r.diagnostics.some((d) => d.severity === "error")) return [];
  return [{ range: st.pos.range(0, st.text.length), newText: r.text }];
}

function overlaps(a: Range, b: Range): boolean {
  const le = (x: Range["start"], y: Range["start"]) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return le(a.start, b.end) && le(b.start, a.end);
}

/** Code actions for a range: the diagnostics' fixes and the policy refactorings. */
export function codeActions(ws: WorkspaceSession, file: string, range: Range): CodeActionData[] {
  const st = ws.file(file);
  if (!st) return [];
  const out: CodeActionData[] = [];
  const diags = ws.diagnostics(file).filter((d) => overlaps(d.range, range));
  let severityFixOffered = false;
  for (const d of diags) {
    for (const f of d.fixes ?? []) {
      out.push({ title: f.title, kind: "quickfix", edit: f.edit, diagnostic: d, preferred: d.fixes!.length === 1 });
      if (d.code === "SAN507") severityFixOffered = true;
    }
  }
  const start = st.pos.offset(range.start);
  const end = st.pos.offset(range.end);
  for (const it of st.parsed.ast.items) {
    if (it.span.end < start || it.span.start > end) continue;
    if (it.kind === "Policy") {
      const t = it.template ? findTemplate(it.template.text) : undefined;
      if (t && it.template) {
        const edits = expandTemplate(st, it, t);
        if (edits) out.push({ title: `expand template ${t.name} into explicit filters`, kind: "refactor.rewrite", edit: { [st.path]: edits } });
      }
      if (!severityFixOffered && !it.clauses.some((c) => c.kind === "Severity")) {
        const sev = t?.defaultSeverity ?? "medium";
        const insert = insertionPoint(st, it);
        if (insert !== undefined) out.push({ title: `add \`severity ${sev}\``, kind: "quickfix", edit: { [st.path]: [{ range: st.pos.range(insert, insert), newText: `\n  severity ${sev}` }] } });
      }
      for (const c of it.clauses) if (c.kind === "Mode" && c.mode?.text === "audit") out.push(auditToEnforce(st, c.mode));
    }
    if (it.kind === "Decision") for (const o of it.options) if (o.name.text === "mode" && o.value?.kind === "Name" && o.value.text === "audit") out.push(auditToEnforce(st, o.value));
  }
  return out;
}

function auditToEnforce(st: FileState, n: A.Name): CodeActionData {
  return { title: "convert `mode audit` to `mode enforce`", kind: "refactor.rewrite", edit: { [st.path]: [{ range: st.pos.spanRange(n.span), newText: "enforce" }] } };
}

/** Offset just after the policy's `{`. */
function insertionPoint(st: FileState, p: A.PolicyDecl): number | undefined {
  const from = p.template?.span.end ?? p.name?.span.end ?? p.span.start;
  const i = st.text.indexOf("{", from);
  return i >= 0 && i < p.span.end ? i + 1 : undefined;
}

/**
 * Rewrite `policy "P" uses template T { … }` without the template: its category filter, its
 * required attestations and score bound become a `when` (ANDed with the policy's own), its
 * thresholds, new-app window and severity become explicit clauses unless the policy sets them.
 */
export function expandTemplate(st: FileState, p: A.PolicyDecl, t: Template): EditData[] | undefined {
  const at = insertionPoint(st, p);
  if (at === undefined || !p.name || !p.template) return undefined;
  const edits: EditData[] = [];
  const r = (s: number, e: number) => st.pos.range(s, e);
  edits.push({ range: r(p.name.span.end, p.template.span.end), newText: "" });
  const written = new Set<string>();
  const filters: string[] = [];
  if (t.category) filters.push(`app.category == ${t.category}`);
  if (t.requires?.length) filters.push(`not (${t.requires.map((x) => `app.${x}`).join(" and ")})`);
  for (const c of p.clauses) {
    if (c.kind !== "Threshold") continue;
    written.add(c.metric.text);
    if (c.metric.text === "score" && c.op && c.value) {
      filters.push(`app.score ${c.op.op} ${st.text.slice(c.value.span.start, c.value.span.end)}`);
      edits.push({ range: r(lineStart(st.text, c.span.start), lineEnd(st.text, c.span.end)), newText: "" });
    }
  }
  for (const th of t.thresholds) if (th.param === "score" && !written.has("score")) filters.push(`app.score ${th.op} ${th.display}`);
  const when = p.clauses.find((c): c is A.WhenClause => c.kind === "When");
  const lines: string[] = [];
  if (!p.clauses.some((c) => c.kind === "Severity")) lines.push(`severity ${t.defaultSeverity}`);
  if (filters.length) {
    const joined = filters.join(" and ");
    if (when?.expr) edits.push({ range: r(when.expr.span.start, when.expr.span.end), newText: `${joined} and (${st.text.slice(when.expr.span.start, when.expr.span.end)})` });
    else lines.push(`when ${joined}`);
  }
  for (const th of t.thresholds) if (th.param !== "score" && !written.has(th.param)) lines.push(`${th.param} ${th.op} ${th.display} per day`);
  if (t.firstSeenWithin !== undefined && !p.clauses.some((c) => c.kind === "FirstSeen")) lines.push(`first seen within ${t.firstSeenWithin / 86400}d`);
  if (lines.length) edits.push({ range: r(at, at), newText: lines.map((l) => `\n  ${l}`).join("") });
  return edits.sort((a, b) => (a.range.start.line - b.range.start.line) || (a.range.start.character - b.range.start.character));
}

function lineStart(text: string, o: number): number {
  const i = text.lastIndexOf("\n", o - 1);
  return i + 1;
}
function lineEnd(text: string, o: number): number {
  const i = text.indexOf("\n", o);
  return i < 0 ? text.length : i + 1;
}
