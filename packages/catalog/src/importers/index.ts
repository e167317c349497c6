import type { IndexedCatalog } from "../catalog.js";
import { parseDomainPattern } from "../hostname.js";
import { slugify } from "../third-party-web.js";
import { importAdguardServices } from "./adguard-services.js";
import { importTwoFactorDirectory } from "./2fa-directory.js";
import { importCsv } from "./csv.js";
import { importJson } from "./json.js";
import { importV2fly } from "./v2fly.js";
import { lookalike } from "./lookalike.js";
import { sortProblems, type ImportedApp, type ImportedDomain, type ImportFormat, type ImportOptions, type ImportProblem, type ImportResult } from "./types.js";

export * from "./types.js";
export { importCsv } from "./csv.js";
export { importJson } from "./json.js";
export { importV2fly, appNameFromFile } from "./v2fly.js";
export { importAdguardServices, ADGUARD_GROUPS } from "./adguard-services.js";
export { importTwoFactorDirectory, TWO_FA_CATEGORIES } from "./2fa-directory.js";
export { parseJsonWithLines, JsonSyntaxError, type JsonNode } from "./json-lines.js";

/** Runs the importer of `format` on `text`. Throws only for a bad `defaultCategory`. */
export function importList(format: ImportFormat, text: string, opts: ImportOptions = {}): ImportResult {
  switch (format) {
    case "csv":
      return importCsv(text);
    case "json":
      return importJson(text);
    case "v2fly":
      return importV2fly(text, opts);
    case "adguard-services":
      return importAdguardServices(text, opts);
    case "2fa-directory":
      return importTwoFactorDirectory(text, opts);
  }
}

export interface ReconcileOptions {
  /** How the language makes an app's id from its name (semantics' `slugify`); default the catalog's. */
  readonly idOf?: (name: string) => string;
}

/**
 * Checks imported apps against `catalog` and against each other. A list may add apps, never
 * take what the catalog has:
 *   - an app whose name (or alias) or id is a catalog app's is skipped (`conflict`): change a
 *     catalog app with `override app` in a policy file, by hand;
 *   - a domain the catalog attributes to an app — the name itself, or a name inside one of its
 *     `*.` subtrees — is skipped (`conflict`), naming that app; an app left without domains
 *     is skipped;
 *   - a second app with the same name or id, or a second claim of a domain name in the list,
 *     is skipped (`duplicate`): the first one is kept;
 *   - a domain imported whose Unicode form mixes scripts in a label, or whose look-alike
 *     letters folded to Latin give a catalog app's domain (`*.drоpbox.com`, Cyrillic `о`), is
 *     imported and reported as a warning (`lookalike`) naming what it imitates.
 * Deterministic: apps keep their order, problems are sorted by line.
 */
export function reconcileImport(result: ImportResult, catalog: IndexedCatalog, opts: ReconcileOptions = {}): ImportResult {
  const idOf = opts.idOf ?? slugify;
  const problems: ImportProblem[] = [...result.problems];
  const apps: ImportedApp[] = [];
  const names = new Map<string, ImportedApp>();
  const ids = new Map<string, ImportedApp>();
  const hosts = new Map<string, ImportedApp>();
  for (const app of result.apps) {
    const known = catalog.findApp(app.name);
    if (known) {
      problems.push({ line: app.line, kind: "conflict", message: `"${app.name}" is already in the built-in catalog (as "${known.name}", id ${known.id}); not imported` });
      continue;
    }
    const id = idOf(app.name);
    const byId = catalog.findAppById(id);
    if (byId) {
      problems.push({ line: app.line, kind: "conflict", message: `"${app.name}" would get the id ${id}, which built-in app "${byId.name}" has; not imported` });
      continue;
    }
    const sameName = names.get(app.name.toLowerCase());
    const sameId = ids.get(id);
    if (sameName || sameId) {
      const first = (sameName ?? sameId)!;
      problems.push({ line: app.line, kind: "duplicate", message: `"${app.name}" ${sameName ? "appears again" : `has the same id (${id}) as "${first.name}"`} (first at line ${first.line}); skipped` });
      continue;
    }
    const domains: ImportedDomain[] = [];
    const mine = new Set<string>();
    for (const d of app.domains) {
      const p = parseDomainPattern(d.pattern);
      if (!p) continue; // importers only produce valid patterns
      const owner = catalog.matchHost(p.host);
      if (owner) {
        problems.push({
          line: d.line,
          kind: "conflict",
          message: `"${app.name}": ${d.pattern} belongs to built-in app "${owner.app.name}" (${owner.pattern}); a list cannot claim it, domain skipped`,
        });
        continue;
      }
      const prior = hosts.get(p.host);
      if (prior && !mine.has(p.host)) {
        problems.push({ line: d.line, kind: "duplicate", message: `"${app.name}": ${p.host} is already claimed by "${prior.name}" (line ${prior.line}); domain skipped` });
        continue;
      }
      const look = lookalike(d.pattern, catalog);
      if (look) problems.push({ line: d.line, kind: "lookalike", message: lookalikeMessage(app.name, d.pattern, look) });
      mine.add(p.host);
      domains.push(d);
    }
    if (domains.length === 0) {
      problems.push({ line: app.line, kind: "conflict", message: `"${app.name}" has no domain left to import; not imported` });
      continue;
    }
    for (const h of mine) hosts.set(h, app);
    names.set(app.name.toLowerCase(), app);
    ids.set(id, app);
    apps.push({ ...app, domains });
  }
  return { apps, problems: sortProblems(problems) };
}

/** `warning: "App": *.xn--drpbox-xqf.com is *.drоpbox.com, which looks like …; imported, …` */
function lookalikeMessage(app: string, pattern: string, look: NonNullable<ReturnType<typeof lookalike>>): string {
  const why: string[] = [];
  if (look.imitates) why.push(`looks like ${look.imitates.pattern} of built-in app "${look.imitates.app}"`);
  for (const m of look.mixed) why.push(`mixes ${listing(m.scripts)} letters in "${m.label}"`);
  return `warning: "${app}": ${pattern} is ${look.shown}, which ${why.join(" and ")}; imported, make sure it is the name the list means`;
}

function listing(items: readonly string[]): string {
  return items.length <= 2 ? items.join(" and ") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
