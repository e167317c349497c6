import * as path from "node:path";
import { explainScore, attributeById, categoryById, DEFAULT_SCORE_CONFIG, type CatalogApp, type ScoreConfig } from "@sanction/catalog";
import { KEYWORD_WORDS } from "@sanction/syntax";
import type * as A from "@sanction/syntax";
import { APP_FIELDS, METRIC_DESCRIPTIONS, METRICS, TEMPLATES, findTemplate, templateParameters, type Policy, type Template } from "@sanction/semantics";
import { filterToString } from "@sanction/compiler";
import type { WorkspaceSession, FileState } from "./workspace.js";
import { humanBytes, humanSeconds, itemAt, mdEscape, nodePath } from "./util.js";
import { KEYWORD_DOCS } from "./docs.js";
import { occurrenceAt, occurrences } from "./symbols.js";
import type { CompletionData, CompletionList, HoverData, Position, Range, SignatureData } from "./types.js";

const SEVERITIES = ["informational", "low", "medium", "high"];
const MODES = ["audit", "enforce"];
const ACTIONS: Record<string, { args: { name: string; type: string; doc: string }[]; doc: string }> = {
  alert: { args: [{ name: "limit", type: "NUMBER", doc: "most alerts this policy raises per day" }], doc: KEYWORD_DOCS["alert"]! },
  sanction: { args: [], doc: KEYWORD_DOCS["sanction"]! },
  unsanction: { args: [{ name: "redirect", type: "STRING", doc: "URL users are sent to instead" }], doc: KEYWORD_DOCS["unsanction"]! },
  monitor: {
    args: [
      { name: "redirect", type: "STRING", doc: "URL of the warning page" },
      { name: "bypass", type: "DURATION", doc: "how long a user may continue after the warning (e.g. 24h)" },
    ],
    doc: KEYWORD_DOCS["monitor"]!,
  },
  tag: { args: [], doc: "`tag NAME` — add a custom tag to the app" },
};
const TOP_LEVEL = ["import", "group", "app", "override app", "score", "policy", "test", "sanction app", "unsanction app", "monitor app", "block domain", "warn domain", "audit domain", "allow domain", "block url", "block ip"];
const GROUP_SELECTORS: Record<string, string> = {
  "device.tag": "a device tag (MDE)",
  "device.name": "the device name (glob with `matches`)",
  user: "a user name",
  "user.group": "a directory group of the user",
  ip: "source IP address or CIDR range",
};
const APP_CLAUSES = ["vendor", "domains", "urls", "ips", "category", "hq", "score", "tag"];
const TRAFFIC_FIELDS = ["user", "users", "device", "tag", "group", "ip", "host", "url", "up", "down", "at", "days"];
const IMPORTANCE = ["ignored", "low", "medium", "high", "very_high"];
const SIZE_UNITS = ["B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB"];
const DURATION_UNITS = ["d", "w", "h", "m", "s"];
const MAX_APPS = 200;

function kw(label: string, sort = "1"): CompletionData {
  return { label, kind: "keyword", ...(KEYWORD_DOCS[label.split(" ")[0]!] ? { documentation: KEYWORD_DOCS[label.split(" ")[0]!] } : {}), sortText: sort + label };
}

/** Completion at a position: what may be written there, from the text before the cursor and the enclosing declaration. */
export function completion(ws: WorkspaceSession, file: string, pos: Position): CompletionList {
  const st = ws.file(file);
  if (!st) return { items: [], incomplete: false };
  const offset = st.pos.offset(pos);
  const lineStart = offset - pos.character;
  const before = st.text.slice(Math.max(0, lineStart), offset);
  const wordMatch = /[A-Za-z0-9_.\-*]*$/.exec(before)!;
  const word = wordMatch[0];
  const wordRange: Range = { start: { line: pos.line, character: pos.character - word.length }, end: pos };
  const head = before.slice(0, before.length - word.length);
  const item = itemAt(st.parsed.ast, offset) ?? lastUnclosedItem(st, offset);
  const items: CompletionData[] = [];
  let incomplete = false;
  const add = (xs: CompletionData[]) => items.push(...xs);

  // Inside a string: app names (after `app`), policy names (after `alert`), files (after import).
  const quote = openString(before);
  if (quote !== undefined) {
    const prefix = before.slice(quote + 1);
    const strRange: Range = { start: { line: pos.line, character: quote + 1 - 0 }, end: pos };
    const ctx = before.slice(0, quote);
    if (/\b(app|override app|sanction app|unsanction app|monitor app)\s*$/.test(ctx) || /\bexpect\s+app\s*$/.test(ctx)) {
      const r = appNames(ws, prefix);
      incomplete = r.incomplete;
      add(r.items.map((c) => ({ ...c, range: strRange })));
    } else if (/\balert\s*$/.test(ctx)) {
      add(declared(ws, "policy").map((n) => ({ label: n, kind: "policy" as const, range: strRange })));
    } else if (/\bimport\s*$/.test(ctx)) {
      for (const f of ws.files()) if (f.path !== st.path) add([{ label: path.relative(path.dirname(st.path), f.path).split(path.sep).join("/"), kind: "value", range: strRange }]);
    }
    return { items, incomplete };
  }

  if (word.startsWith("app.") || (/\b(when|and|or|not|\()\s*$/.test(head) && item?.kind === "Policy")) {
    add(attributePaths(ws, "app.", wordRange));
    if (!word.startsWith("app.")) add(["not", "app."].map((k) => kw(k, "2")));
    return { items, incomplete };
  }

  if (/\buses\s+template\s+$/.test(head)) return { items: templateItems(), incomplete: false };
  if (!item) {
    if (/^\s*$/.test(head)) add(TOP_LEVEL.map((k) => kw(k)));
    else if (/\b(sanction|unsanction|monitor)\s+$/.test(head)) add([kw("app")]);
    else if (/\b(block|warn|audit|allow)\s+$/.test(head)) add(["domain", "url", "ip"].map((k) => kw(k)));
    else if (/\bmode\s+$/.test(head)) add(MODES.map((m) => ({ label: m, kind: "value" as const, documentation: KEYWORD_DOCS[m] ?? "" })));
    else if (/\b(scope|except)\s+$|\bscope\s+[\w\s,]*,\s*$/.test(head)) add(groupItems(ws, true));
    else if (/"\s+$/.test(head) || /\d\s+$/.test(head)) add(["until", "mode", "redirect", "bypass", "note", "scope"].map((k) => kw(k)));
    else add(TOP_LEVEL.map((k) => kw(k)));
    return { items, incomplete };
  }

  switch (item.kind) {
    case "Policy": {
      const template = item.template ? findTemplate(item.template.text) : undefined;
      if (/\buses\s+template\s+$/.test(head)) add(templateItems());
      else if (/\buses\s+$/.test(head)) add([kw("template")]);
      else if (/"\s+$/.test(head) && !/\{/.test(st.text.slice(item.span.start, offset))) add([kw("uses template")]);
      else if (/\bseverity\s+$/.test(head)) add(SEVERITIES.map((s) => ({ label: s, kind: "value" as const })));
      else if (/\bmode\s+$/.test(head)) add(MODES.map((m) => ({ label: m, kind: "value" as const, documentation: KEYWORD_DOCS[m] ?? "" })));
      else if (/\b(scope|except)\s+$|\bscope\s+[\w\s,]*,\s*$/.test(head)) add([...groupItems(ws, true)]);
      else if (/\bthen\b.*[,\s]$/.test(head) || /\bthen\s*$/.test(head)) {
        if (/\btag\s+$/.test(head)) break;
        add(Object.entries(ACTIONS).map(([k, v]) => ({ label: k, kind: "action" as const, documentation: v.doc })));
      } else if (/\bapp\.category\s*(==|!=|in)\s*[\w\s,[]*$/.test(head)) add(categoryItems(ws));
      else if (/\bwithin\s+\d+$/.test(head + word) && /^\d+$/.test(word)) add(DURATION_UNITS.map((u) => unit(word + u, wordRange)));
      else if (/\b(upload|download|traffic)\s*(>|>=|<|<=)\s*$/.test(head) && /^\d+(\.\d+)?$/.test(word)) add(SIZE_UNITS.map((u) => unit(word + u, wordRange)));
      else if (/\b(users|devices|ips|transactions|upload|download|traffic)\s*(>|>=|<|<=)\s*\S+\s+$/.test(head)) add([kw("per day")]);
      else if (/\bfirst\s+$/.test(head)) add([kw("seen within")]);
      else if (/^\s*$/.test(head)) {
        add(["severity", "when", "scope", "mode", "then", "first seen within"].map((k) => kw(k)));
        add([...METRICS].map((m) => ({ label: m, kind: "parameter" as const, detail: template ? templateDefault(template, m) : "usage threshold", documentation: METRIC_DESCRIPTIONS[m], sortText: "0" + m })));
        if (template?.thresholds.some((t) => t.param === "score")) add([{ label: "score", kind: "parameter", documentation: METRIC_DESCRIPTIONS.score, sortText: "0score" }]);
      }
      break;
    }
    case "App": {
      if (/\bcategory\s+$/.test(head)) add(categoryItems(ws));
      else if (/^\s*$/.test(head)) {
        add(APP_CLAUSES.map((k) => kw(k)));
        add(attributePaths(ws, "", wordRange).filter((c) => c.label.includes(".")));
      } else if (/=\s*$/.test(head)) add(["true", "false"].map((v) => ({ label: v, kind: "value" as const })));
      break;
    }
    case "Group":
      if (/^\s*$/.test(head) || /\{\s*$/.test(head)) add(Object.entries(GROUP_SELECTORS).map(([k, d]) => ({ label: k, kind: "field" as const, documentation: d })));
      else if (/\b(device\.tag|device\.name|user|user\.group|ip)\s+$/.test(head)) add(["==", "!=", "in", "matches"].map((o) => ({ label: o, kind: "keyword" as const })));
      break;
    case "Score":
      if (/:\s*$/.test(head)) add((/unknown\s*:\s*$/.test(head) ? ["ignored", "counts_as_risk"] : IMPORTANCE).map((v) => ({ label: v, kind: "value" as const })));
      else {
        add(["general", "security", "compliance", "legal", "unknown"].map((f) => ({ label: f, kind: "field" as const })));
        add(attributePaths(ws, "", wordRange).filter((c) => c.label.includes(".") && !/^(name|vendor)/.test(c.label)));
      }
      break;
    case "Test":
      if (/\btraffic\s*\{[^}]*$/.test(st.text.slice(item.span.start, offset)) && /^\s*$/.test(head)) add(TRAFFIC_FIELDS.map((f) => ({ label: f, kind: "field" as const })));
      else if (/\bexpect\s+$/.test(head)) add(["app", "verdict", "alert", "no alert"].map((k) => kw(k)));
      else if (/\bexpect\s+app\s+"[^"]*"\s+(not\s+)?$/.test(head)) add(["sanctioned", "unsanctioned", "monitored", "tagged", "not"].map((v) => ({ label: v, kind: "value" as const })));
      else if (/\bexpect\s+verdict\s+\S+\s+$/.test(head)) add(["allow", "audit", "warn", "block", "for device"].map((v) => ({ label: v, kind: "value" as const })));
      else if (/\b(up|down)\s+$/.test(head) && /^\d+$/.test(word)) add(SIZE_UNITS.map((u) => unit(word + u, wordRange)));
      else if (/^\s*$/.test(head)) add(["traffic", "expect"].map((k) => kw(k)));
      break;
    case "Decision":
      if (/\bmode\s+$/.test(head)) add(MODES.map((m) => ({ label: m, kind: "value" as const })));
      else if (/\b(scope|except)\s+$/.test(head)) add(groupItems(ws, true));
      else if (/\bbypass\s+$/.test(head) && /^\d+$/.test(word)) add(DURATION_UNITS.map((u) => unit(word + u, wordRange)));
      else add(["until", "mode", "redirect", "bypass", "note", "scope"].map((k) => kw(k)));
      break;
    case "Import":
      break;
  }
  if (items.length === 0 && /^\s*$/.test(head) && !item) add(TOP_LEVEL.map((k) => kw(k)));
  return { items, incomplete };
}

function unit(label: string, range: Range): CompletionData {
  return { label, kind: "unit", range, insertText: label };
}

function lastUnclosedItem(st: FileState, offset: number): A.Item | undefined {
  let last: A.Item | undefined;
  for (const it of st.parsed.ast.items) if (it.span.start <= offset) last = it;
  if (!last) return undefined;
  const body = st.text.slice(last.span.start, offset);
  const opens = (body.match(/\{/g) ?? []).length;
  const closes = (body.match(/\}/g) ?? []).length;
  return opens > closes ? last : undefined;
}

/** Index of the quote opening an unterminated string before the cursor on this line, if any. */
function openString(before: string): number | undefined {
  let open: number | undefined;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (c === "#" && open === undefined) return undefined;
    if (c === "\\" && open !== undefined) {
      i++;
      continue;
    }
    if (c === '"') open = open === undefined ? i : undefined;
  }
  return open;
}

function appNames(ws: WorkspaceSession, prefix: string): CompletionList {
  const p = prefix.toLowerCase();
  const out: CompletionData[] = [];
  let incomplete = false;
  const seen = new Set<string>();
  for (const name of declared(ws, "app")) {
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    if (name.toLowerCase().startsWith(p)) out.push({ label: name, kind: "app", detail: "workspace app", sortText: "0" + name });
  }
  for (const a of ws.catalog.apps()) {
    if (seen.has(a.name.toLowerCase())) continue;
    if (!a.name.toLowerCase().startsWith(p)) continue;
    if (out.length >= MAX_APPS) {
      incomplete = true;
      break;
    }
    seen.add(a.name.toLowerCase());
    out.push({ label: a.name, kind: "app", detail: `${a.vendor} · ${a.category}`, sortText: (a.origin === "curated" ? "1" : "2") + a.name });
  }
  return { items: out, incomplete };
}

function attributePaths(ws: WorkspaceSession, prefix: string, range: Range): CompletionData[] {
  const out: CompletionData[] = [];
  for (const [k, v] of Object.entries(APP_FIELDS)) if (prefix) out.push({ label: prefix + k, kind: "attribute", documentation: v.description, range, sortText: "0" + k });
  for (const a of ws.catalog.attributes) {
    const info = attributeById(a.id);
    out.push({ label: prefix + a.id, kind: "attribute", detail: a.label, ...(info ? { documentation: info.description } : {}), range, sortText: "1" + a.id });
  }
  return out;
}

function categoryItems(ws: WorkspaceSession): CompletionData[] {
  return ws.catalog.categories.map((c) => ({ label: c.id, kind: "category" as const, detail: c.label, ...(categoryById(c.id) ? { documentation: categoryById(c.id)!.description } : {}) }));
}

function groupItems(ws: WorkspaceSession, withAll: boolean): CompletionData[] {
  const out: CompletionData[] = declared(ws, "group").map((g) => ({ label: g, kind: "group" as const, detail: "group" }));
  if (withAll) out.push(kw("all"), kw("except"));
  return out;
}

/**
 * Names declared in the workspace, read from the parsed files: completion needs no re-check,
 * so it stays fast right after an edit.
 */
function declared(ws: WorkspaceSession, kind: "group" | "app" | "policy"): string[] {
  const names = new Set<string>();
  for (const f of ws.files()) for (const o of occurrences(f.parsed.ast)) if (o.kind === kind && o.definition) names.add(o.name);
  return [...names].sort();
}

function templateItems(): CompletionData[] {
  return TEMPLATES.map((t) => ({ label: t.name, kind: "template" as const, detail: t.title, documentation: t.description }));
}

function templateDefault(t: Template, param: string): string {
  const th = t.thresholds.find((x) => x.param === param);
  return th ? `template default: ${param} ${th.op} ${th.display}` : "not set by the template";
}

// ---- hover ---------------------------------------------------------------------------------

export function hover(ws: WorkspaceSession, file: string, pos: Position): HoverData | undefined {
  const st = ws.file(file);
  if (!st) return undefined;
  const offset = st.pos.offset(pos);
  const nodes = nodePath(st.parsed.ast, offset);
  const leaf = nodes[nodes.length - 1]!;
  const parent = nodes[nodes.length - 2];
  const range = st.pos.spanRange(leaf.span);
  const occ = occurrenceAt(st, offset);
  if (occ) {
    const r = st.pos.spanRange(occ.span);
    if (occ.kind === "app") {
      const app = ws.effectiveCatalog().findApp(occ.name);
      return { markdown: app ? appCard(app, ws.check().model.score) : `**${mdEscape(occ.name)}** — not in the catalog or the workspace`, range: r };
    }
    if (occ.kind === "template") {
      const t = findTemplate(occ.name);
      return t ? { markdown: templateCard(t), range: r } : undefined;
    }
    if (occ.kind === "policy") {
      const p = ws.check().model.policies.find((x) => x.name === occ.name);
      return p ? { markdown: policySummary(p), range: r } : { markdown: `policy **${mdEscape(occ.name)}** (not checked yet: fix its errors)`, range: r };
    }
    if (occ.kind === "group") {
      const g = ws.check().model.groups.find((x) => x.name === occ.name);
      if (!g) return { markdown: `group \`${occ.name}\` — not defined`, range: r };
      return { markdown: [`**group ${g.name}**`, "", ...g.rules.map((x) => `- ${x.selector} ${x.op} ${x.values.join(", ")}`)].join("\n"), range: r };
    }
  }
  if (leaf.kind === "Name") {
    const text = leaf.text;
    if (text.startsWith("app.")) {
      const rest = text.slice(4);
      const f = APP_FIELDS[rest];
      if (f) return { markdown: `\`${text}\` — ${f.description}`, range };
      const a = attributeById(rest) ?? ws.catalog.findAttribute(rest);
      if (a) return { markdown: attributeDoc(rest, ws), range };
    }
    if (parent?.kind === "AppClause" || parent?.kind === "ScoreEntry") {
      const a = ws.catalog.findAttribute(text);
      if (a) return { markdown: attributeDoc(text, ws), range };
    }
    if (parent?.kind === "Threshold" && (METRIC_DESCRIPTIONS as Record<string, string>)[text]) {
      return { markdown: `\`${text}\` — ${(METRIC_DESCRIPTIONS as Record<string, string>)[text]}`, range };
    }
    const cat = categoryById(text) ?? ws.catalog.findCategory(text);
    if (cat && !KEYWORD_DOCS[text]) return { markdown: `**${cat.label}** (\`${cat.id}\`)${"description" in cat ? ` — ${(cat as { description: string }).description}` : ""}\n\n${ws.catalog.appsInCategory(cat.id).length} catalog apps`, range };
  }
  // A keyword under the cursor.
  const w = wordAt(st.text, offset);
  if (w && (KEYWORD_WORDS as readonly string[]).includes(w.word) && KEYWORD_DOCS[w.word]) return { markdown: `**${w.word}** — ${KEYWORD_DOCS[w.word]}`, range: st.pos.range(w.start, w.end) };
  if (w && (w.word === "enforce" || SEVERITIES.includes(w.word)) ) return { markdown: w.word === "enforce" ? `**enforce** — ${KEYWORD_DOCS["enforce"]}` : `severity **${w.word}**`, range: st.pos.range(w.start, w.end) };
  return undefined;
}

function wordAt(text: string, offset: number): { word: string; start: number; end: number } | undefined {
  let s = offset;
  let e = offset;
  while (s > 0 && /[A-Za-z0-9_]/.test(text[s - 1]!)) s--;
  while (e < text.length && /[A-Za-z0-9_]/.test(text[e]!)) e++;
  return e > s ? { word: text.slice(s, e), start: s, end: e } : undefined;
}

function attributeDoc(id: string, ws: WorkspaceSession): string {
  const a = attributeById(id);
  const def = ws.catalog.findAttribute(id);
  const type = def?.type.kind === "enum" ? `one of ${def.type.values.join(", ")}` : def?.type.kind ?? "";
  return `**${a?.label ?? def?.label ?? id}** (\`app.${id}\`, ${type})${a ? `\n\n${a.description}` : ""}${a && !a.scoring ? "\n\ninformational: not scored" : ""}`;
}

function fmtValue(v: boolean | number | string | undefined): string {
  return v === undefined ? "unknown" : String(v);
}

export function appCard(app: CatalogApp, score: ScoreConfig = DEFAULT_SCORE_CONFIG): string {
  const lines: string[] = [];
  const cat = categoryById(app.category);
  lines.push(`**${mdEscape(app.name)}** — ${mdEscape(app.vendor)}`);
  lines.push("");
  lines.push(`Category: ${cat ? cat.label : app.category} (\`${app.category}\`) · origin: ${app.origin}${app.hq ? ` · HQ: ${app.hq}` : ""}`);
  const doms = app.domains.slice(0, 8).map((d) => `\`${d}\``).join(", ");
  lines.push("");
  lines.push(`Domains: ${doms || "none"}${app.domains.length > 8 ? ` (+${app.domains.length - 8} more)` : ""}`);
  if (app.declaredIn?.length) lines.push("", `Declared in: ${app.declaredIn.join(", ")}`);
  let ex;
  try {
    ex = explainScore(app, score);
  } catch {
    ex = undefined;
  }
  lines.push("");
  if (!ex) lines.push("Score: cannot be computed");
  else if (ex.override) lines.push(`**Score ${ex.total} / 10** (override${ex.override.note ? `: ${mdEscape(ex.override.note)}` : ""})`);
  else if (!ex.scored) lines.push(`**Score: insufficient data**${ex.insufficientData ? ` — ${ex.insufficientData.reason}` : ""} (treated as 0, highest risk)`);
  else lines.push(`**Score ${ex.total.toFixed(1)} / 10** from ${ex.knownCount} known attributes (${ex.unknownCount} unknown, ${ex.unknown})`);
  if (ex && ex.contributions.length) {
    lines.push("", "| attribute | value | score | points | source |", "|---|---|---|---|---|");
    const rows = [...ex.contributions].filter((c) => c.known).sort((a, b) => b.share - a.share).slice(0, 12);
    for (const c of rows) {
      const src = c.provenance ? `${/^https?:/.test(c.provenance.source) ? `[source](${c.provenance.source})` : mdEscape(c.provenance.source)} ${c.provenance.date}` : "";
      lines.push(`| ${c.attribute} | ${mdEscape(fmtValue(c.value))} | ${c.attributeScore.toFixed(0)} | ${c.contribution.toFixed(2)} | ${src} |`);
    }
    const more = ex.contributions.filter((c) => c.known).length - rows.length;
    if (more > 0) lines.push("", `…and ${more} more known attributes`);
  }
  return lines.join("\n");
}

export function templateCard(t: Template): string {
  const lines = [`**template ${t.name}** — ${t.title}`, "", t.description, ""];
  if (t.category) lines.push(`- category: \`${t.category}\``);
  if (t.requires) lines.push(`- matches apps lacking any of: ${t.requires.map((r) => `\`${r}\``).join(", ")}`);
  for (const th of t.thresholds) lines.push(`- ${th.param} ${th.op} ${th.display}${th.param === "score" ? "" : " per day"}`);
  if (t.firstSeenWithin !== undefined) lines.push(`- first seen within ${humanSeconds(t.firstSeenWithin)}`);
  lines.push(`- severity ${t.defaultSeverity}`, "", `Parameters: ${templateParameters(t).join(", ")}`);
  return lines.join("\n");
}

function thresholdText(param: string, op: string, value: number): string {
  const v = param === "upload" || param === "download" || param === "traffic" ? humanBytes(value) : String(value);
  return `${param} ${op} ${v}`;
}

export function policySummary(p: Policy): string {
  const lines = [`**policy ${mdEscape(p.name)}**${p.template ? ` — template \`${p.template}\`` : ""}`, ""];
  lines.push(`- severity ${p.severity} · mode ${p.mode}`);
  lines.push(`- apps: ${mdEscape(filterToString(p.filter))}`);
  for (const t of p.thresholds) lines.push(`- ${thresholdText(t.param, t.op, t.value)}${t.param === "score" ? "" : " per day"}${t.fromTemplate ? " (template default)" : ""}`);
  if (p.firstSeenWithin !== undefined) lines.push(`- first seen within ${humanSeconds(p.firstSeenWithin)}`);
  lines.push(`- scope: ${p.scope.include ? p.scope.include.join(", ") : "all"}${p.scope.exclude.length ? ` except ${p.scope.exclude.join(", ")}` : ""}`);
  lines.push(`- then ${p.actions.map((a) => (a.kind === "tag" ? `tag ${a.tag}` : a.kind)).join(", ")}`);
  return lines.join("\n");
}

// ---- signature help ------------------------------------------------------------------------

export function signatureHelp(ws: WorkspaceSession, file: string, pos: Position): SignatureData | undefined {
  const st = ws.file(file);
  if (!st) return undefined;
  const offset = st.pos.offset(pos);
  const before = st.text.slice(Math.max(0, offset - pos.character), offset);
  // Action arguments: `alert(`, `monitor(redirect: "…", `.
  const call = /\b(alert|sanction|unsanction|monitor)\s*\(([^()]*)$/.exec(before);
  if (call) {
    const a = ACTIONS[call[1]!]!;
    const args = call[2]!;
    const named = /(\w+)\s*:?[^,]*$/.exec(args)?.[1];
    let active = a.args.findIndex((x) => x.name === named);
    if (active < 0) active = Math.min((args.match(/,/g) ?? []).length, Math.max(0, a.args.length - 1));
    return {
      label: `${call[1]}(${a.args.map((x) => `${x.name}: ${x.type}`).join(", ")})`,
      documentation: a.doc,
      parameters: a.args.map((x) => ({ label: `${x.name}: ${x.type}`, documentation: x.doc })),
      activeParameter: active,
    };
  }
  // Template parameters inside `policy … uses template T { … }`.
  const item = itemAt(st.parsed.ast, offset) ?? lastUnclosedItem(st, offset);
  if (item?.kind === "Policy" && item.template && offset > item.template.span.end) {
    const t = findTemplate(item.template.text);
    if (!t) return undefined;
    const params = templateParameters(t);
    const word = /^\s*([a-z]+(?: seen within)?)/.exec(before)?.[1] ?? "";
    const active = Math.max(0, params.findIndex((p) => p === word || (word === "first" && p === "first seen within")));
    const label = (p: string) => {
      if (p === "first seen within") return `first seen within ${t.firstSeenWithin !== undefined ? humanSeconds(t.firstSeenWithin) : "DURATION"}`;
      const th = t.thresholds.find((x) => x.param === p);
      return th ? `${p} ${th.op} ${th.display}` : `${p} > N`;
    };
    return {
      label: `${t.name} { ${params.map(label).join(", ")} }`,
      documentation: t.description,
      parameters: params.map((p) => ({ label: label(p), documentation: p === "first seen within" ? "the new-app window" : (METRIC_DESCRIPTIONS as Record<string, string>)[p] ?? "" })),
      activeParameter: active,
    };
  }
  return undefined;
}
