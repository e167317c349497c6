import * as path from "node:path";
import { compareDiagnostics, diagnostic, SourceFile, type Diagnostic } from "@sanction/diagnostics";
import { parse, type ParseResult } from "@sanction/syntax";
import { builtinCatalog, type IndexedCatalog } from "@sanction/catalog";
import { checkFiles, decodePolicyText, effectiveCatalog, nodeFileHost, type FileHost, type Model } from "@sanction/semantics";
import { Positions } from "./util.js";
import type { IdeDiagnostic, FixData, Range } from "./types.js";

export interface WorkspaceOptions {
  /** The workspace folder: its `.sanction` files are checked together; imports stay inside it. */
  readonly root: string;
  readonly host?: FileHost;
  readonly catalog?: IndexedCatalog;
  /** Traffic logs (files or folders, relative to the root) for code lenses, inlay hints and simulation. */
  readonly trafficSamples?: readonly string[];
  /** Extra policy files (e.g. shared `app` declarations outside the folder), relative to the root. */
  readonly catalogFiles?: readonly string[];
  /** Diagnostics reported per file before a SAN902 note says the rest were left out. */
  readonly maxDiagnosticsPerFile?: number;
}

export interface FileState {
  readonly path: string;
  readonly text: string;
  /** Editor version when the file is open, else undefined. */
  readonly version: number | undefined;
  readonly parsed: ParseResult;
  readonly pos: Positions;
}

export interface Checked {
  readonly generation: number;
  readonly model: Model;
  /** Diagnostics by file (absolute path), capped, in stable order. */
  readonly byFile: ReadonlyMap<string, Diagnostic[]>;
  readonly errors: boolean;
}

export const DEFAULT_MAX_DIAGNOSTICS_PER_FILE = 1000;

/**
 * The editor session: the workspace's files on disk with the open editor buffers laid over
 * them. An edit re-parses only the edited file (parses are cached by text) and re-checks the
 * workspace lazily, when a feature next needs the checked model.
 */
export class WorkspaceSession {
  readonly root: string;
  readonly host: FileHost;
  readonly catalog: IndexedCatalog;
  options: WorkspaceOptions;
  private readonly open = new Map<string, { text: string; version: number }>();
  private disk: Map<string, string | undefined> | undefined;
  private readonly parsed = new Map<string, FileState>();
  private generation = 0;
  private checked: Checked | undefined;
  private effective: { generation: number; catalog: IndexedCatalog } | undefined;

  constructor(options: WorkspaceOptions) {
    this.options = options;
    this.root = path.resolve(options.root);
    this.host = options.host ?? nodeFileHost;
    this.catalog = options.catalog ?? builtinCatalog();
  }

  /** Settings changed (traffic samples, catalog files). */
  configure(update: Partial<Pick<WorkspaceOptions, "trafficSamples" | "catalogFiles" | "maxDiagnosticsPerFile">>): void {
    this.options = { ...this.options, ...update };
    this.invalidateDisk();
  }

  get version(): number {
    return this.generation;
  }

  openDocument(file: string, text: string, version: number): void {
    this.open.set(path.resolve(file), { text, version });
    this.generation++;
  }
  changeDocument(file: string, text: string, version: number): void {
    this.openDocument(file, text, version);
  }
  closeDocument(file: string): void {
    this.open.delete(path.resolve(file));
    this.generation++;
  }
  /** A file changed, appeared or disappeared on disk. */
  invalidateDisk(): void {
    this.disk = undefined;
    this.generation++;
  }

  isOpen(file: string): boolean {
    return this.open.has(path.resolve(file));
  }

  private diskFiles(): Map<string, string | undefined> {
    if (this.disk) return this.disk;
    const listed = this.host.listPolicyFiles(this.root) ?? [];
    const extra = (this.options.catalogFiles ?? []).map((f) => path.resolve(this.root, f));
    const m = new Map<string, string | undefined>();
    for (const f of [...listed, ...extra]) m.set(path.resolve(f), undefined);
    return (this.disk = m);
  }

  private readDisk(file: string): string | undefined {
    const disk = this.diskFiles();
    const cached = disk.get(file);
    if (cached !== undefined) return cached;
    const r = this.host.read(file);
    if ("error" in r) return undefined;
    const d = decodePolicyText(r.bytes);
    if ("error" in d) return undefined;
    disk.set(file, d.text);
    return d.text;
  }

  /** Current text of a file: the editor buffer when open, else the disk. */
  text(file: string): string | undefined {
    const abs = path.resolve(file);
    return this.open.get(abs)?.text ?? this.readDisk(abs);
  }

  /** The parsed file (cached by text). */
  file(file: string): FileState | undefined {
    const abs = path.resolve(file);
    const text = this.text(abs);
    if (text === undefined) return undefined;
    const prev = this.parsed.get(abs);
    const version = this.open.get(abs)?.version;
    if (prev && prev.text === text) {
      if (prev.version === version) return prev;
      const next = { ...prev, version };
      this.parsed.set(abs, next);
      return next;
    }
    const st: FileState = { path: abs, text, version, parsed: parse(text, abs), pos: new Positions(text) };
    this.parsed.set(abs, st);
    return st;
  }

  /** Every file of the workspace: disk files, open buffers and what they import, sorted. */
  files(): FileState[] {
    const names = new Set<string>([...this.diskFiles().keys(), ...this.open.keys()]);
    const out = new Map<string, FileState>();
    const queue = [...names].sort();
    while (queue.length) {
      const f = queue.shift()!;
      if (out.has(f)) continue;
      const st = this.file(f);
      if (!st) continue;
      out.set(f, st);
      for (const it of st.parsed.ast.items) {
        if (it.kind !== "Import" || !it.path) continue;
        const target = path.resolve(path.dirname(f), it.path.value);
        if (!out.has(target) && insideRoot(this.root, target) && this.text(target) !== undefined) queue.push(target);
      }
    }
    for (const k of this.parsed.keys()) if (!out.has(k)) this.parsed.delete(k);
    return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Check the whole workspace (cached until the next edit). */
  check(): Checked {
    if (this.checked && this.checked.generation === this.generation) return this.checked;
    const files = this.files();
    const result = checkFiles(
      files.map((f) => f.parsed.ast),
      this.catalog,
    );
    const all = [...importDiagnostics(this, files), ...files.flatMap((f) => f.parsed.diagnostics), ...result.diagnostics].sort(compareDiagnostics);
    const byFile = new Map<string, Diagnostic[]>();
    for (const f of files) byFile.set(f.path, []);
    for (const d of all) {
      const list = byFile.get(d.span.file);
      if (list) list.push(d);
      else byFile.set(d.span.file, [d]);
    }
    const cap = this.options.maxDiagnosticsPerFile ?? DEFAULT_MAX_DIAGNOSTICS_PER_FILE;
    for (const [f, list] of byFile) {
      if (list.length > cap) {
        const rest = list.length - cap;
        const kept = list.slice(0, cap);
        kept.push(diagnostic("SAN902", { file: f, start: 0, end: 0 }, `${rest} more diagnostics in this file were not reported; fix the ones above first`));
        byFile.set(f, kept);
      }
    }
    this.checked = { generation: this.generation, model: result.model, byFile, errors: all.some((d) => d.severity === "error") };
    return this.checked;
  }

  /** The catalog with the workspace's own apps and overrides merged in. */
  effectiveCatalog(): IndexedCatalog {
    const c = this.check();
    if (this.effective && this.effective.generation === c.generation) return this.effective.catalog;
    const sources = this.files().map((f) => new SourceFile(f.path, f.text));
    const catalog = effectiveCatalog(c.model, this.catalog, { sources }).catalog;
    this.effective = { generation: c.generation, catalog };
    return catalog;
  }

  sources(): SourceFile[] {
    return this.files().map((f) => new SourceFile(f.path, f.text));
  }

  /** Diagnostics of one file, as editor data. */
  diagnostics(file: string): IdeDiagnostic[] {
    const abs = path.resolve(file);
    const st = this.file(abs);
    if (!st) return [];
    return (this.check().byFile.get(abs) ?? []).map((d) => this.toIde(d, st));
  }

  /** Every file that has (or may have had) diagnostics: file → diagnostics. */
  allDiagnostics(): Map<string, IdeDiagnostic[]> {
    const out = new Map<string, IdeDiagnostic[]>();
    for (const f of this.check().byFile.keys()) out.set(f, this.diagnostics(f));
    return out;
  }

  toIde(d: Diagnostic, st: FileState): IdeDiagnostic {
    const rangeIn = (file: string, start: number, end: number): Range => (file === st.path ? st.pos : this.file(file)?.pos ?? st.pos).range(start, end);
    const out: { -readonly [K in keyof IdeDiagnostic]: IdeDiagnostic[K] } = {
      range: rangeIn(d.span.file, d.span.start, d.span.end),
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
    if (d.related?.length) out.related = d.related.map((r) => ({ location: { file: r.span.file, range: rangeIn(r.span.file, r.span.start, r.span.end) }, message: r.message }));
    if (d.fixes?.length) {
      out.fixes = d.fixes.map((f): FixData => {
        const edit: Record<string, { range: Range; newText: string }[]> = {};
        for (const e of f.edits) (edit[e.span.file] ??= []).push({ range: rangeIn(e.span.file, e.span.start, e.span.end), newText: e.newText });
        return { title: f.title, edit };
      });
    }
    return out;
  }
}

export function insideRoot(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The loader's checks on imports (SAN201–SAN203, SAN206), over the session's files. */
function importDiagnostics(ws: WorkspaceSession, files: readonly FileState[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const known = new Set(files.map((f) => f.path));
  const edges = new Map<string, { target: string; at: Diagnostic["span"] }[]>();
  for (const f of files) {
    const seen = new Set<string>();
    const list: { target: string; at: Diagnostic["span"] }[] = [];
    edges.set(f.path, list);
    for (const it of f.parsed.ast.items) {
      if (it.kind !== "Import" || !it.path) continue;
      const spec = it.path.value;
      const at = it.path.span;
      if (path.isAbsolute(spec) || /^[A-Za-z]:[\\/]/.test(spec) || spec.startsWith("\\")) {
        out.push(diagnostic("SAN202", at, `import paths must be relative to the importing file, not absolute: "${spec}"`));
        continue;
      }
      const target = path.resolve(path.dirname(f.path), spec);
      if (!insideRoot(ws.root, target)) {
        out.push(diagnostic("SAN202", at, `import "${spec}" points outside the workspace folder ${ws.root}`));
        continue;
      }
      if (seen.has(target)) {
        out.push(diagnostic("SAN206", at, `"${spec}" is already imported above`));
        continue;
      }
      seen.add(target);
      if (!known.has(target)) {
        out.push(diagnostic("SAN201", at, `cannot import "${spec}": no such file or directory`));
        continue;
      }
      list.push({ target, at });
    }
  }
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const e of edges.get(node) ?? []) {
      const s = state.get(e.target);
      if (s === "open") {
        const cycle = stack.slice(stack.indexOf(e.target)).concat(e.target).map((f) => path.relative(ws.root, f));
        out.push(diagnostic("SAN203", e.at, `import cycle: ${cycle.join(" → ")}`));
      } else if (s === undefined) visit(e.target);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const n of [...edges.keys()].sort()) if (!state.has(n)) visit(n);
  return out;
}
