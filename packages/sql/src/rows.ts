/** What a discovery query set returns, as plain rows (the same shape from every SQL target). */
export interface UsageRow {
  readonly app: number;
  /** `YYYY-MM-DD` (UTC) */
  readonly day: string;
  readonly users: number;
  readonly devices: number;
  readonly ips: number;
  readonly transactions: number;
  readonly upload: number;
  readonly download: number;
  readonly firstMs: number;
  readonly lastMs: number;
}
export interface AppUsageRow extends Omit<UsageRow, "day"> {
  readonly days: number;
}
export interface MatchRow {
  readonly policy: string;
  readonly app: number;
  readonly day: string;
}
export interface TagRow {
  readonly app: number;
  readonly tag: string;
  readonly mode: string;
  readonly kind: string;
  readonly by: string;
  readonly source: string;
}
export interface DiscoveryRows {
  readonly usage: readonly UsageRow[];
  readonly appUsage: readonly AppUsageRow[];
  readonly matches: readonly MatchRow[];
  readonly tags: readonly TagRow[];
  readonly customTags: readonly { readonly app: number; readonly tag: string }[];
  /** DuckDB only: alerts from no earlier alerts (the CLI applies the engine's rule with --state instead). */
  readonly alerts?: readonly { readonly policy: string; readonly app: number; readonly day: string; readonly severity: string }[];
  readonly window: { readonly records: number; readonly minMs: number | null; readonly maxMs: number | null; readonly withoutHost: number; readonly attributed: number };
}
