import { compareDiagnostics, SourceFile, type Diagnostic } from "@sanction/diagnostics";
import { builtinCatalog, type Catalog } from "@sanction/catalog";
import { checkFiles } from "./check.js";
import type { Model } from "./model.js";
import { loadWorkspace, type LoadOptions, type Workspace } from "./workspace.js";

export interface Analysis {
  readonly workspace: Workspace;
  readonly model: Model;
  /** Every diagnostic (loader, syntax, semantic), in stable order. */
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceFile[];
}

/** Load, parse and check a set of policy paths: the one entry point the CLI and tools use. */
export function analyze(entries: readonly string[], opts: LoadOptions & { catalog?: Catalog }): Analysis {
  const workspace = loadWorkspace(entries, opts);
  const catalog = opts.catalog ?? builtinCatalog();
  const checked = checkFiles(
    workspace.files.map((f) => f.parsed.ast),
    catalog,
  );
  const diagnostics = [...workspace.diagnostics, ...workspace.files.flatMap((f) => f.parsed.diagnostics), ...checked.diagnostics].sort(compareDiagnostics);
  return {
    workspace,
    model: checked.model,
    diagnostics,
    sources: workspace.files.map((f) => new SourceFile(f.path, f.text)),
  };
}
