import { diagnostic, didYouMean, type Diagnostic, type DiagnosticCode, type Fix, type RelatedInfo, type Span } from "@sanction/diagnostics";
import type { Catalog, CatalogApp } from "@sanction/catalog";
import type * as A from "@sanction/syntax";

/** Declarations collected across the workspace before any item is checked (names are global). */
export interface Symbols {
  readonly groups: Map<string, A.GroupDecl>;
  /** Custom apps, by lowercase name. */
  readonly customApps: Map<string, A.AppDecl>;
  readonly overrides: Map<string, A.AppDecl>;
  readonly policies: Map<string, A.PolicyDecl>;
  readonly tests: Map<string, A.TestDecl>;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly catalog: Catalog,
    readonly symbols: Symbols,
  ) {}

  report(code: DiagnosticCode, at: Span, message: string, extra: { fixes?: Fix[]; related?: RelatedInfo[] } = {}): void {
    this.diagnostics.push(diagnostic(code, at, message, extra));
  }

  /** Report an unknown name with a did-you-mean fix that replaces it. */
  unknown(code: DiagnosticCode, at: Span, what: string, name: string, candidates: Iterable<string>, quote = false): void {
    const suggestion = didYouMean(name, candidates);
    const shown = quote ? `"${name}"` : `\`${name}\``;
    if (suggestion === undefined) {
      this.report(code, at, `unknown ${what} ${shown}`);
      return;
    }
    const replacement = quote ? JSON.stringify(suggestion) : suggestion;
    this.report(code, at, `unknown ${what} ${shown}; did you mean ${quote ? `"${suggestion}"` : `\`${suggestion}\``}?`, {
      fixes: [{ title: `change to ${replacement}`, edits: [{ span: at, newText: replacement }] }],
    });
  }

  /** An app named in a policy or test: a workspace app first, then the catalog. */
  resolveApp(name: string): { custom: A.AppDecl } | { catalog: CatalogApp } | undefined {
    const custom = this.symbols.customApps.get(name.toLowerCase());
    if (custom) return { custom };
    const app = this.catalog.findApp(name);
    return app ? { catalog: app } : undefined;
  }

  appNames(): string[] {
    const names = this.catalog.apps().map((a) => a.name);
    for (const d of this.symbols.customApps.values()) if (d.name) names.push(d.name.value);
    return names;
  }
}
