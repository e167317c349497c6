import { parse } from "tldts";
import { didYouMean, visible } from "@sanction/diagnostics";
import { CATEGORIES } from "../categories.js";
import { normalizeHost } from "../hostname.js";

/**
 * Importers turn a public or in-house list of apps into catalog apps: pure functions from
 * text to `{ apps, problems }`. A bad row is reported with its line and skipped; the rest is
 * imported. `reconcileImport` then checks the result against a catalog (the built-in one):
 * a list can add apps but never take a name, an id or a domain the catalog already has.
 */

export const IMPORT_FORMATS = ["csv", "json", "v2fly", "adguard-services", "2fa-directory"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportedDomain {
  /** `host` (that name only) or `*.host` (the name and everything below), lowercase punycode. */
  readonly pattern: string;
  /** 1-based line the domain was read from. */
  readonly line: number;
}

export interface ImportedApp {
  readonly name: string;
  readonly vendor?: string;
  /** A category id from `CATEGORIES`. */
  readonly category: string;
  readonly domains: readonly ImportedDomain[];
  /** 1-based line of the row or entry. */
  readonly line: number;
}

export type ImportProblemKind =
  /** A row or entry that cannot be read (missing name, no valid domain, unknown category…): skipped. */
  | "bad_row"
  /** One bad value in an otherwise good row (an invalid domain): that value is skipped. */
  | "bad_value"
  /** A construct of the source format the importer does not translate (`regexp:`, `include:`, exception rules): skipped. */
  | "unsupported"
  /** A name, id or domain the catalog already has: skipped, never claimed. */
  | "conflict"
  /** The same app or domain twice in the list: the first one is kept. */
  | "duplicate"
  /**
   * A domain that mixes scripts in a label or looks like a built-in app's domain (a homograph):
   * imported, reported as a warning so that a reviewer sees it.
   */
  | "lookalike";

export interface ImportProblem {
  readonly line: number;
  readonly kind: ImportProblemKind;
  /** Lowercase, no final period, names what happened and what was skipped. */
  readonly message: string;
}

export interface ImportResult {
  readonly apps: ImportedApp[];
  readonly problems: ImportProblem[];
}

export interface ImportOptions {
  /**
   * Category for entries whose source gives none or one without a mapping (v2fly, AdGuard
   * services without a group, 2fa-directory entries with unmapped categories). Default `other`.
   */
  readonly defaultCategory?: string;
  /** v2fly: the list's file name (`dropbox`, `data/dropbox`), which names the app. */
  readonly fileName?: string;
  /** v2fly: the app's name, instead of the one made from the file name. */
  readonly appName?: string;
}

/** Problems sorted by line; the sort is stable, so one line's problems keep the order they were found in. */
export function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return problems.sort((a, b) => a.line - b.line);
}

/**
 * Reads one domain as a list writes it: `example.com`, `*.example.com` or `.example.com`
 * (a subtree), IDN or punycode, any case, a trailing dot. `subtree` is the format's meaning of
 * a bare name. Refuses anything that is not a host name, and public suffixes (ICANN and
 * private ones such as `github.io`): claiming one would claim everybody's sites.
 */
export function readDomain(raw: string, subtree: boolean): { pattern: string } | { error: string } {
  let s = raw.trim();
  let sub = subtree;
  if (s.startsWith("*.")) {
    s = s.slice(2);
    sub = true;
  } else if (s.startsWith(".")) {
    s = s.slice(1);
    sub = true;
  }
  if (s === "") return { error: `empty domain` };
  if (/[*/\s@?#]/.test(s) || s.includes("://")) return { error: `"${raw.trim()}" is not a domain name` };
  const host = normalizeHost(s);
  if (host === undefined || host.includes(":")) return { error: `"${raw.trim()}" is not a valid domain name` };
  const info = parse(host, { allowPrivateDomains: true });
  if (info.domain === null || info.publicSuffix === host) return { error: `${host} is a public suffix; claiming it would claim every site under it` };
  return { pattern: sub ? `*.${host}` : host };
}

const byLabel = new Map(CATEGORIES.map((c) => [c.label.toLowerCase(), c.id]));
const ids = new Set(CATEGORIES.map((c) => c.id));

/** A category id, or its label (`Cloud storage`), case-insensitively; undefined when unknown. */
export function readCategory(raw: string): string | undefined {
  const s = raw.trim().toLowerCase();
  if (ids.has(s)) return s;
  const snake = s.replace(/[\s-]+/g, "_");
  if (ids.has(snake)) return snake;
  return byLabel.get(s);
}

/** `unknown category "x"; did you mean cloud_storage?` */
export function unknownCategory(raw: string): string {
  const hint = didYouMean(raw.trim().toLowerCase(), [...ids]);
  return `unknown category "${raw.trim()}"${hint ? `; did you mean ${hint}?` : ""}`;
}

/** Checks `defaultCategory`, returning the id to use. */
export function defaultCategoryOf(opts: ImportOptions): string {
  const c = opts.defaultCategory === undefined ? "other" : readCategory(opts.defaultCategory);
  if (c === undefined) throw new Error(unknownCategory(opts.defaultCategory ?? ""));
  return c;
}

/** Collapses runs of white space: names land in quoted strings. Call `controlIn` first. */
export function cleanName(raw: string): string {
  return raw.replace(/\s+/g, " ").trim();
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Why a name (`what`: `name`, `vendor`) cannot be imported: it holds a control character — a
 * line break, tab, ESC, an 8-bit control, a line or paragraph separator. Such a name is not
 * what the list's author sees, so its row is refused (reported with its line) rather than
 * imported with the characters turned into something else. Undefined for a clean name.
 */
export function controlIn(raw: string, what: string): string | undefined {
  const m = CONTROL.exec(raw.trim());
  if (!m) return undefined;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return `${what} "${visible(raw.trim())}" holds a control character (U+${code})`;
}
