import type { Span } from "@sanction/diagnostics";
import { encodeString, KEYWORD_WORDS, tokens as T, type PolicyFile } from "@sanction/syntax";
import type * as A from "@sanction/syntax";
import { findTemplate, METRICS } from "@sanction/semantics";
import { RISK_FAMILIES } from "@sanction/catalog";
import type { FileState, WorkspaceSession } from "./workspace.js";
import { walk } from "./util.js";
import type { FoldingData, Location, Range, SemanticTokenData, SemanticTokenModifier, SemanticTokenType, SymbolData, WorkspaceEditData } from "./types.js";

export type OccurrenceKind = "group" | "app" | "policy" | "template";

/** One written mention of a named thing. */
export interface Occurrence {
  readonly kind: OccurrenceKind;
  /** Identity: group and policy names as written, app names lowercased. */
  readonly key: string;
  readonly name: string;
  readonly span: Span;
  readonly definition: boolean;
  /** A string literal: its span includes the quotes. */
  readonly quoted: boolean;
}

const cache = new WeakMap<PolicyFile, Occurrence[]>();

/** Every mention of a group, custom app, policy or template in one file. */
export function occurrences(file: PolicyFile): Occurrence[] {
  const hit = cache.get(file);
  if (hit) return hit;
  const out: Occurrence[] = [];
  const name = (kind: OccurrenceKind, n: A.Name | undefined, definition: boolean) => {
    if (n) out.push({ kind, key: n.text, name: n.text, span: n.span, definition, quoted: false });
  };
  const str = (kind: OccurrenceKind, s: A.StringLit | A.Name | A.IpLit | undefined, definition: boolean) => {
    if (s && s.kind === "String") out.push({ kind, key: kind === "app" ? s.value.toLowerCase() : s.value, name: s.value, span: s.span, definition, quoted: true });
  };
  walk(file, (n) => {
    switch (n.kind) {
      case "Group":
        name("group", n.name, true);
        break;
      case "ScopeSpec":
        for (const g of [...n.include, ...n.exclude]) name("group", g, false);
        break;
      case "App":
        str("app", n.name, !n.override);
        break;
      case "Decision":
        if (n.target?.text === "app") str("app", n.value, false);
        break;
      case "Expect":
        if (n.what?.text === "app") str("app", n.subject, false);
        if (n.what?.text === "alert") str("policy", n.subject, false);
        break;
      case "Policy":
        str("policy", n.name, true);
        name("template", n.template, false);
        break;
    }
  });
  cache.set(file, out);
  return out;
}

export function occurrenceAt(st: FileState, offset: number): Occurrence | undefined {
  return occurrences(st.parsed.ast).find((o) => o.span.start <= offset && offset <= o.span.end);
}

function locationOf(ws: WorkspaceSession, o: Occurrence): Location | undefined {
  const st = ws.file(o.span.file);
  return st ? { file: st.path, range: st.pos.spanRange(o.span) } : undefined;
}

function allOf(ws: WorkspaceSession, kind: OccurrenceKind, key: string): Occurrence[] {
  return ws.files().flatMap((f) => occurrences(f.parsed.ast).filter((o) => o.kind === kind && o.key === key));
}

export function definition(ws: WorkspaceSession, file: string, offset: number): Location[] {
  const st = ws.file(file);
  const o = st && occurrenceAt(st, offset);
  if (!o) return [];
  return allOf(ws, o.kind, o.key)
    .filter((x) => x.definition)
    .map((x) => locationOf(ws, x))
    .filter((x): x is Location => !!x);
}

export function references(ws: WorkspaceSession, file: string, offset: number, includeDeclaration: boolean): Location[] {
  const st = ws.file(file);
  const o = st && occurrenceAt(st, offset);
  if (!o) return [];
  return allOf(ws, o.kind, o.key)
    .filter((x) => includeDeclaration || !x.definition)
    .map((x) => locationOf(ws, x))
    .filter((x): x is Location => !!x);
}

export function prepareRename(ws: WorkspaceSession, file: string, offset: number): { range: Range; placeholder: string } | { error: string } {
  const st = ws.file(file);
  const o = st && occurrenceAt(st, offset);
  if (!st || !o) return { error: "only groups, custom apps and policies can be renamed" };
  if (o.kind === "template") return { error: "templates are built in and cannot be renamed" };
  if (o.kind === "app" && !allOf(ws, "app", o.key).some((x) => x.definition)) return { error: `"${o.name}" is a catalog app; only apps declared in the workspace can be renamed` };
  return { range: st.pos.spanRange(o.span), placeholder: o.name };
}

export function rename(ws: WorkspaceSession, file: string, offset: number, newName: string): { edit: WorkspaceEditData } | { error: string } {
  const prep = prepareRename(ws, file, offset);
  if ("error" in prep) return prep;
  const st = ws.file(file)!;
  const o = occurrenceAt(st, offset)!;
  if (o.kind === "group" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return { error: `a group name is letters, digits and _, not '${newName}'` };
  if (newName.trim() === "") return { error: "the new name is empty" };
  const edit: WorkspaceEditData = {};
  for (const x of allOf(ws, o.kind, o.key)) {
    const f = ws.file(x.span.file);
    if (!f) continue;
    (edit[f.path] ??= []).push({ range: f.pos.spanRange(x.span), newText: x.quoted ? encodeString(newName) : newName });
  }
  return { edit };
}

function itemSymbol(st: FileState, it: A.Item): SymbolData | undefined {
  const r = (s: Span) => st.pos.spanRange(s);
  const base = { file: st.path, range: r(it.span) };
  switch (it.kind) {
    case "Group":
      return it.name ? { ...base, name: it.name.text, kind: "group", selectionRange: r(it.name.span), detail: `${it.members.length} rule${it.members.length === 1 ? "" : "s"}` } : undefined;
    case "App":
      return it.name ? { ...base, name: it.name.value, kind: it.override ? "override" : "app", selectionRange: r(it.name.span), detail: it.override ? "override app" : "app" } : undefined;
    case "Policy":
      return it.name ? { ...base, name: it.name.value, kind: "policy", selectionRange: r(it.name.span), ...(it.template ? { detail: `template ${it.template.text}` } : {}) } : undefined;
    case "Test":
      return it.name ? { ...base, name: it.name.value, kind: "test", selectionRange: r(it.name.span) } : undefined;
    case "Decision": {
      const v = it.value ? (it.value.kind === "String" ? it.value.value : it.value.kind === "Ip" ? it.value.raw : it.value.text) : "";
      return { ...base, name: `${it.verb.text} ${it.target?.text ?? ""} ${v}`.replace(/\s+/g, " ").trim(), kind: "decision", selectionRange: r(it.verb.span) };
    }
    case "Import":
      return it.path ? { ...base, name: `import ${it.path.value}`, kind: "import", selectionRange: r(it.path.span) } : undefined;
    case "Score":
      return { ...base, name: "score", kind: "score", selectionRange: r({ ...it.span, end: it.span.start + 5 }) };
  }
}

export function documentSymbols(ws: WorkspaceSession, file: string): SymbolData[] {
  const st = ws.file(file);
  if (!st) return [];
  return st.parsed.ast.items.map((it) => itemSymbol(st, it)).filter((s): s is SymbolData => !!s);
}

export function workspaceSymbols(ws: WorkspaceSession, query: string): SymbolData[] {
  const q = query.toLowerCase();
  const out: SymbolData[] = [];
  for (const f of ws.files()) for (const s of documentSymbols(ws, f.path)) if (!q || s.name.toLowerCase().includes(q)) out.push(s);
  return out.slice(0, 1000);
}

export function foldingRanges(ws: WorkspaceSession, file: string): FoldingData[] {
  const st = ws.file(file);
  if (!st) return [];
  const out: FoldingData[] = [];
  const add = (s: Span, kind?: "comment") => {
    const a = st.pos.position(s.start).line;
    const b = st.pos.position(s.end).line;
    if (b > a) out.push({ startLine: a, endLine: b, ...(kind ? { kind } : {}) });
  };
  walk(st.parsed.ast, (n) => {
    if (n.kind === "File" || n.kind === "Comment") return;
    if (["Group", "App", "Policy", "Test", "Traffic", "Score", "Decision"].includes(n.kind)) add(n.span);
  });
  // Runs of comment lines.
  let runStart: number | undefined;
  let last = -2;
  for (const c of st.parsed.ast.comments) {
    const line = st.pos.position(c.span.start).line;
    if (line !== last + 1) {
      if (runStart !== undefined && last > runStart) out.push({ startLine: runStart, endLine: last, kind: "comment" });
      runStart = line;
    }
    last = line;
  }
  if (runStart !== undefined && last > runStart) out.push({ startLine: runStart, endLine: last, kind: "comment" });
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

const KEYWORDS = new Set<string>(KEYWORD_WORDS);
const OPERATOR_TOKENS = new Set(["EqEq", "NotEq", "LtEq", "GtEq", "Lt", "Gt", "Eq", "DotDot"]);
const METRIC_SET = new Set<string>([...METRICS, "score"]);
const FAMILY_SET = new Set<string>([...RISK_FAMILIES, "app", "device", "user"]);

/** Semantic tokens: lexical classes refined by what names refer to. */
export function semanticTokens(ws: WorkspaceSession, file: string): SemanticTokenData[] {
  const st = ws.file(file);
  if (!st) return [];
  const groupDefs = new Map<number, boolean>();
  for (const o of occurrences(st.parsed.ast)) if (o.kind === "group") groupDefs.set(o.span.start, o.definition);
  const templates = new Set<number>();
  for (const it of st.parsed.ast.items) if (it.kind === "Policy" && it.template) templates.add(it.template.span.start);
  const categoryIds = new Set(ws.catalog.categories.map((c) => c.id));
  const out: { start: number; end: number; type: SemanticTokenType; modifiers: SemanticTokenModifier[] }[] = [];
  for (const tok of st.parsed.tokens) {
    const start = tok.startOffset;
    const end = start + tok.image.length;
    const name = tok.tokenType.name;
    let type: SemanticTokenType | undefined;
    const modifiers: SemanticTokenModifier[] = [];
    if (groupDefs.has(start)) {
      type = "variable";
      if (groupDefs.get(start)) modifiers.push("declaration");
    } else if (templates.has(start)) type = "function";
    else if (name === "StringLiteral" || name === "UnterminatedString") type = "string";
    else if (["NumberLiteral", "SizeLiteral", "DurationLiteral", "DateLiteral", "IpLiteral"].includes(name)) type = "number";
    else if (OPERATOR_TOKENS.has(name)) type = "operator";
    else if (name === "DottedName") type = FAMILY_SET.has(tok.image.split(".")[0]!) ? "property" : "string";
    else if (name.startsWith("Kw_") && KEYWORDS.has(tok.image)) type = "keyword";
    else if (tok.tokenType === T.Identifier) {
      if (METRIC_SET.has(tok.image)) type = "property";
      else if (categoryIds.has(tok.image)) type = "enumMember";
      else if (findTemplate(tok.image)) type = "function";
    }
    if (type) out.push({ start, end, type, modifiers });
  }
  for (const c of st.parsed.ast.comments) out.push({ start: c.span.start, end: c.span.end, type: "comment", modifiers: [] });
  out.sort((a, b) => a.start - b.start);
  const data: SemanticTokenData[] = [];
  for (const t of out) {
    const p = st.pos.position(t.start);
    const e = st.pos.position(t.end);
    if (e.line !== p.line || t.end <= t.start) continue;
    data.push({ line: p.line, character: p.character, length: t.end - t.start, type: t.type, modifiers: t.modifiers });
  }
  return data;
}
