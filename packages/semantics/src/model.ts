import type { Span } from "@sanction/diagnostics";
import type { ScoreConfig, CatalogApp } from "@sanction/catalog";
import type { Metric, ThresholdParam } from "./templates.js";

/*
 * The checked model: what the policies mean, with every name resolved and every value
 * normalised (domains in punycode, sizes in bytes, durations in seconds). The compiler reads
 * only this, never the AST. Every element keeps the span it came from, for explanations.
 */

export type Severity = "informational" | "low" | "medium" | "high";
export type Mode = "audit" | "enforce";
export type AppTag = "sanctioned" | "unsanctioned" | "monitored";

export interface GroupMemberRule {
  readonly selector: "device.tag" | "device.name" | "user" | "user.group" | "ip";
  readonly op: "==" | "!=" | "in" | "matches";
  readonly values: readonly string[];
}
export interface Group {
  readonly name: string;
  /** A device or user belongs to the group when any rule holds. */
  readonly rules: readonly GroupMemberRule[];
  readonly span: Span;
}

export interface ScopeSpec {
  /** `undefined` = all devices. */
  readonly include: readonly string[] | undefined;
  readonly exclude: readonly string[];
}

/** A custom app (`app`) or the changed fields of a catalog app (`override app`). */
export interface AppDef {
  readonly name: string;
  readonly override: boolean;
  /** For overrides: the catalog app being changed. */
  readonly base?: CatalogApp;
  readonly vendor?: string;
  readonly category?: string;
  readonly domains: readonly string[];
  readonly urls: readonly string[];
  readonly ips: readonly string[];
  readonly hq?: string;
  readonly tags: readonly string[];
  readonly attributes: Readonly<Record<string, boolean | number | string>>;
  readonly scoreOverride?: { readonly score: number; readonly note?: string };
  readonly span: Span;
}

export type FilterValue = string | number | boolean;

/** A filter over app attributes, evaluated against the catalog at compile time. */
export type Filter =
  | { readonly kind: "and" | "or"; readonly args: readonly Filter[] }
  | { readonly kind: "not"; readonly arg: Filter }
  | { readonly kind: "compare"; readonly attribute: string; readonly op: "==" | "!=" | "<" | "<=" | ">" | ">="; readonly value: FilterValue; readonly span: Span }
  | { readonly kind: "in"; readonly attribute: string; readonly values: readonly FilterValue[]; readonly span: Span }
  | { readonly kind: "range"; readonly attribute: string; readonly from: number; readonly to: number; readonly span: Span }
  | { readonly kind: "matches"; readonly attribute: string; readonly pattern: string; readonly span: Span }
  | { readonly kind: "contains"; readonly attribute: string; readonly value: string; readonly span: Span }
  | { readonly kind: "truthy"; readonly attribute: string; readonly span: Span }
  | { readonly kind: "lacks_any"; readonly attributes: readonly string[]; readonly span: Span };

export interface Threshold {
  readonly param: ThresholdParam;
  readonly op: ">" | ">=" | "<" | "<=";
  /** Count, bytes or score. */
  readonly value: number;
  /** From the template's defaults rather than written in the policy. */
  readonly fromTemplate: boolean;
  readonly span: Span;
}

export type Action =
  | { readonly kind: "sanction" | "unsanction"; readonly redirect?: string }
  | { readonly kind: "monitor"; readonly redirect?: string; readonly bypassSeconds?: number }
  | { readonly kind: "alert"; readonly dailyLimit?: number }
  | { readonly kind: "tag"; readonly tag: string };

export interface Policy {
  readonly name: string;
  readonly template?: string;
  readonly severity: Severity;
  readonly filter: Filter | undefined;
  /** Usage thresholds (all must hold on the same day) and the template `score` parameter. */
  readonly thresholds: readonly Threshold[];
  readonly metrics: readonly Metric[];
  /** New app: first seen within this many seconds. */
  readonly firstSeenWithin?: number;
  readonly scope: ScopeSpec;
  readonly mode: Mode;
  readonly actions: readonly Action[];
  readonly span: Span;
}

export type DecisionVerb = "sanction" | "unsanction" | "monitor" | "block" | "warn" | "audit" | "allow";
export type DecisionTarget = "app" | "domain" | "url" | "ip";

export interface Decision {
  readonly verb: DecisionVerb;
  readonly target: DecisionTarget;
  /** App name (as declared), punycode domain (`*.` for subtree kept off: domains always cover subdomains), URL, or IP/CIDR. */
  readonly value: string;
  readonly until?: string;
  readonly mode: Mode;
  readonly redirect?: string;
  readonly bypassSeconds?: number;
  readonly scope: ScopeSpec;
  readonly note?: string;
  readonly span: Span;
}

export interface TrafficRecord {
  readonly user?: string;
  /** Synthetic distinct users `user1..userN`. */
  readonly users?: number;
  readonly device?: string;
  /** Device tags of the device (for device.tag groups). */
  readonly deviceTags?: readonly string[];
  /** User groups of the user (for user.group groups). */
  readonly userGroups?: readonly string[];
  readonly ip?: string;
  readonly host?: string;
  readonly url?: string;
  readonly up: number;
  readonly down: number;
  readonly at?: string;
  readonly days: number;
  readonly span: Span;
}

export type Expectation =
  | { readonly kind: "app"; readonly app: string; readonly negated: boolean; readonly tag: AppTag | { readonly custom: string }; readonly span: Span }
  | {
      readonly kind: "verdict";
      /** What is requested: a host name, a full URL, or an IP address. */
      readonly target: { readonly kind: "host" | "url" | "ip"; readonly value: string };
      readonly device?: string;
      readonly verdict: "allow" | "audit" | "warn" | "block";
      readonly span: Span;
    }
  | { readonly kind: "alert"; readonly negated: boolean; readonly policy?: string; readonly span: Span };

export interface TestCase {
  readonly name: string;
  readonly traffic: readonly TrafficRecord[];
  readonly expectations: readonly Expectation[];
  readonly span: Span;
}

export interface Model {
  readonly groups: readonly Group[];
  readonly apps: readonly AppDef[];
  readonly score: ScoreConfig;
  readonly policies: readonly Policy[];
  readonly decisions: readonly Decision[];
  readonly tests: readonly TestCase[];
}
