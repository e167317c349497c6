/*
 * The indicator set: what Sanction wants enforced, before any target's format. Generated
 * from the plan and the app tags (generate.ts), then viewed per target: with device groups
 * (Defender for Endpoint, views.ts `groupedView`) or flattened for one group (every other
 * target, `flatView`).
 */

export type IndicatorKind = "domain" | "url" | "ip";
export type IndicatorAction = "allow" | "warn" | "block" | "audit";
export type IndicatorSeverity = "informational" | "low" | "medium" | "high";

export interface Scope {
  /** `undefined` = all devices. */
  readonly include: readonly string[] | undefined;
  readonly exclude: readonly string[];
}

/** One indicator Sanction wants, with where it comes from. */
export interface Indicator {
  readonly kind: IndicatorKind;
  /**
   * A lower-case punycode domain (always covering its subdomains, as Defender matches
   * domains), an http(s) URL, or an IP address.
   */
  readonly value: string;
  readonly action: IndicatorAction;
  /** The app the indicator is for, when it comes from an app tag. */
  readonly app?: string;
  /** The rule that asked for it: `unsanction app "Discord"`, `policy "Social media"`, `block domain "x.com"`. */
  readonly rule: string;
  /** `file:line:col` of that rule. */
  readonly source: string;
  readonly severity: IndicatorSeverity;
  /** Expiry date (YYYY-MM-DD), kept from `until`. */
  readonly until?: string;
  /** Warn page or block notification URL. */
  readonly redirect?: string;
  readonly bypassSeconds?: number;
  readonly scope: Scope;
  readonly note?: string;
}

/** Something the generator or a view wants the user to know. */
export interface IndicatorNote {
  readonly kind:
    | "never-block"
    | "sanctioned-caught"
    | "precedence"
    | "url-precedence"
    | "unsupported"
    | "downgraded"
    | "collapsed"
    | "scope-exception"
    | "expired";
  readonly message: string;
}

export interface IndicatorSet {
  /** Sorted by kind, value, action, rule. */
  readonly indicators: readonly Indicator[];
  readonly notes: readonly IndicatorNote[];
}

const KIND_ORDER: Record<IndicatorKind, number> = { domain: 0, url: 1, ip: 2 };
/** Defender's precedence on one value: Allow > Warn > Block (Audit only logs, so it loses to all). */
export const ACTION_RANK: Record<IndicatorAction, number> = { allow: 4, warn: 3, block: 2, audit: 1 };

export const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function cmpIndicator(a: Indicator, b: Indicator): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    cmpStr(a.value, b.value) ||
    ACTION_RANK[b.action] - ACTION_RANK[a.action] ||
    cmpStr(a.rule, b.rule) ||
    cmpStr(a.source, b.source) ||
    cmpStr(scopeKey(a.scope), scopeKey(b.scope))
  );
}

export function scopeKey(s: Scope): string {
  return `${s.include ? [...s.include].sort().join(",") : "*"}-${[...s.exclude].sort().join(",")}`;
}

/** `a` is `b` or a subdomain of `b`. */
export function underDomain(a: string, b: string): boolean {
  return a === b || (a.length > b.length && a.endsWith(b) && a.charCodeAt(a.length - b.length - 1) === 46);
}

/** `x.y.z` → `["x.y.z", "y.z", "z"]`. */
export function suffixes(domain: string): string[] {
  const out = [domain];
  for (let i = domain.indexOf("."); i >= 0; i = domain.indexOf(".", i + 1)) out.push(domain.slice(i + 1));
  return out;
}

export function hostOfUrl(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
