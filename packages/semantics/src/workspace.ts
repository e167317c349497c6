import * as path from "node:path";
import { diagnostic, type Diagnostic } from "@sanction/diagnostics";
import { parse, type ParseResult, type ImportDecl } from "@sanction/syntax";
import type { FileHost } from "./file-host.js";
import { decodePolicyText } from "./decode.js";

export interface LoadedFile {
  /** Absolute path (symlinks resolved). */
  readonly abs: string;
  /** Path as shown to users and used in spans: relative to the working directory, `/` separators. */
  readonly path: string;
  readonly text: string;
  readonly parsed: ParseResult;
}

export interface Workspace {
  readonly root: string;
  /** Every file loaded, entries and their transitive imports, sorted by path. */
  readonly files: readonly LoadedFile[];
  /** Loader problems: unreadable files, escaping imports, cycles (parse diagnostics are on each file). */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Entry paths (given by the user, or found in a given folder) that do not exist or cannot be
   * read as policy text: binary, not UTF-8, too large. The CLI treats these as I/O errors.
   */
  readonly entryErrors: readonly { readonly path: string; readonly reason: string }[];
}

export interface LoadOptions {
  /** Imports must stay inside this folder. */
  readonly root: string;
  readonly host: FileHost;
  /** Turns an absolute path into the path shown to users. Defaults to relative-to-cwd. */
  readonly display?: (abs: string) => string;
  /** Text to use instead of the file's contents (open editor buffers), by absolute path. */
  readonly overlay?: ReadonlyMap<string, string>;
}

export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, abs);
  const p = rel === "" ? "." : escapes(rel) ? abs : rel;
  return p.split(path.sep).join("/");
}

/** A relative path leaves its base: `..` or `../x`, not a name that merely starts with dots (`..data`). */
function escapes(rel: string): boolean {
  return rel === ".." || rel.startsWith(".." + path.sep) || path.isAbsolute(rel);
}

/** `p` is `dir` or below it (both absolute and normalised); a name such as `..data` is below. */
export function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === "" || !escapes(rel);
}

/**
 * Load the entry files (directories expand to their `.sanction` files) and everything they
 * import. Imports are resolved relative to the importing file and must stay inside `root`,
 * also after symlinks are resolved. Each file is read and parsed once.
 */
export function loadWorkspace(entries: readonly string[], opts: LoadOptions): Workspace {
  const display = opts.display ?? ((abs: string) => displayPath(abs));
  const diagnostics: Diagnostic[] = [];
  const entryErrors: { path: string; reason: string }[] = [];
  const files = new Map<string, LoadedFile>();
  const imports = new Map<string, { decl: ImportDecl; target: string }[]>();
  const rootReal = opts.host.realpath(path.resolve(opts.root)) ?? path.resolve(opts.root);

  const load = (abs: string, onError: (reason: string, code: "SAN201" | "SAN204" | "SAN205") => void): string | undefined => {
    const real = opts.host.realpath(abs) ?? abs;
    if (files.has(real)) return real;
    let text = opts.overlay?.get(real) ?? opts.overlay?.get(abs);
    if (text === undefined) {
      const r = opts.host.read(real);
      if ("error" in r) {
        onError(r.error, r.error.startsWith("larger than") ? "SAN205" : "SAN201");
        return undefined;
      }
      const decoded = decodePolicyText(r.bytes);
      if ("error" in decoded) {
        onError(decoded.error, "SAN204");
        return undefined;
      }
      text = decoded.text;
    }
    const shown = display(real);
    const parsed = parse(text, shown);
    files.set(real, { abs: real, path: shown, text, parsed });
    const edges: { decl: ImportDecl; target: string }[] = [];
    imports.set(real, edges);
    const seen = new Set<string>();
    for (const item of parsed.ast.items) {
      if (item.kind !== "Import" || !item.path) continue;
      const spec = item.path.value;
      const at = item.path.span;
      if (path.isAbsolute(spec) || /^[A-Za-z]:[\\/]/.test(spec) || spec.startsWith("\\")) {
        diagnostics.push(diagnostic("SAN202", at, `import paths must be relative to the importing file, not absolute: "${spec}"`));
        continue;
      }
      const target = path.resolve(path.dirname(real), spec);
      if (!isInside(rootReal, target)) {
        diagnostics.push(diagnostic("SAN202", at, `import "${spec}" points outside the workspace folder ${display(rootReal)}`));
        continue;
      }
      const targetReal = opts.host.realpath(target);
      if (targetReal !== undefined && !isInside(rootReal, targetReal)) {
        diagnostics.push(diagnostic("SAN202", at, `import "${spec}" is a symbolic link to ${targetReal}, outside the workspace folder`));
        continue;
      }
      const key = targetReal ?? target;
      if (seen.has(key)) {
        diagnostics.push(diagnostic("SAN206", at, `"${spec}" is already imported above`));
        continue;
      }
      seen.add(key);
      const loaded = load(target, (reason, code) => diagnostics.push(diagnostic(code, at, `cannot import "${spec}": ${reason}`)));
      if (loaded) edges.push({ decl: item, target: loaded });
    }
    return real;
  };

  for (const entry of entries) {
    const abs = path.resolve(entry);
    const listed = opts.host.listPolicyFiles(abs);
    if (listed !== undefined) {
      for (const f of listed) load(f, (reason) => entryErrors.push({ path: display(f), reason }));
      continue;
    }
    if (opts.host.realpath(abs) === undefined && !opts.overlay?.has(abs)) {
      entryErrors.push({ path: display(abs), reason: "no such file or directory" });
      continue;
    }
    load(abs, (reason) => entryErrors.push({ path: display(abs), reason }));
  }

  diagnostics.push(...findCycles(imports, files));
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: rootReal, files: sorted, diagnostics, entryErrors };
}

/** One SAN203 per import that closes a cycle, naming the whole cycle. */
function findCycles(imports: Map<string, { decl: ImportDecl; target: string }[]>, files: Map<string, LoadedFile>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const edge of imports.get(node) ?? []) {
      const s = state.get(edge.target);
      if (s === "open") {
        const cycle = stack.slice(stack.indexOf(edge.target)).concat(edge.target).map((f) => files.get(f)?.path ?? f);
        out.push(diagnostic("SAN203", edge.decl.path!.span, `import cycle: ${cycle.join(" → ")}`));
      } else if (s === undefined) {
        visit(edge.target);
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...imports.keys()].sort()) if (!state.has(node)) visit(node);
  return out;
}
