import type { Plan } from "@sanction/compiler";
import {
  emptyState,
  raiseAlerts,
  REPORT_FORMAT,
  REPORT_VERSION,
  reportApp,
  reportSections,
  resolveTags,
  whyMatched,
  zeroCounts,
  type EngineState,
  type PolicyMatch,
  type SimulationReport,
} from "@sanction/engine";
import type { DiscoveryRows, UsageRow } from "./rows.js";

/*
 * The simulation report from a SQL target's discovery rows: apps with their aggregates,
 * policy matches with the values that made them match, alerts (the engine's 90-day rule and
 * daily limit, applied to the SQL matches, with the alert history of a state file), tags and
 * the indicators they imply. SQL runs no second pass: verdict counts are zero and unknown
 * domains are not listed.
 */

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const DAY_MS = 86_400_000;

export function matchesFromRows(plan: Plan, rows: Pick<DiscoveryRows, "usage" | "matches">): PolicyMatch[] {
  const usage = new Map<string, UsageRow>(rows.usage.map((u) => [`${u.app} ${u.day}`, u]));
  const firstDay = new Map<number, string>();
  for (const u of rows.usage) if (!firstDay.has(u.app) || u.day < firstDay.get(u.app)!) firstDay.set(u.app, u.day);
  const byName = new Map(plan.policies.map((p) => [p.name, p]));
  return rows.matches.map((m) => {
    const p = byName.get(m.policy)!;
    const u = usage.get(`${m.app} ${m.day}`)!;
    const observed = (metric: string) => (metric === "traffic" ? u.upload + u.download : (u as unknown as Record<string, number>)[metric]!);
    return {
      policy: m.policy,
      app: m.app,
      day: m.day,
      thresholds: p.thresholds.map((t) => ({ metric: t.metric, op: t.op, value: t.value, observed: observed(t.metric), ok: true })),
      ...(p.firstSeenWithinDays !== undefined ? { newApp: { firstSeen: firstDay.get(m.app)!, windowDays: p.firstSeenWithinDays } } : {}),
    };
  });
}

export function discoveryReport(plan: Plan, rows: DiscoveryRows, opts: { state?: EngineState; inputs?: SimulationReport["inputs"] } = {}): { report: SimulationReport; state: EngineState } {
  const matches = matchesFromRows(plan, rows);
  const state: EngineState = structuredClone(opts.state ?? emptyState());
  const { alerts, suppressed } = raiseAlerts(plan, matches, state);
  const { tags, custom } = resolveTags(plan, matches, rows.window.maxMs ?? 0);
  for (const a of rows.appUsage) {
    const id = plan.apps[a.app]!.id;
    const before = state.firstSeen[id];
    (state.firstSeen as Record<string, number>)[id] = before === undefined ? a.firstMs : Math.min(before, a.firstMs);
  }
  const appName = (i: number) => plan.apps[i]!.name;
  // No per-request verdicts from SQL: the counts stay zero.
  const apps = rows.appUsage.map((u) => reportApp(plan, u.app, { ...u, first: u.firstMs, last: u.lastMs }, tags.get(u.app), custom.get(u.app), zeroCounts()));
  apps.sort((a, b) => b.users - a.users || b.bytesUp + b.bytesDown - (a.bytesUp + a.bytesDown) || cmp(a.id, b.id));
  const { policies, tagConflicts, indicators } = reportSections(plan, matches, tags);
  const w = rows.window;
  const from = w.minMs === null ? null : new Date(w.minMs).toISOString().slice(0, 10);
  const to = w.maxMs === null ? null : new Date(w.maxMs).toISOString().slice(0, 10);
  const report: SimulationReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    window: from && to ? { from, to, days: Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1 } : { from: null, to: null, days: 0 },
    inputs: opts.inputs ?? [],
    totals: { records: w.records, attributed: w.attributed, unknown: w.records - w.attributed - w.withoutHost, withoutHost: w.withoutHost, rejected: 0 },
    rejected: [],
    apps,
    policies,
    alerts: alerts.map((a) => ({ policy: a.policy, app: appName(a.app), severity: a.severity, day: a.day, why: whyMatched(a.match) })),
    suppressedAlerts: suppressed.map((s) => ({ policy: s.policy, app: appName(s.app), day: s.day, reason: s.reason })),
    tagConflicts,
    indicators,
    verdicts: { total: zeroCounts(), byGroup: {} },
    unknownDomains: [],
  };
  return { report, state };
}
