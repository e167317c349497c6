import { renderText, sourceMap, hasErrors, visible } from "@sanction/diagnostics";
import { builtinCatalog, type IndexedCatalog } from "@sanction/catalog";
import { analyze, effectiveCatalog, nodeFileHost, type Analysis } from "@sanction/semantics";
import { compile, type Plan, type Stage } from "@sanction/compiler";
import type { CliIO } from "./io.js";
import { EXIT_FINDINGS, EXIT_USAGE, UsageError } from "./io.js";
import { workspaceRoot } from "./workspace-root.js";
import { displayFrom, resolveFrom } from "./paths.js";
import { VERSION } from "./version.js";

export interface Compiled {
  readonly plan: Plan;
  readonly analysis: Analysis;
  readonly catalog: IndexedCatalog;
}

/**
 * Load, parse and check the policy paths given on the command line (default: the working
 * directory), printing one line per path that cannot be read. Undefined when no policy file
 * could be loaded at all (already reported).
 */
export function analyzeEntries(io: CliIO, entries: readonly string[], rootOption?: string): { analysis: Analysis; paths: readonly string[] } | undefined {
  const paths = entries.length ? entries : ["."];
  const root = workspaceRoot(io.cwd, paths, rootOption);
  const analysis = analyze(
    paths.map((p) => resolveFrom(io.cwd, p)),
    { root, host: nodeFileHost, display: (abs) => displayFrom(io.cwd, abs) },
  );
  for (const e of analysis.workspace.entryErrors) io.stderr(`sanction: cannot read ${visible(e.path)}: ${visible(e.reason)}\n`);
  if (analysis.workspace.files.length === 0) {
    if (analysis.workspace.entryErrors.length === 0) io.stderr(`sanction: no .sanction files found in ${visible(paths.join(", "))}\n`);
    return undefined;
  }
  return { analysis, paths };
}

/**
 * The front half every command shares: load, parse and check the policies (printing any
 * diagnostics to stderr), merge workspace apps into the catalog, and compile a plan. Returns an
 * exit code instead when the policies cannot be compiled.
 */
export function loadAndCompile(
  io: CliIO,
  entries: readonly string[],
  opts: { root?: string; asOf?: string; onStage?: (stage: Stage, output: unknown) => void } = {},
): Compiled | { exit: number } {
  const loaded = analyzeEntries(io, entries, opts.root);
  if (!loaded) return { exit: EXIT_USAGE };
  const { analysis } = loaded;
  if (analysis.workspace.entryErrors.length) return { exit: EXIT_USAGE };
  const merged = effectiveCatalog(analysis.model, builtinCatalog(), { sources: analysis.sources });
  // The checker already reports the merge's conflicts (SAN802-SAN804); only the catalog is taken here.
  const diagnostics = analysis.diagnostics;
  const lookup = sourceMap(analysis.sources);
  if (diagnostics.length) io.stderr(renderText(diagnostics, lookup, { color: io.color }));
  if (hasErrors(diagnostics)) {
    io.stderr("sanction: the policies have errors; fix them first (see `sanction check`)\n");
    return { exit: EXIT_FINDINGS };
  }
  const asOf = opts.asOf ?? defaultAsOf(merged.catalog);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new UsageError(`--as-of must be a date such as 2026-11-01, not '${asOf}'`);
  const plan = compile(analysis.model, merged.catalog, { sources: analysis.sources, asOf, generator: `sanction ${VERSION}`, ...(opts.onStage ? { onStage: opts.onStage } : {}) });
  return { plan, analysis, catalog: merged.catalog };
}

/**
 * Age-based risk attributes (domain age, last breach) are measured at a date that is part of
 * the input, never the clock: by default the newest provenance date in the catalog data.
 */
export function defaultAsOf(catalog: IndexedCatalog): string {
  let latest = "2000-01-01";
  for (const app of catalog.apps()) {
    for (const v of Object.values(app.attributes)) {
      if (v.known && /^\d{4}-\d{2}-\d{2}/.test(v.provenance.date) && v.provenance.date > latest) latest = v.provenance.date;
    }
  }
  return latest.slice(0, 10);
}
