import type { AppTag, Plan, PlanPolicy, PlanThreshold } from "@sanction/compiler";

/*
 * The discovery part of a plan, flattened into the tables every target needs: the app-domain
 * table (attribution), the policies with their candidates and thresholds, the tag proposals
 * each policy or manual decision makes (with one number that orders them by the documented
 * precedence), custom tags, and alert settings. Targets only print these.
 */

export type Target = "duckdb" | "clickhouse" | "kql";
export const TARGETS: readonly Target[] = ["duckdb", "clickhouse", "kql"];

/** A policy feature a target cannot express: a compile error naming the construct and the target. */
export class TargetError extends Error {
  override readonly name = "TargetError";
  constructor(
    readonly target: Target,
    readonly policy: string,
    readonly source: string,
    readonly construct: string,
    readonly why: string,
  ) {
    super(`policy ${JSON.stringify(policy)} (${source}): ${construct} cannot be expressed for --target ${target}: ${why}`);
  }
}

export interface DomainRow {
  /** The pattern's name without `*.`. */
  readonly domain: string;
  readonly app: number;
  /** `*.domain`: the domain and every name below it; else exactly that host. */
  readonly subtree: boolean;
}

export interface DiscoveryPolicy {
  readonly index: number;
  readonly name: string;
  readonly source: string;
  /** Candidate app indexes, or "all" when the filter accepts every app of the plan. */
  readonly candidates: readonly number[] | "all";
  readonly thresholds: readonly PlanThreshold[];
  readonly firstSeenWithinDays?: number;
  readonly severity: string;
  /** Daily alert limit when the policy alerts. */
  readonly alertLimit?: number;
}

/** A tag an app may get: from a policy that matched it, or from a manual decision. */
export interface TagProposal {
  readonly kind: "policy" | "manual";
  /** Policy name, or `unsanction app "Name"` for a manual decision. */
  readonly by: string;
  readonly source: string;
  readonly tag: AppTag;
  readonly mode: string;
  /** Lower wins: manual decisions (narrow scopes first, then plan order), then policies (unsanctioned > monitored > sanctioned, then name). */
  readonly priority: number;
  /** For policy proposals: the policy. */
  readonly policy?: string;
  /** For manual proposals: the app and the `until` instant (epoch ms) after which it no longer applies. */
  readonly app?: number;
  readonly untilMs?: number;
}

export interface Discovery {
  readonly apps: readonly { readonly index: number; readonly id: string; readonly name: string }[];
  readonly domains: readonly DomainRow[];
  readonly policies: readonly DiscoveryPolicy[];
  readonly proposals: readonly TagProposal[];
  readonly customTags: readonly { readonly policy: string; readonly tag: string }[];
}

const RANK: Record<AppTag, number> = { unsanctioned: 3, monitored: 2, sanctioned: 1 };
const ACTION_TAG: Record<string, AppTag> = { unsanction: "unsanctioned", monitor: "monitored", sanction: "sanctioned" };
export const DEFAULT_ALERT_LIMIT = 5;
export const BYTE_METRICS: ReadonlySet<PlanThreshold["metric"]> = new Set(["upload", "download", "traffic"]);

/** `until` as epoch ms: a date at its midnight UTC, a date-time at that instant (the engine's rule). */
function untilMs(until: string): number {
  return until.length === 10 ? Date.parse(until + "T00:00:00Z") : Date.parse(until);
}

function scopeBreadth(scope: PlanPolicy["scope"]): number {
  return scope.include !== undefined ? 0 : scope.exclude.length ? 1 : 2;
}

export function discovery(plan: Plan): Discovery {
  // The first app (in plan order) claiming a pattern keeps it, as in the compiled matcher.
  const owner = new Map<string, number>();
  plan.apps.forEach((a, i) => a.domains.forEach((d) => owner.has(d) || owner.set(d, i)));
  const domains = [...owner]
    .map(([p, app]) => ({ domain: p.startsWith("*.") ? p.slice(2) : p, app, subtree: p.startsWith("*.") }))
    .sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : Number(a.subtree) - Number(b.subtree)));

  const policies: DiscoveryPolicy[] = plan.policies.map((p, index) => {
    const alert = p.actions.find((a) => a.kind === "alert") as { kind: "alert"; dailyLimit?: number } | undefined;
    return {
      index,
      name: p.name,
      source: p.source,
      candidates: p.candidates.length === plan.apps.length ? "all" : p.candidates,
      thresholds: p.thresholds,
      ...(p.firstSeenWithinDays !== undefined ? { firstSeenWithinDays: p.firstSeenWithinDays } : {}),
      severity: p.severity,
      ...(alert ? { alertLimit: alert.dailyLimit ?? DEFAULT_ALERT_LIMIT } : {}),
    };
  });

  const proposals: TagProposal[] = [];
  const byName = [...plan.policies].map((p) => p.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const p of plan.policies) {
    for (const a of p.actions) {
      const tag = ACTION_TAG[a.kind];
      if (!tag) continue;
      proposals.push({ kind: "policy", by: p.name, source: p.source, tag, mode: p.mode, policy: p.name, priority: 1_000_000_000 + (3 - RANK[tag]) * 1_000_000 + byName.indexOf(p.name) });
    }
  }
  plan.appDecisions.forEach((d, i) => {
    const verb = d.tag === "unsanctioned" ? "unsanction" : d.tag === "monitored" ? "monitor" : "sanction";
    proposals.push({
      kind: "manual",
      by: `${verb} app "${plan.apps[d.app]!.name}"`,
      source: d.source,
      tag: d.tag,
      mode: d.mode,
      app: d.app,
      ...(d.until !== undefined ? { untilMs: untilMs(d.until) } : {}),
      priority: scopeBreadth(d.scope) * 1_000_000 + i,
    });
  });
  const customTags = plan.policies.flatMap((p) => p.actions.filter((a) => a.kind === "tag").map((a) => ({ policy: p.name, tag: (a as { tag: string }).tag })));
  return { apps: plan.apps.map((a, index) => ({ index, id: a.id, name: a.name })), domains, policies, proposals, customTags };
}

/** Byte thresholds are not expressible where the data has no byte counts (KQL over DeviceNetworkEvents). */
export function rejectByteThresholds(d: Discovery, target: Target, why: string): void {
  for (const p of d.policies) {
    const t = p.thresholds.find((x) => BYTE_METRICS.has(x.metric));
    if (t) throw new TargetError(target, p.name, p.source, `the byte threshold \`${t.metric} ${t.op} ${t.value} per day\``, why);
  }
}

export const METRIC_COLUMN: Record<PlanThreshold["metric"], string> = {
  users: "users",
  devices: "devices",
  ips: "ips",
  transactions: "transactions",
  upload: "upload",
  download: "download",
  traffic: "traffic",
};
