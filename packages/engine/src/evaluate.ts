import type { Plan, PlanPolicy, AppTag } from "@sanction/compiler";
import { DAY_MS, dayName, dayStart, untilTime } from "./record.js";
import type { DailyUsage, DayUsage, UsageTable } from "./aggregate.js";
import type { EngineState } from "./state.js";

export type Metric = PlanPolicy["thresholds"][number]["metric"];

export interface ThresholdCheck {
  readonly metric: Metric;
  readonly op: string;
  readonly value: number;
  readonly observed: number;
  readonly ok: boolean;
}

/** A policy that matched an app on a day, with the values that made it match. */
export interface PolicyMatch {
  readonly policy: string;
  readonly app: number;
  readonly day: string;
  readonly thresholds: readonly ThresholdCheck[];
  /** For new-app policies: the day the app was first seen and the window. */
  readonly newApp?: { readonly firstSeen: string; readonly windowDays: number };
}

export function compareOp(a: number, op: string, b: number): boolean {
  return op === ">" ? a > b : op === ">=" ? a >= b : op === "<" ? a < b : a <= b;
}

/** Where a threshold's metric sits in DailyUsage.values (traffic: upload + download). */
const METRIC_AT: Record<Metric, number> = { users: 0, devices: 1, ips: 2, transactions: 3, upload: 4, download: 5, traffic: -1 };

/**
 * Every (policy, app, day) where the policy's usage thresholds all hold on that day and, for
 * new-app policies, the day lies inside the window after the app was first seen. Policies act
 * on discovered apps only: an app with no traffic never matches. Matches come per policy, per
 * candidate app, in day order.
 */
export function evaluatePolicies(plan: Plan, usage: Pick<UsageTable, "daily">, firstSeen: (app: number) => number | undefined): PolicyMatch[] {
  const matches: PolicyMatch[] = [];
  const daily = usage.daily();
  const { start, day } = daily;
  const names = new Map<number, string>();
  const nameOf = (d: number) => {
    // an integer key (a day number read from a Float64Array is a double) hashes faster
    const key = d | 0;
    let n = names.get(key);
    if (n === undefined) names.set(key, (n = dayName(d)));
    return n;
  };
  // per app, the day it was first seen (NaN: never), asked once
  const firstDays = new Map<number, number>();
  const firstDayOf = (app: number) => {
    let d = firstDays.get(app);
    if (d === undefined) {
      const fs = firstSeen(app);
      firstDays.set(app, (d = fs === undefined ? NaN : Math.floor(fs / DAY_MS)));
    }
    return d;
  };
  for (const p of plan.policies) {
    const at = p.thresholds.map((t) => METRIC_AT[t.metric]);
    const window = p.firstSeenWithinDays;
    for (const app of p.candidates) {
      if (app + 1 >= start.length) continue;
      const lo = start[app]!;
      const hi = start[app + 1]!;
      if (lo === hi) continue;
      let lastDay = Infinity;
      let newApp: PolicyMatch["newApp"];
      if (window !== undefined) {
        const firstDay = firstDayOf(app);
        if (Number.isNaN(firstDay)) continue;
        lastDay = firstDay + window;
        newApp = { firstSeen: nameOf(firstDay), windowDays: window };
      }
      matchDays(p, at, app, lo, Math.min(hi, endOf(day, lo, hi, lastDay)), newApp, daily, nameOf, matches);
    }
  }
  return matches;
}

/** The entries of [lo, hi) before `lastDay` (days ascending): where the first at or past it is. */
function endOf(day: Float64Array, lo: number, hi: number, lastDay: number): number {
  let e = lo;
  while (e < hi && day[e]! < lastDay) e++;
  return e;
}

/** One policy over one app's days, entries [lo, hi) of `daily`: a match for each day all thresholds hold on. */
function matchDays(
  p: PlanPolicy,
  at: readonly number[],
  app: number,
  lo: number,
  hi: number,
  newApp: PolicyMatch["newApp"],
  daily: DailyUsage,
  nameOf: (day: number) => string,
  matches: PolicyMatch[],
): void {
  const { day, values } = daily;
  for (let e = lo; e < hi; e++) {
    let ok = true;
    for (let k = 0; k < at.length && ok; k++) {
      const t = p.thresholds[k]!;
      ok = compareOp(observed(values, e, at[k]!), t.op, t.value);
    }
    if (!ok) continue;
    const thresholds: ThresholdCheck[] = [];
    for (let k = 0; k < at.length; k++) {
      const t = p.thresholds[k]!;
      thresholds.push({ metric: t.metric, op: t.op, value: t.value, observed: observed(values, e, at[k]!), ok: true });
    }
    const name = nameOf(day[e]!);
    matches.push(newApp ? { policy: p.name, app, day: name, thresholds, newApp } : { policy: p.name, app, day: name, thresholds });
  }
}

function observed(values: Float64Array, e: number, at: number): number {
  return at >= 0 ? values[e * 6 + at]! : values[e * 6 + 4]! + values[e * 6 + 5]!;
}

export function thresholdChecks(p: PlanPolicy, u: DayUsage): ThresholdCheck[] {
  return p.thresholds.map((t) => {
    const observed = u.metric(t.metric);
    return { metric: t.metric, op: t.op, value: t.value, observed, ok: compareOp(observed, t.op, t.value) };
  });
}

export interface Alert {
  readonly policy: string;
  readonly app: number;
  readonly severity: string;
  readonly day: string;
  readonly match: PolicyMatch;
}
export interface SuppressedAlert {
  readonly policy: string;
  readonly app: number;
  readonly day: string;
  readonly reason: string;
}

const NINETY_DAYS = 90 * DAY_MS;
/** Defender for Cloud Apps' default daily alert limit for a policy. */
export const DEFAULT_DAILY_ALERT_LIMIT = 5;

/**
 * Alerts from matches, in day order: at most one per app per policy per 90 days (remembered
 * in the state across runs), and at most the policy's daily limit per day.
 */
export function raiseAlerts(plan: Plan, matches: readonly PolicyMatch[], state: EngineState): { alerts: Alert[]; suppressed: SuppressedAlert[] } {
  const alerts: Alert[] = [];
  const suppressed: SuppressedAlert[] = [];
  const byPolicy = new Map(plan.policies.map((p) => [p.name, p]));
  // (a sort of the matches themselves: ranking the strings first and sorting numbers was faster
  // once compiled, but slower in a run that sorts once)
  const ordered = [...matches].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : a.app - b.app));
  // alerts per policy per day
  const perDay = new Map<string, Map<string, number>>();
  const countOn = (policy: string) => {
    let c = perDay.get(policy);
    if (!c) perDay.set(policy, (c = new Map()));
    return c;
  };
  const last = state.lastAlert as Record<string, Record<string, number>>;
  // The daily limit holds across runs: alerts earlier runs raised (the state keeps the day of
  // each app's last alert, which stays put for 90 days) count toward their day's limit.
  for (const [policy, byApp] of Object.entries(last)) {
    const c = countOn(policy);
    for (const t of Object.values(byApp)) {
      const day = new Date(t).toISOString().slice(0, 10);
      c.set(day, (c.get(day) ?? 0) + 1);
    }
  }
  // per policy, the last alert per app as an array by app index (the state's object, keyed by
  // app id, is written as well): the same app id for two indices shares one entry, as in the state
  const sameId = new Map<string, number>();
  const canonical = Int32Array.from(plan.apps, (a, i) => {
    const first = sameId.get(a.id);
    if (first !== undefined) return first;
    sameId.set(a.id, i);
    return i;
  });
  const lastOf = new Map<string, Float64Array | null>();
  /** The policy's last alerts by app index; null when the state holds something else than numbers (read as it is). */
  const lastAlertOf = (policy: string): Float64Array | null => {
    let byIndex = lastOf.get(policy);
    if (byIndex !== undefined) return byIndex;
    byIndex = new Float64Array(plan.apps.length).fill(NaN);
    for (const [appId, t] of Object.entries(last[policy] ?? {})) {
      const i = sameId.get(appId);
      if (typeof t !== "number" || Number.isNaN(t)) byIndex = null;
      else if (i !== undefined && byIndex) byIndex[i] = t;
    }
    lastOf.set(policy, byIndex);
    return byIndex;
  };
  const alertOf = new Map<string, { kind: "alert"; dailyLimit?: number } | null>();
  const starts = new Map<string, number>();
  // the reasons are the same few strings: made once each
  const alreadyAlerted = new Map<number, string>();
  const limitReached = new Map<number, string>();
  for (const m of ordered) {
    const p = byPolicy.get(m.policy)!;
    let alert = alertOf.get(m.policy);
    if (alert === undefined) alertOf.set(m.policy, (alert = (p.actions.find((a) => a.kind === "alert") as { kind: "alert"; dailyLimit?: number } | undefined) ?? null));
    if (!alert) continue;
    const appId = plan.apps[m.app]!.id;
    let t = starts.get(m.day);
    if (t === undefined) starts.set(m.day, (t = dayStart(m.day)));
    const byIndex = lastAlertOf(m.policy);
    const prev = byIndex ? byIndex[canonical[m.app]!]! : (last[m.policy]?.[appId] ?? NaN);
    if (!Number.isNaN(prev) && t - prev < NINETY_DAYS && t >= prev) {
      if (t !== prev) {
        let reason = alreadyAlerted.get(prev);
        if (reason === undefined) alreadyAlerted.set(prev, (reason = `already alerted on ${new Date(prev).toISOString().slice(0, 10)} (one alert per app per policy per 90 days)`));
        suppressed.push({ policy: m.policy, app: m.app, day: m.day, reason });
      }
      continue;
    }
    const limit = alert.dailyLimit ?? DEFAULT_DAILY_ALERT_LIMIT;
    const counts = countOn(m.policy);
    const n = counts.get(m.day) ?? 0;
    if (n >= limit) {
      let reason = limitReached.get(limit);
      if (reason === undefined) limitReached.set(limit, (reason = `daily alert limit of ${limit} reached`));
      suppressed.push({ policy: m.policy, app: m.app, day: m.day, reason });
      continue;
    }
    counts.set(m.day, n + 1);
    (last[m.policy] ??= {})[appId] = t;
    if (byIndex) byIndex[canonical[m.app]!] = t;
    alerts.push({ policy: m.policy, app: m.app, severity: p.severity, day: m.day, match: m });
  }
  return { alerts, suppressed };
}

export interface TagSource {
  readonly kind: "manual" | "policy";
  readonly name: string;
  readonly source: string;
}

/** The governance tag an app ends with, where it came from, and what it overrode. */
export interface AppTagging {
  readonly app: number;
  readonly tag: AppTag;
  readonly mode: "audit" | "enforce";
  readonly from: TagSource;
  readonly scope: PlanPolicy["scope"];
  readonly redirect?: string;
  readonly bypassSeconds?: number;
  /** Other tags proposed for the app that lost, and why. */
  readonly overridden: readonly { readonly tag: AppTag; readonly from: TagSource; readonly reason: string }[];
  /**
   * Every tag in force for the app, in the order a request consults them: manual decisions
   * (group-scoped before broader ones), then policies (most restrictive first). A request gets
   * the first whose scope contains its device, so a decision scoped to one group changes that
   * group only. The app's reported tag is the first of these.
   */
  readonly layers: readonly TagLayer[];
}

export type TagLayer = Omit<AppTagging, "app" | "overridden" | "layers">;

const RANK: Record<AppTag, number> = { unsanctioned: 3, monitored: 2, sanctioned: 1 };
const ACTION_TAG: Record<string, AppTag> = { unsanction: "unsanctioned", monitor: "monitored", sanction: "sanctioned" };

/**
 * Tags with their documented precedence: a manual decision beats any policy; among policies
 * the most restrictive tag wins (unsanctioned > monitored > sanctioned) and the losers are
 * kept as a reported conflict. `asOf` (end of the traffic window) expires `until` decisions.
 */
export function resolveTags(plan: Plan, matches: readonly PolicyMatch[], asOf: number): { tags: Map<number, AppTagging>; custom: Map<number, Set<string>> } {
  type Proposal = TagLayer;
  const proposals = new Map<number, Proposal[]>();
  const custom = new Map<number, Set<string>>();
  const propose = (app: number, p: Proposal) => {
    const list = proposals.get(app) ?? [];
    list.push(p);
    proposals.set(app, list);
  };
  const byPolicy = new Map(plan.policies.map((p) => [p.name, p]));
  // each (policy, app) once
  const seen = new Map<string, Set<number>>();
  for (const m of matches) {
    let apps = seen.get(m.policy);
    if (!apps) seen.set(m.policy, (apps = new Set()));
    if (apps.has(m.app)) continue;
    apps.add(m.app);
    const p = byPolicy.get(m.policy)!;
    for (const a of p.actions) {
      if (a.kind === "tag") {
        let set = custom.get(m.app);
        if (!set) custom.set(m.app, (set = new Set()));
        set.add(a.tag);
        continue;
      }
      const tag = ACTION_TAG[a.kind];
      if (!tag) continue;
      propose(m.app, {
        tag,
        mode: p.mode,
        from: { kind: "policy", name: p.name, source: p.source },
        scope: p.scope,
        ...("redirect" in a && a.redirect ? { redirect: a.redirect } : {}),
        ...("bypassSeconds" in a && a.bypassSeconds ? { bypassSeconds: a.bypassSeconds } : {}),
      });
    }
  }
  const manual = new Map<number, Proposal[]>();
  for (const d of plan.appDecisions) {
    if (d.until !== undefined && untilTime(d.until) <= asOf) continue;
    const list = manual.get(d.app) ?? [];
    manual.set(d.app, list);
    list.push({
      tag: d.tag,
      mode: d.mode,
      from: { kind: "manual", name: `${d.tag === "unsanctioned" ? "unsanction" : d.tag === "monitored" ? "monitor" : "sanction"} app "${plan.apps[d.app]!.name}"`, source: d.source },
      scope: d.scope,
      ...(d.redirect ? { redirect: d.redirect } : {}),
      ...(d.bypassSeconds ? { bypassSeconds: d.bypassSeconds } : {}),
    });
  }
  const tags = new Map<number, AppTagging>();
  const apps = new Set([...proposals.keys(), ...manual.keys()]);
  for (const app of [...apps].sort((a, b) => a - b)) {
    const fromPolicies = [...(proposals.get(app) ?? [])].sort((a, b) => RANK[b.tag] - RANK[a.tag] || (a.from.name < b.from.name ? -1 : 1));
    // Narrower scopes first: a decision for one group is an exception to a broader one.
    const manuals = [...(manual.get(app) ?? [])].sort((a, b) => scopeBreadth(a.scope) - scopeBreadth(b.scope));
    const m = manuals[0];
    const winner = m ?? fromPolicies[0]!;
    const overridden = fromPolicies
      .filter((p) => p !== winner)
      .map((p) => ({
        tag: p.tag,
        from: p.from,
        reason: m ? "a manual decision takes precedence over policies" : p.tag === winner.tag ? "another policy already sets the same tag" : `${winner.tag} is more restrictive than ${p.tag}`,
      }));
    tags.set(app, { app, ...winner, overridden, layers: [...manuals, ...fromPolicies] });
  }
  return { tags, custom };
}

/** 0 for a scope naming the groups it includes, 1 for "all except …", 2 for everyone. */
function scopeBreadth(scope: TagLayer["scope"]): number {
  return scope.include !== undefined ? 0 : scope.exclude.length ? 1 : 2;
}
