import type { ScoreConfig } from "@sanction/catalog";
import type { Action, Group, Mode, ScopeSpec, Severity, TestCase } from "@sanction/semantics";

/*
 * The compiled plan: everything the engine needs, and nothing it would have to re-derive from
 * syntax. It is JSON, versioned, and byte-identical for the same inputs (sorted keys where
 * order is not meaningful, no timestamps, paths relative to the workspace).
 */

export const PLAN_FORMAT = "sanction-plan";
export const PLAN_VERSION = 1;

/** `file:line:col` of the declaration a plan element comes from. */
export type SourceRef = string;

export interface PlanApp {
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly category: string;
  /** Risk score 0..10, or null when there is not enough data to score. */
  readonly score: number | null;
  readonly domains: readonly string[];
  readonly origin: "curated" | "third-party-web" | "workspace";
  /** Tags declared in the workspace (`tag` in app/override blocks). */
  readonly tags: readonly string[];
  /** Admin or security portals that must never be blocked. */
  readonly neverBlock: boolean;
}

export interface PlanThreshold {
  readonly metric: "users" | "devices" | "ips" | "transactions" | "upload" | "download" | "traffic";
  readonly op: ">" | ">=" | "<" | "<=";
  readonly value: number;
  readonly fromTemplate: boolean;
}

export interface PlanPolicy {
  readonly name: string;
  readonly source: SourceRef;
  readonly template?: string;
  readonly severity: Severity;
  readonly mode: Mode;
  readonly scope: ScopeSpec;
  readonly actions: readonly Action[];
  /** Usage thresholds, all on the same day. The template `score` bound is folded into `candidates`. */
  readonly thresholds: readonly PlanThreshold[];
  /** New app window in days (first seen within), if any. */
  readonly firstSeenWithinDays?: number;
  /** Indexes into `apps` of every app the static filter (and score bound) accepts, ascending. */
  readonly candidates: readonly number[];
  /** Human-readable static filter, for explanations. */
  readonly filter: string;
}

export type AppTag = "sanctioned" | "unsanctioned" | "monitored";

export interface PlanAppDecision {
  readonly app: number;
  readonly tag: AppTag;
  readonly mode: Mode;
  readonly until?: string;
  readonly redirect?: string;
  readonly bypassSeconds?: number;
  readonly scope: ScopeSpec;
  readonly note?: string;
  readonly source: SourceRef;
}

export type IndicatorAction = "block" | "warn" | "audit" | "allow";

/** A manual domain, URL or IP decision. */
export interface PlanIndicator {
  readonly type: "domain" | "url" | "ip";
  readonly value: string;
  readonly action: IndicatorAction;
  readonly mode: Mode;
  readonly until?: string;
  readonly redirect?: string;
  readonly bypassSeconds?: number;
  readonly scope: ScopeSpec;
  readonly note?: string;
  readonly source: SourceRef;
}

export interface Plan {
  readonly format: typeof PLAN_FORMAT;
  readonly version: typeof PLAN_VERSION;
  readonly generator: string;
  /** The policy files compiled, with a SHA-256 of their text. */
  readonly sources: readonly { readonly path: string; readonly sha256: string }[];
  readonly score: ScoreConfig;
  readonly apps: readonly PlanApp[];
  /** Serialized host matcher (base64): domain pattern → index into `apps`. */
  readonly appMatcher: string;
  /** Serialized host matcher (base64): domain pattern → index into `indicators` (domain decisions only). */
  readonly domainIndicatorMatcher: string;
  readonly groups: readonly Omit<Group, "span">[];
  readonly policies: readonly PlanPolicy[];
  readonly appDecisions: readonly PlanAppDecision[];
  readonly indicators: readonly PlanIndicator[];
  readonly tests: readonly PlanTest[];
}

/** A model element with its span replaced by a `file:line:col` reference (distributes over unions). */
export type Sourced<T> = T extends unknown ? Omit<T, "span"> & { readonly source: SourceRef } : never;

export interface PlanTest {
  readonly name: string;
  readonly source: SourceRef;
  readonly traffic: readonly Sourced<TestCase["traffic"][number]>[];
  readonly expectations: readonly Sourced<TestCase["expectations"][number]>[];
}
