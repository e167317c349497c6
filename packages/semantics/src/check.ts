import { compareDiagnostics, type Diagnostic } from "@sanction/diagnostics";
import type { Catalog, ScoreConfig } from "@sanction/catalog";
import type * as A from "@sanction/syntax";
import { CheckContext, type Symbols } from "./context.js";
import type { AppDef, Decision, Group, Model, Policy, TestCase } from "./model.js";
import { checkGroup } from "./checks/groups.js";
import { checkApp } from "./checks/apps.js";
import { checkScore } from "./checks/score.js";
import { checkPolicy } from "./checks/policies.js";
import { checkDecision, checkDecisionConflicts } from "./checks/decisions.js";
import { checkTest } from "./checks/tests.js";
import { slugify } from "./slug.js";
import { effectiveCatalog } from "./effective-catalog.js";

export interface CheckResult {
  readonly model: Model;
  readonly diagnostics: Diagnostic[];
}

/**
 * Check parsed files as one workspace: names are global across the files, so a policy may
 * scope to a group defined in another file. Files are visited in path order, items in source
 * order, so "first definition" and the output are deterministic.
 */
export function checkFiles(files: readonly A.PolicyFile[], catalog: Catalog): CheckResult {
  const ordered = [...files].sort((a, b) => (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0));
  const items = ordered.flatMap((f) => f.items);
  const symbols: Symbols = { groups: new Map(), customApps: new Map(), overrides: new Map(), policies: new Map(), tests: new Map() };
  const ctx = new CheckContext(catalog, symbols);

  const declare = <D extends A.Item>(map: Map<string, D>, key: string | undefined, d: D, what: string, nameSpan: A.Name["span"] | undefined) => {
    if (key === undefined || !nameSpan) return;
    const prev = map.get(key);
    if (prev) ctx.report("SAN306", nameSpan, `${what} is already defined`, { related: [{ span: prev.span, message: "first defined here" }] });
    else map.set(key, d);
  };
  let scoreDecl: A.ScoreDecl | undefined;
  for (const it of items) {
    switch (it.kind) {
      case "Group":
        declare(symbols.groups, it.name?.text, it, `group \`${it.name?.text}\``, it.name?.span);
        break;
      case "App":
        if (it.override) declare(symbols.overrides, it.name?.value.toLowerCase(), it, `an override of "${it.name?.value}"`, it.name?.span);
        else declare(symbols.customApps, it.name?.value.toLowerCase(), it, `app "${it.name?.value}"`, it.name?.span);
        break;
      case "Policy":
        declare(symbols.policies, it.name?.value, it, `policy "${it.name?.value}"`, it.name?.span);
        break;
      case "Test":
        declare(symbols.tests, it.name?.value, it, `test "${it.name?.value}"`, it.name?.span);
        break;
      case "Score":
        if (scoreDecl) ctx.report("SAN306", it.span, "a workspace has one `score` block", { related: [{ span: scoreDecl.span, message: "the first score block" }] });
        else scoreDecl = it;
        break;
    }
  }

  const groups: Group[] = [];
  const apps: AppDef[] = [];
  const policies: Policy[] = [];
  const decisions: Decision[] = [];
  const tests: TestCase[] = [];
  let score: ScoreConfig = { families: {}, attributes: {}, unknown: "ignored" };
  for (const it of items) {
    switch (it.kind) {
      case "Group": {
        const g = checkGroup(ctx, it);
        if (g && symbols.groups.get(g.name) === it) groups.push(g);
        break;
      }
      case "App": {
        const a = checkApp(ctx, it);
        if (a) apps.push(a);
        break;
      }
      case "Score":
        if (it === scoreDecl) score = checkScore(ctx, it);
        break;
      case "Policy": {
        const p = checkPolicy(ctx, it);
        if (p && symbols.policies.get(p.name) === it) policies.push(p);
        break;
      }
      case "Decision": {
        const d = checkDecision(ctx, it);
        if (d) decisions.push(d);
        break;
      }
      case "Test": {
        const t = checkTest(ctx, it);
        if (t && symbols.tests.get(t.name) === it) tests.push(t);
        break;
      }
      case "Import":
        break;
    }
  }
  checkDecisionConflicts(ctx, decisions);

  const overrides: Record<string, { score: number; note?: string }> = {};
  for (const a of apps) if (a.scoreOverride) overrides[a.base?.id ?? slugify(a.name)] = a.scoreOverride;
  if (Object.keys(overrides).length) score = { ...score, overrides };

  const model: Model = { groups, apps, score, policies, decisions, tests };
  // Workspace apps merged with the catalog: domain and id conflicts (effective-catalog.ts).
  ctx.diagnostics.push(...effectiveCatalog(model, catalog).diagnostics);
  return { model, diagnostics: ctx.diagnostics.sort(compareDiagnostics) };
}
