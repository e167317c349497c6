import * as fs from "node:fs";
import * as path from "node:path";
import { didYouMean, hasErrors, visible } from "@sanction/diagnostics";
import {
  builtinCatalog,
  CATEGORIES,
  DEFAULT_SCORE_CONFIG,
  explainScore,
  IMPORT_FORMATS,
  importList,
  isValidDate,
  readCategory,
  reconcileImport,
  type CatalogApp,
  type ImportedApp,
  type ImportFormat,
  type IndexedCatalog,
  type ScoreConfig,
  type ScoreExplanation,
} from "@sanction/catalog";
import { format } from "@sanction/formatter";
import { parse } from "@sanction/syntax";
import { analyze, checkFiles, effectiveCatalog, nodeFileHost, slugify } from "@sanction/semantics";
import { parseCommandArgs, oneOf, NO_GLOBAL_OPTIONS, type GlobalOptions } from "../args.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, IOFailure, UsageError, type CliIO } from "../io.js";
import { displayFrom, resolveFrom } from "../paths.js";
import { workspaceRoot } from "../workspace-root.js";
import { writeFileAtomic } from "../atomic-write.js";
import { outputRoots, resolveOutput } from "../output-path.js";

// ─── help ────────────────────────────────────────────────────────────────────────────────

export const catalogHelp = `Usage: sanction catalog <search|show|import> [options]

Look up the cloud app catalog (built-in apps, plus the workspace's custom apps and overrides
with --policies), and turn public or in-house app lists into catalog files.

Subcommands:
  search <text>     find apps by name, vendor or domain
  show <app>        one app: domains, category, attributes with provenance, risk score
  import <file>     convert a list (csv, json, v2fly, adguard-services, 2fa-directory) into
                    a .sanction file of app blocks that policies can import

Run \`sanction catalog <subcommand> --help\` for its options.
Exit codes: 0 ok, 1 not found (search, show) or nothing imported (import), 2 usage or I/O error.
`;

const searchHelp = `Usage: sanction catalog search <text> [options]

Find apps whose name, alias, vendor or domains match <text> (case-insensitive; every word must
match). A host name (mail.yahoo.com) also finds the app it is attributed to by longest domain
match. Results are ranked: exact name, attributed host, name prefix, word prefix, domain,
name substring, vendor; ties go to workspace apps, then curated, then third-party-web apps,
then by name and id.

Options:
  --category C          only apps of this category (an id such as cloud_storage)
  --policies PATH       also search the workspace's custom apps and overrides (a policy file or
                        folder; repeat for several)
  --root DIR            folder imports must stay inside (default: the working directory)
  --limit N             at most N results (default 20; 0 for all)
  --format text|json    output format (default text)
  -h, --help            show this help

Exit codes: 0 apps found, 1 none found, 2 usage or I/O error.
`;

const showHelp = `Usage: sanction catalog show <app> [options]

Show one app: id, vendor, category, headquarters, domains, URLs and IPs, every known risk
attribute with its provenance (source and date), and the risk score with its per-attribute
breakdown — or why it has none ("insufficient data", "not scored"). <app> is a name, an
alias, an id, or a host name (shows the app the host is attributed to).

Options:
  --policies PATH       apply the workspace's custom apps, overrides and score {} block (a policy
                        file or folder; repeat for several)
  --root DIR            folder imports must stay inside (default: the working directory)
  --as-of DATE          date age-based attributes are measured at (default: the catalog's
                        newest provenance date, so the output does not depend on the clock)
  --format text|json    output format (default text)
  -h, --help            show this help

Exit codes: 0 shown, 1 no such app, 2 usage or I/O error.
`;

const importHelp = `Usage: sanction catalog import <file> --from FORMAT [-o DIR] [options]

Convert an app list into a .sanction file of \`app "…" { vendor … category … domains … }\`
blocks, formatted, with a header recording where it came from. Bad rows are reported on
standard error as file:line: reason and skipped; the rest is imported. A list cannot claim
what the built-in catalog has: an app already in it, or a domain attributed to one of its
apps, is reported as a conflict and skipped.

Formats (--from):
  csv                columns name,domains,category[,vendor]; a header row may reorder them;
                     domains separated by spaces, ; or |; x.com is that name, *.x.com the subtree
  json               [{ "name", "domains": [...], "category", "vendor" }]
  v2fly              a v2fly/domain-list-community data file: domain:x and x → *.x, full:x → x;
                     include:, regexp:, keyword: are reported and skipped; the app is named
                     after the file (or --name)
  adguard-services   AdGuard HostlistsRegistry services.json: ||x^ rules → *.x
  2fa-directory      2factorauth API v3 JSON ([["Name", { "domain", "additional-domains",
                     "categories" }], …]): domains → subtrees

Options:
  --from FORMAT         the list's format (required)
  -o, --output DIR      write DIR/<file name>.sanction (atomically) instead of standard output
  --output-root DIR     also allow writing under DIR (repeatable; default: only under the
                        working directory)
  --date YYYY-MM-DD     record this date in the header (no date is recorded otherwise)
  --category C          category for entries the list gives none for (default other)
  --name NAME           v2fly: the app's name (default: from the file name)
  -h, --help            show this help

Exit codes: 0 imported (problems, if any, are on standard error), 1 nothing could be
imported, 2 usage or I/O error.
`;

// ─── entry ───────────────────────────────────────────────────────────────────────────────

export async function catalogCommand(argv: string[], io: CliIO, globals: GlobalOptions = NO_GLOBAL_OPTIONS): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "-h" || sub === "--help" || sub === "help") {
    io.stdout(catalogHelp);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  switch (sub) {
    case "search":
      return searchCommand(rest, io);
    case "show":
      return showCommand(rest, io);
    case "import":
      return importCommand(rest, io, globals);
    default:
      throw new UsageError(`catalog: unknown subcommand '${sub}' (subcommands: search, show, import; see \`sanction catalog --help\`)`);
  }
}

// ─── workspace ───────────────────────────────────────────────────────────────────────────

interface CatalogView {
  readonly catalog: IndexedCatalog;
  readonly score: ScoreConfig;
  /** Policy files read (0 without --policies). */
  readonly policyFiles: number;
}

/** The built-in catalog, or the effective catalog of the workspace given with --policies. */
function catalogView(io: CliIO, values: Record<string, unknown>): CatalogView {
  const policies = (values["policies"] as string[] | undefined) ?? [];
  if (policies.length === 0) return { catalog: builtinCatalog(), score: DEFAULT_SCORE_CONFIG, policyFiles: 0 };
  const root = workspaceRoot(io.cwd, policies, values["root"] as string | undefined);
  const analysis = analyze(
    policies.map((p) => resolveFrom(io.cwd, p)),
    { root, host: nodeFileHost, display: (abs) => displayFrom(io.cwd, abs) },
  );
  if (analysis.workspace.entryErrors.length) {
    const e = analysis.workspace.entryErrors[0]!;
    throw new IOFailure(`cannot read ${e.path}: ${e.reason}`);
  }
  if (analysis.workspace.files.length === 0) throw new IOFailure(`no .sanction files found in ${policies.join(", ")}`);
  if (hasErrors(analysis.diagnostics)) {
    const n = analysis.diagnostics.filter((d) => d.severity === "error").length;
    io.stderr(`sanction: the policies have ${n} error${n === 1 ? "" : "s"} (see \`sanction check\`); showing what could be read\n`);
  }
  const merged = effectiveCatalog(analysis.model, builtinCatalog(), { sources: analysis.sources });
  return { catalog: merged.catalog, score: analysis.model.score, policyFiles: analysis.workspace.files.length };
}

const WORKSPACE_OPTIONS = {
  policies: { type: "string", multiple: true },
  root: { type: "string" },
  format: { type: "string" },
} as const;

// ─── search ──────────────────────────────────────────────────────────────────────────────

interface Hit {
  readonly app: CatalogApp;
  readonly rank: number;
  /** What matched, for people: `name`, `domain *.dropbox.com`, `vendor`. */
  readonly match: string;
}

const RANK = { exactName: 100, host: 95, namePrefix: 80, wordPrefix: 70, domain: 60, name: 50, vendor: 30 } as const;

/** Ranks the apps that match `query` (pure, deterministic). */
export function searchApps(catalog: IndexedCatalog, query: string, category?: string): Hit[] {
  const q = query.trim().toLowerCase();
  const words = q.split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const attributed = q.includes(".") && !q.includes(" ") ? catalog.matchHost(q) : undefined;
  const hits: Hit[] = [];
  for (const app of category ? catalog.appsInCategory(category) : catalog.apps()) {
    const names = [app.name, ...(app.aliases ?? [])].map((n) => n.toLowerCase());
    const vendor = app.vendor.toLowerCase();
    const domains = app.domains.map((d) => d.replace(/^\*\./, ""));
    let best: { rank: number; match: string } | undefined;
    const consider = (rank: number, match: string) => {
      if (!best || rank > best.rank) best = { rank, match };
    };
    if (names.includes(q)) consider(RANK.exactName, "name");
    if (attributed?.app === app) consider(RANK.host, `host attributed by ${attributed.pattern}`);
    if (names.some((n) => n.startsWith(q))) consider(RANK.namePrefix, "name");
    // every word must match somewhere
    let all = true;
    let wordRank = Infinity;
    let wordMatch = "";
    for (const w of words) {
      let r = 0;
      let m = "";
      const take = (rank: number, match: string) => {
        if (rank > r) {
          r = rank;
          m = match;
        }
      };
      if (names.some((n) => n.split(/[^a-z0-9]+/).some((part) => part.startsWith(w)))) take(RANK.wordPrefix, "name");
      const d = domains.findIndex((x) => x.includes(w));
      if (d >= 0) take(RANK.domain, `domain ${app.domains[d]}`);
      if (names.some((n) => n.includes(w))) take(RANK.name, "name");
      if (vendor.includes(w)) take(RANK.vendor, "vendor");
      if (r === 0) {
        all = false;
        break;
      }
      if (r < wordRank) {
        wordRank = r;
        wordMatch = m;
      }
    }
    if (all) consider(wordRank, wordMatch);
    if (best) hits.push({ app, rank: best.rank, match: best.match });
  }
  const origin = { workspace: 0, curated: 1, "third-party-web": 2 } as const;
  return hits.sort(
    (a, b) => b.rank - a.rank || origin[a.app.origin] - origin[b.app.origin] || cmp(a.app.name.toLowerCase(), b.app.name.toLowerCase()) || cmp(a.app.id, b.app.id),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkCategory(command: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const id = readCategory(raw);
  if (id !== undefined) return id;
  const hint = didYouMean(raw, CATEGORIES.map((c) => c.id));
  throw new UsageError(`${command}: unknown category '${raw}'${hint ? `; did you mean ${hint}?` : ""} (categories: ${CATEGORIES.map((c) => c.id).join(", ")})`);
}

async function searchCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs("catalog search", argv, { ...WORKSPACE_OPTIONS, category: { type: "string" }, limit: { type: "string" } });
  if (values.help) {
    io.stdout(searchHelp);
    return EXIT_OK;
  }
  const fmt = oneOf("catalog search", "format", values.format as string | undefined, ["text", "json"] as const, "text");
  if (positionals.length === 0) throw new UsageError("catalog search: give the text to search for (see `sanction catalog search --help`)");
  const query = positionals.join(" ");
  const category = checkCategory("catalog search", values.category as string | undefined);
  const limitRaw = (values.limit as string | undefined) ?? "20";
  if (!/^\d+$/.test(limitRaw)) throw new UsageError(`catalog search: --limit must be a whole number, not '${limitRaw}'`);
  const limit = Number(limitRaw);
  const view = catalogView(io, values);
  const hits = searchApps(view.catalog, query, category);
  const shown = limit === 0 ? hits : hits.slice(0, limit);
  if (fmt === "json") {
    const results = shown.map((h) => ({
      id: h.app.id,
      name: h.app.name,
      vendor: h.app.vendor,
      category: h.app.category,
      origin: h.app.origin,
      domains: h.app.domains,
      match: h.match,
      rank: h.rank,
    }));
    io.stdout(JSON.stringify({ query, ...(category ? { category } : {}), total: hits.length, results }, null, 2) + "\n");
  } else {
    const idWidth = Math.min(32, Math.max(2, ...shown.map((h) => h.app.id.length)));
    for (const h of shown) {
      const doms = h.app.domains.slice(0, 3).join(", ") + (h.app.domains.length > 3 ? `, … (+${h.app.domains.length - 3})` : "");
      const origin = h.app.origin === "curated" ? "" : ` [${h.app.origin}]`;
      io.stdout(`${h.app.id.padEnd(idWidth)}  ${h.app.name}${origin} — ${h.app.category} — ${h.app.vendor}\n${" ".repeat(idWidth)}  ${doms || "(no domain)"}\n`);
    }
    if (hits.length === 0) io.stderr(`no app matches "${query}"${category ? ` in ${category}` : ""}\n`);
    else io.stderr(`${shown.length === hits.length ? hits.length : `${shown.length} of ${hits.length}`} app${hits.length === 1 ? "" : "s"} (ranked: name, host, domain, vendor)\n`);
  }
  return hits.length ? EXIT_OK : EXIT_FINDINGS;
}

// ─── show ────────────────────────────────────────────────────────────────────────────────

/** By name or alias, id, or host name (longest domain match). */
function findAny(catalog: IndexedCatalog, query: string): { app: CatalogApp; via?: string } | undefined {
  const byName = catalog.findApp(query);
  if (byName) return { app: byName };
  const byId = catalog.findAppById(query.trim().toLowerCase());
  if (byId) return { app: byId };
  const host = catalog.matchHost(query);
  if (host) return { app: host.app, via: `${query.trim().toLowerCase()} is attributed to it by ${host.pattern}` };
  return undefined;
}

/** The newest provenance date in the catalog: a default reference date that is not the clock. */
function newestProvenance(catalog: IndexedCatalog): string {
  let latest = "2000-01-01";
  for (const app of catalog.apps()) {
    for (const v of Object.values(app.attributes)) if (v.known && isValidDate(v.provenance.date) && v.provenance.date > latest) latest = v.provenance.date;
  }
  return latest;
}

async function showCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs("catalog show", argv, { ...WORKSPACE_OPTIONS, "as-of": { type: "string" } });
  if (values.help) {
    io.stdout(showHelp);
    return EXIT_OK;
  }
  const fmt = oneOf("catalog show", "format", values.format as string | undefined, ["text", "json"] as const, "text");
  if (positionals.length === 0) throw new UsageError("catalog show: give an app name, id or host name (see `sanction catalog show --help`)");
  const query = positionals.join(" ");
  const asOfRaw = values["as-of"] as string | undefined;
  if (asOfRaw !== undefined && !isValidDate(asOfRaw)) throw new UsageError(`catalog show: --as-of must be a date such as 2026-11-01, not '${asOfRaw}'`);
  const view = catalogView(io, values);
  const found = findAny(view.catalog, query);
  if (!found) {
    const hint = didYouMean(query, view.catalog.apps().map((a) => a.name));
    io.stderr(`sanction: no app "${query}" in the catalog${hint ? `; did you mean "${hint}"?` : ""} (try \`sanction catalog search ${JSON.stringify(query)}\`)\n`);
    return EXIT_FINDINGS;
  }
  const { app } = found;
  const asOf = asOfRaw ?? newestProvenance(view.catalog);
  const config: ScoreConfig = { ...view.score, asOf };
  const e = explainScore(app, config);
  if (fmt === "json") {
    io.stdout(JSON.stringify(showJson(app, e, found.via, view, asOf), null, 2) + "\n");
  } else {
    io.stdout(showText(app, e, found.via, view.catalog, asOf));
  }
  return EXIT_OK;
}

function showJson(app: CatalogApp, e: ScoreExplanation, via: string | undefined, view: CatalogView, asOf: string) {
  const category = view.catalog.findCategory(app.category);
  return {
    ...(via ? { matchedBy: via } : {}),
    app: {
      id: app.id,
      name: app.name,
      ...(app.aliases?.length ? { aliases: app.aliases } : {}),
      vendor: app.vendor,
      category: app.category,
      categoryLabel: category?.label ?? app.category,
      ...(app.hq ? { hq: app.hq } : {}),
      ...(app.homepage ? { homepage: app.homepage } : {}),
      origin: app.origin,
      ...(app.declaredIn ? { declaredIn: app.declaredIn } : {}),
      domains: app.domains,
      ...(app.sharedDomains?.length ? { sharedDomains: app.sharedDomains } : {}),
      ...(app.urls?.length ? { urls: app.urls } : {}),
      ...(app.ips?.length ? { ips: app.ips } : {}),
      ...(app.neverBlock ? { neverBlock: true } : {}),
      ...(app.notes ? { notes: app.notes } : {}),
      attributes: Object.fromEntries(
        Object.entries(app.attributes)
          .filter(([, v]) => v.known)
          .sort(([a], [b]) => cmp(a, b)),
      ),
    },
    score: {
      status: scoreStatus(e),
      total: e.scored || e.override ? e.total : null,
      computed: e.computed,
      ...(e.insufficientData ? { insufficientData: e.insufficientData } : {}),
      ...(e.override ? { override: e.override } : {}),
      unknown: e.unknown,
      asOf,
      knownCount: e.knownCount,
      unknownCount: e.unknownCount,
      families: e.families.map((f) => ({ family: f.family, importance: f.importance, weight: f.weight, score: f.score ?? null, subtotal: f.subtotal })),
      contributions: e.contributions,
      skipped: e.skipped,
    },
  };
}

/** `a, b, c` wrapped at `width` columns, continuation lines indented by `indent`. */
function wrap(items: readonly string[], indent: number, width: number): string {
  const lines: string[] = [];
  let cur = "";
  for (const [i, item] of items.entries()) {
    const piece = item + (i < items.length - 1 ? "," : "");
    if (cur && indent + cur.length + 1 + piece.length > width) {
      lines.push(cur);
      cur = piece;
    } else cur = cur ? `${cur} ${piece}` : piece;
  }
  lines.push(cur);
  return lines.join("\n" + " ".repeat(indent));
}

function scoreStatus(e: ScoreExplanation): "scored" | "override" | "insufficient_data" | "not_scored" {
  if (e.override) return "override";
  if (e.scored) return "scored";
  return e.insufficientData ? "insufficient_data" : "not_scored";
}

const fix = (x: number, d: number) => (Math.abs(x) < 0.5 * 10 ** -d ? 0 : x).toFixed(d);

function showText(app: CatalogApp, e: ScoreExplanation, via: string | undefined, catalog: IndexedCatalog, asOf: string): string {
  const out: string[] = [];
  const row = (k: string, v: string) => out.push(`  ${k.padEnd(12)}${v}`);
  const list = (k: string, items: readonly string[], suffix = "") => row(k, wrap(items, 14, 96) + suffix);
  out.push(`${app.name} (${app.id})`);
  if (via) out.push(`  (${via})`);
  if (app.aliases?.length) row("aliases", app.aliases.join(", "));
  row("vendor", app.vendor);
  const cat = catalog.findCategory(app.category);
  row("category", cat && cat.label !== app.category ? `${app.category} (${cat.label})` : app.category);
  row("hq", app.hq ?? "unknown");
  row("origin", app.origin + (app.declaredIn ? ` — declared or changed in ${app.declaredIn.join(", ")}` : ""));
  if (app.homepage) row("homepage", app.homepage);
  if (app.neverBlock) row("never block", "yes (a portal that must stay reachable)");
  if (app.domains.length) list("domains", app.domains);
  else row("domains", "(none)");
  if (app.sharedDomains?.length) list("shared", app.sharedDomains, " (used, not owned)");
  if (app.urls?.length) list("urls", app.urls);
  if (app.ips?.length) list("ips", app.ips);
  if (app.notes) row("notes", app.notes);

  const known = Object.entries(app.attributes)
    .filter(([, v]) => v.known)
    .sort(([a], [b]) => cmp(a, b));
  out.push("");
  out.push(`Attributes: ${known.length} known${known.length ? "; every other attribute is unknown" : " (every attribute is unknown)"}`);
  const w = Math.max(0, ...known.map(([id]) => id.length));
  const vw = Math.max(8, ...known.map(([, v]) => (v.known ? String(v.value).length : 0)));
  for (const [id, v] of known) {
    if (!v.known) continue;
    const p = v.provenance;
    out.push(`  ${id.padEnd(w)}  ${String(v.value).padEnd(vw)}  ${p.source} (${p.date})${p.note ? ` — ${p.note}` : ""}`);
  }

  out.push("");
  if (e.override) {
    out.push(`Score: ${fix(e.total, 2)} / 10 — override${e.override.note ? `: ${e.override.note}` : ""} (computed ${e.scored ? fix(e.computed, 2) : e.insufficientData ? `${fix(e.computed, 2)}, insufficient data` : "nothing"})`);
  } else if (e.scored) {
    out.push(`Score: ${fix(e.total, 2)} / 10 (0 = highest risk)`);
  } else if (e.insufficientData) {
    out.push(`Score: insufficient data — ${e.insufficientData.reason} (provisional ${fix(e.computed, 2)}, not used)`);
  } else {
    out.push(`Score: not scored — no known risk attribute counts toward the score`);
  }
  out.push(`  unknown values ${e.unknown === "ignored" ? "are left out" : "count as risk (0)"}; ${e.knownCount} known and ${e.unknownCount} unknown scored attributes; as of ${asOf}`);
  if (e.contributions.length) {
    out.push("");
    out.push(`  ${"family".padEnd(11)}${"importance".padEnd(11)}${"subscore".padStart(8)}${"subtotal".padStart(10)}`);
    for (const f of e.families) {
      out.push(`  ${f.family.padEnd(11)}${f.importance.padEnd(11)}${(f.score === undefined ? "—" : fix(f.score, 2)).padStart(8)}${fix(f.subtotal, 4).padStart(10)}`);
    }
    const aw = Math.max(9, ...e.contributions.map((c) => c.attribute.length));
    const valueOf = (c: (typeof e.contributions)[number]) => (c.known ? String(c.value) : "unknown");
    const vw = Math.max(12, ...e.contributions.map((c) => valueOf(c).length)) + 1;
    out.push("");
    out.push(`  ${"attribute".padEnd(aw)}  ${"value".padEnd(vw)}${"score".padStart(6)}  ${"importance".padEnd(10)}${"share".padStart(8)}${"adds".padStart(9)}`);
    for (const c of e.contributions) {
      out.push(
        `  ${c.attribute.padEnd(aw)}  ${valueOf(c).padEnd(vw)}${fix(c.attributeScore, 1).padStart(6)}  ${c.importance.padEnd(10)}${(fix(c.share * 100, 1) + "%").padStart(8)}${fix(c.contribution, 4).padStart(9)}`,
      );
    }
    const sum = e.contributions.reduce((s, c) => s + c.contribution, 0);
    out.push(`  ${"".padEnd(aw)}  ${"".padEnd(vw)}${"".padStart(6)}  ${"".padEnd(10)}${"sum".padStart(8)}${fix(sum, 4).padStart(9)}`);
  }
  if (e.skipped.length) out.push(`  not counted: ${e.skipped.map((s) => `${s.attribute} (${s.reason.replace(/_/g, " ")})`).join(", ")}`);
  return out.join("\n") + "\n";
}

// ─── import ──────────────────────────────────────────────────────────────────────────────

const MAX_LIST_BYTES = 64 * 1024 * 1024;

async function importCommand(argv: string[], io: CliIO, globals: GlobalOptions): Promise<number> {
  const { values, positionals } = parseCommandArgs("catalog import", argv, {
    from: { type: "string" },
    output: { type: "string", short: "o" },
    date: { type: "string" },
    category: { type: "string" },
    name: { type: "string" },
  });
  if (values.help) {
    io.stdout(importHelp);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError("catalog import: give one list file (see `sanction catalog import --help`)");
  if (values.from === undefined) throw new UsageError(`catalog import: --from is required (${IMPORT_FORMATS.join(", ")})`);
  const from = oneOf("catalog import", "from", values.from as string, IMPORT_FORMATS, "csv") as ImportFormat;
  const date = values.date as string | undefined;
  if (date !== undefined && !isValidDate(date)) throw new UsageError(`catalog import: --date must be a date such as 2026-11-25, not '${date}'`);
  const category = checkCategory("catalog import", values.category as string | undefined);
  if (values.name !== undefined && from !== "v2fly") throw new UsageError("catalog import: --name applies to --from v2fly only");

  const abs = resolveFrom(io.cwd, positionals[0]!);
  const shown = displayFrom(io.cwd, abs);
  // The file written is DIR/<stem>.sanction: checked (folder and file) before any work.
  const written = values.output !== undefined ? path.join(values.output as string, `${stemOf(path.basename(abs))}.sanction`) : undefined;
  const target = written !== undefined ? resolveOutput(io, written, outputRoots(io, globals)) : undefined;
  const text = readList(abs, shown);
  const base = path.basename(abs);
  const imported = importList(from, text, {
    fileName: base,
    ...(category ? { defaultCategory: category } : {}),
    ...(values.name !== undefined ? { appName: values.name as string } : {}),
  });
  const result = reconcileImport(imported, builtinCatalog(), { idOf: slugify });
  for (const p of result.problems) io.stderr(`${visible(shown)}:${p.line}: ${visible(p.message)}\n`);

  const domains = result.apps.reduce((n, a) => n + a.domains.length, 0);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  if (result.apps.length === 0) {
    io.stderr(`sanction: nothing imported from ${shown} (${plural(result.problems.length, "problem")})\n`);
    return EXIT_FINDINGS;
  }
  const source = renderImport(result.apps, { file: base, format: from, ...(date ? { date } : {}), problems: result.problems.length });
  const formatted = format(source, `${stemOf(base)}.sanction`);
  if (formatted.skipped) throw new Error(`the generated file does not parse: ${formatted.diagnostics[0]?.message ?? formatted.skipped}`);
  // safety net: the file must check cleanly against the built-in catalog
  const checked = checkFiles([parse(formatted.text, "import.sanction").ast], builtinCatalog());
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(`the generated file does not check: ${errors[0]!.code} ${errors[0]!.message}`);

  if (target !== undefined) {
    const dir = path.dirname(target);
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new IOFailure(`cannot create ${values.output}: ${e instanceof Error ? e.message : String(e)}`);
    }
    writeFileAtomic(target, formatted.text);
    io.stderr(`wrote ${displayFrom(io.cwd, path.resolve(io.cwd, written!))}: ${plural(result.apps.length, "app")}, ${plural(domains, "domain")}; ${plural(result.problems.length, "problem")} reported\n`);
  } else {
    io.stdout(formatted.text);
    io.stderr(`imported ${plural(result.apps.length, "app")}, ${plural(domains, "domain")} from ${shown}; ${plural(result.problems.length, "problem")} reported\n`);
  }
  return EXIT_OK;
}

function readList(abs: string, shown: string): string {
  let bytes: Buffer;
  try {
    const st = fs.statSync(abs);
    if (!st.isFile()) throw new IOFailure(`cannot read ${shown}: not a file`);
    if (st.size > MAX_LIST_BYTES) throw new IOFailure(`cannot read ${shown}: larger than ${MAX_LIST_BYTES / 1024 / 1024} MiB`);
    bytes = fs.readFileSync(abs);
  } catch (e) {
    if (e instanceof IOFailure) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new IOFailure(`cannot read ${shown}: ${code === "ENOENT" ? "no such file or directory" : e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new IOFailure(`cannot read ${shown}: not valid UTF-8 text`);
  }
}

/** `services.json` → `services`; `data/dropbox` → `dropbox`; safe as a file name. */
function stemOf(base: string): string {
  const stem = base.replace(/\.[A-Za-z0-9]{1,8}$/, "").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "");
  return stem || "imported";
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A domain pattern as policy text: bare when it lexes as a dotted name, else quoted. */
function domainText(pattern: string): string {
  return /^(\*\.)?[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/.test(pattern) && !/\.\d+(\.|$)/.test(pattern) ? pattern : quote(pattern);
}

/**
 * The .sanction text of imported apps (unformatted): a provenance header, then one `app` block
 * per app with a comment giving the line it came from. Deterministic: no clock, no paths.
 */
export function renderImport(apps: readonly ImportedApp[], meta: { file: string; format: string; date?: string; problems: number }): string {
  const lines: string[] = [
    `# Catalog apps imported by \`sanction catalog import\` from ${meta.file} (format ${meta.format}).`,
    ...(meta.date ? [`# Imported on ${meta.date}.`] : []),
    `# ${apps.length} app${apps.length === 1 ? "" : "s"}; ${meta.problems} row${meta.problems === 1 ? "" : "s"} or value${meta.problems === 1 ? "" : "s"} skipped or reported (the import lists each with its line).`,
    `# Re-run the import to update this file; change a built-in app with \`override app\` elsewhere.`,
    "",
  ];
  for (const app of apps) {
    lines.push(`# ${meta.file}:${app.line}`);
    lines.push(`app ${quote(app.name)} {`);
    if (app.vendor) lines.push(`  vendor ${quote(app.vendor)}`);
    lines.push(`  category ${app.category}`);
    lines.push(`  domains ${app.domains.map((d) => domainText(d.pattern)).join(", ")}`);
    lines.push("}");
    lines.push("");
  }
  return lines.join("\n");
}
