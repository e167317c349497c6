/**
 * The catalog interface the language checker (and later the compiler and engine) consume.
 * `packages/catalog` implements it over the built-in app data; tests may pass small catalogs.
 */

export type RiskFamily = "general" | "security" | "compliance" | "legal";

export type AttributeType =
  | { readonly kind: "boolean" }
  | { readonly kind: "number"; readonly min?: number; readonly max?: number }
  | { readonly kind: "string" }
  | { readonly kind: "date" }
  | { readonly kind: "enum"; readonly values: readonly string[] };

/** A risk attribute, addressed in the language as `family.name`, e.g. `security.mfa`. */
export interface AttributeDef {
  /** `family.name`, lowercase snake case: `security.mfa`, `compliance.soc2`. */
  readonly id: string;
  readonly family: RiskFamily;
  readonly label: string;
  readonly type: AttributeType;
}

export interface CategoryDef {
  /** Snake-case id used in policies: `cloud_storage`. */
  readonly id: string;
  /** Display name as Defender for Cloud Apps shows it: `Cloud storage`. */
  readonly label: string;
}

export interface Provenance {
  /** Where the value comes from: a URL or a named source. */
  readonly source: string;
  /** When it was checked, `YYYY-MM-DD`. */
  readonly date: string;
  /** Optional reviewer note, e.g. which report or certificate. */
  readonly note?: string;
}

export type AttributeValue =
  | { readonly known: true; readonly value: boolean | number | string; readonly provenance: Provenance }
  | { readonly known: false };

export interface CatalogApp {
  /** Stable id, lowercase kebab case: `dropbox`, `file-dropper`. */
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly category: string;
  /** Punycode domain names; a leading `*.` means the whole subtree (the bare name included). */
  readonly domains: readonly string[];
  readonly urls?: readonly string[];
  readonly ips?: readonly string[];
  /** ISO 3166-1 alpha-2. */
  readonly hq?: string;
  /** Attribute id → value; attributes not listed are unknown. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /**
   * Where the app record comes from: `curated` (data/), `third-party-web`, or `workspace` (a
   * custom `app` declared in policy files; see `effectiveCatalog` in @sanction/semantics).
   */
  readonly origin: "curated" | "third-party-web" | "workspace";
  /**
   * Policy declarations (`file:line`) that declared this app (`app "…"`) or changed it
   * (`override app "…"`), in workspace order. Absent for untouched catalog apps.
   */
  readonly declaredIn?: readonly string[];
  /**
   * Domains the app uses but does not own (a shared sign-in or CDN name owned by another
   * app or by nobody). They never attribute traffic to this app and are exempt from the
   * "one owner per domain" rule; blocking them would break other apps.
   */
  readonly sharedDomains?: readonly string[];
  /**
   * Services that must never be blocked (the MDCA, Defender, Purview and Intune portals,
   * sign-in): indicator generators should refuse to block or warn on them.
   */
  readonly neverBlock?: boolean;
  /** Other names `findApp` accepts: former names, short names (`Exchange Online`). */
  readonly aliases?: readonly string[];
  /** The app's home page. */
  readonly homepage?: string;
  /** Free text for reviewers: what the app is, what a domain is for. */
  readonly notes?: string;
}

export interface Catalog {
  readonly categories: readonly CategoryDef[];
  readonly attributes: readonly AttributeDef[];
  /** Case-insensitive lookup by display name. */
  findApp(name: string): CatalogApp | undefined;
  findAppById(id: string): CatalogApp | undefined;
  apps(): readonly CatalogApp[];
  findCategory(id: string): CategoryDef | undefined;
  findAttribute(id: string): AttributeDef | undefined;
  /**
   * The app a host name belongs to: the app whose domain pattern is the longest suffix of
   * the host (an exact name, or a `*.` subtree containing it). Optional so that small test
   * catalogs need not implement it; catalogs from `createCatalog` always do.
   */
  appForHost?(host: string): CatalogApp | undefined;
}

export type Importance = "ignored" | "low" | "medium" | "high" | "very_high";

/** The language's `score { … }` block, resolved. Missing entries take the defaults. */
export interface ScoreConfig {
  readonly families: Readonly<Partial<Record<RiskFamily, Importance>>>;
  readonly attributes: Readonly<Record<string, Importance>>;
  /** How an unknown attribute value counts: left out of the average, or scored 0. */
  readonly unknown: "ignored" | "counts_as_risk";
  /** Per-app overrides: app id → score and note. */
  readonly overrides?: Readonly<Record<string, { readonly score: number; readonly note?: string }>>;
  /**
   * Reference date (`YYYY-MM-DD`) for age-based attributes (domain age, founding year,
   * latest breach). Defaults to today; set it to make scores reproducible.
   */
  readonly asOf?: string;
  /**
   * Fewest known, counted values for a precise score when unknown values are ignored
   * (default `MIN_KNOWN_ATTRIBUTES`, 3); below it the app has insufficient data.
   */
  readonly minKnownAttributes?: number;
}
