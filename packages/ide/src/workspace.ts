import * as path from "node:path";
import { compareDiagnostics, diagnostic, SourceFile, type Diagnostic } from "@sanction/diagnostics";
import { parse, type ParseResult } from "@sanction/syntax";
import { builtinCatalog, type IndexedCatalog } from "@sanction/catalog";
import { checkFiles, decodePolicyText, effectiveCatalog, isInside, nodeFileHost, MAX_POLICY_FILE_BYTES, type FileHost, type Model } from "@sanction/semantics";
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
  /**
   * Files of at least this many characters may be read from their last parse while they are
   * being edited, by features of other files run inside `relaxed()` (see there). Unset: never.
   */
  readonly staleAfterChars?: number;
}

export interface FileState {
  readonly path: string;
  readonly text: string;
  /** Editor version when the file is open, else undefined. */
  readonly version: number | undefined;
  readonly parsed: ParseResult;
  readonly pos: Positions;
  /** Why the file is not parsed (over the size bound, unreadable): a SAN20x diagnostic. */
  readonly refused?: Diagnostic;
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
  /** Disk files that cannot be policy text (too large, binary, unreadable): path → diagnostic. */
  private diskErrors = new Map<string, { code: "SAN201" | "SAN204" | "SAN205"; reason: string }>();
  private readonly parsed = new Map<string, FileState>();
  private generation = 0;
  /** Bumped when the set of files or the settings change (not on an edit of an open buffer's text). */
  private configGeneration = 0;
  /** `exact`: no input was a stale parse, so the result holds for `generation` outside `relaxed()` too. */
  private checked: (Checked & { inputs: readonly FileState[]; config: number; exact: boolean }) | undefined;
  private relaxedDepth = 0;
  private staleReads = 0;
  private effective: { model: Model; catalog: IndexedCatalog } | undefined;

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
    const abs = path.resolve(file);
    if (!this.open.has(abs)) this.configGeneration++;
    this.open.set(abs, { text, version });
    this.generation++;
  }
  changeDocument(file: string, text: string, version: number): void {
    this.openDocument(file, text, version);
  }
  closeDocument(file: string): void {
    this.open.delete(path.resolve(file));
    this.generation++;
    this.configGeneration++;
  }
  /** A file changed, appeared or disappeared on disk. */
  invalidateDisk(): void {
    this.disk = undefined;
    this.diskErrors = new Map();
    this.generation++;
    this.configGeneration++;
  }

  /**
   * Run a read-only feature (completion, hover, symbols…) allowing large files other than the
   * ones it asks for by name to be read from their last parse: typing in a 100,000-line file
   * must not make every hover in a small one wait for that file's re-parse and re-check.
   * Features that edit (rename, formatting, code actions) or report locations run without it.
   */
  relaxed<T>(fn: () => T): T {
    this.relaxedDepth++;
    try {
      return fn();
    } finally {
      this.relaxedDepth--;
    }
  }

  /** Why a file on disk cannot be read as policy text (SAN201, SAN204, SAN205), if it cannot. */
  readError(file: string): { code: "SAN201" | "SAN204" | "SAN205"; reason: string } | undefined {
    return this.diskErrors.get(path.resolve(file));
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
    if (this.diskErrors.has(file)) return undefined;
    const r = this.host.read(file);
    // A listed file that cannot be read is reported on that file, as the CLI's loader does.
    const refuse = (code: "SAN201" | "SAN204" | "SAN205", reason: string) => {
      this.diskErrors.set(file, { code, reason });
      return undefined;
    };
    if ("error" in r) return refuse(r.error.startsWith("larger than") ? "SAN205" : "SAN201", r.error);
    const d = decodePolicyText(r.bytes);
    if ("error" in d) return refuse("SAN204", d.error);
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
    const st = parseFile(abs, text, version);
    this.parsed.set(abs, st);
    return st;
  }

  /** Like `file`, but a large file being edited may come from its last parse inside `relaxed()`. */
  private fileForOthers(abs: string): FileState | undefined {
    const limit = this.options.staleAfterChars;
    if (this.relaxedDepth > 0 && limit !== undefined) {
      const prev = this.parsed.get(abs);
      const text = this.open.get(abs)?.text;
      if (prev && text !== undefined && text.length >= limit && prev.text.length >= limit) {
        if (prev.text !== text) this.staleReads++;
        return prev;
      }
    }
    return this.file(abs);
  }

  /** Every file of the workspace: disk files, open buffers and what they import, sorted. */
  files(): FileState[] {
    const names = new Set<string>([...this.diskFiles().keys(), ...this.open.keys()]);
    const out = new Map<string, FileState>();
    const queue = [...names].sort();
    while (queue.length) {
      const f = queue.shift()!;
      if (out.has(f)) continue;
      const st = this.fileForOthers(f);
      if (!st) continue;
      out.set(f, st);
      for (const it of st.parsed.ast.items) {
        if (it.kind !== "Import" || !it.path) continue;
        const target = path.resolve(path.dirname(f), it.path.value);
        if (!out.has(target) && isInside(this.root, target) && this.text(target) !== undefined) queue.push(target);
      }
    }
    for (const k of this.parsed.keys()) if (!out.has(k)) this.parsed.delete(k);
    return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Check the whole workspace (cached until the next edit). */
  check(): Checked {
    if (this.checked && this.checked.generation === this.generation && (this.checked.exact || this.relaxedDepth > 0)) return this.checked;
    const staleBefore = this.staleReads;
    const files = this.files();
    const exact = this.staleReads === staleBefore;
    // Nothing the check reads changed (an edit was to a file read from its last parse, or
    // undone): keep the result.
    const prev = this.checked;
    if (prev && prev.config === this.configGeneration && prev.inputs.length === files.length && prev.inputs.every((f, i) => f === files[i])) {
      // Exact only if this reading was: the same parse objects may now be stale ones.
      this.checked = { ...prev, generation: this.generation, exact };
      return this.checked;
    }
    const result = checkFiles(
      files.map((f) => f.parsed.ast),
      this.catalog,
    );
    // Listed files that cannot be read are reported on themselves (imports of them, at the import).
    const listed = this.diskFiles();
    const unreadable = [...this.diskErrors].filter(([f]) => listed.has(f) && !this.open.has(f)).map(([f, e]) => diagnostic(e.code, { file: f, start: 0, end: 0 }, `cannot read ${path.basename(f)}: ${e.reason}`));
    const refused = [...unreadable, ...files.flatMap((f) => (f.refused ? [f.refused] : []))];
    const all = [...refused, ...importDiagnostics(this, files), ...files.flatMap((f) => f.parsed.diagnostics), ...result.diagnostics].sort(compareDiagnostics);
    const byFile = new Map<string, Diagnostic[]>();
    for (const f of files) byFile.set(f.path, []);
    for (const d of unreadable) byFile.set(d.span.file, []);
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
    this.checked = { generation: this.generation, model: result.model, byFile, errors: all.some((d) => d.severity === "error"), inputs: files, config: this.configGeneration, exact };
    return this.checked;
  }

  /** The catalog with the workspace's own apps and overrides merged in. */
  effectiveCatalog(): IndexedCatalog {
    const c = this.check();
    if (this.effective && this.effective.model === c.model) return this.effective.catalog;
    const sources = this.files().map((f) => new SourceFile(f.path, f.text));
    const catalog = effectiveCatalog(c.model, this.catalog, { sources }).catalog;
    this.effective = { model: c.model, catalog };
    return catalog;
  }

  sources(): SourceFile[] {
    return this.files().map((f) => new SourceFile(f.path, f.text));
  }

  /** Diagnostics of one file, as editor data. */
  diagnostics(file: string): IdeDiagnostic[] {
    const abs = path.resolve(file);
    const list = this.check().byFile.get(abs) ?? [];
    if (list.length === 0) return [];
    const st = this.file(abs) ?? parseFile(abs, "", undefined);
    return list.map((d) => this.toIde(d, st));
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

/**
 * Parse one file's text. Text over the loader's size bound is not parsed: the file gets a
 * SAN205 diagnostic instead, as `sanction check` refuses it.
 */
function parseFile(abs: string, text: string, version: number | undefined): FileState {
  // UTF-8 is at most 3 bytes per UTF-16 unit: only texts that may be over the bound are measured.
  if (text.length * 3 > MAX_POLICY_FILE_BYTES && Buffer.byteLength(text, "utf8") > MAX_POLICY_FILE_BYTES) {
    const mib = MAX_POLICY_FILE_BYTES / 1024 / 1024;
    const refused = diagnostic("SAN205", { file: abs, start: 0, end: 0 }, `this file is larger than ${mib} MiB (${(Buffer.byteLength(text, "utf8") / 1024 / 1024).toFixed(1)} MiB): it is not parsed or checked; split it into files that import each other`);
    return { path: abs, text, version, parsed: parse("", abs), pos: new Positions(text), refused };
  }
  return { path: abs, text, version, parsed: parse(text, abs), pos: new Positions(text) };
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
      if (!isInside(ws.root, target)) {
        out.push(diagnostic("SAN202", at, `import "${spec}" points outside the workspace folder ${ws.root}`));
        continue;
      }
      if (seen.has(target)) {
        out.push(diagnostic("SAN206", at, `"${spec}" is already imported above`));
        continue;
      }
      seen.add(target);
      if (!known.has(target)) {
        const refused = ws.readError(target);
        out.push(diagnostic(refused?.code ?? "SAN201", at, `cannot import "${spec}": ${refused?.reason ?? "no such file or directory"}`));
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
