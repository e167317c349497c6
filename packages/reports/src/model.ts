/*
 * Figures every renderer shows, derived once from the report so that the terminal, Markdown
 * and HTML views agree on what "top", "untagged" or "blocked" mean.
 */
import type { ReportApp, SimulationReport, VerdictCounts } from "@sanction/engine";
import { cmp, formatBytes, formatInt } from "./text.js";

/**
 * The verdicts as a partition of the requests. In the report, `bypass` counts requests let
 * through after a warning, and those are also counted in `allow`; here they are split out so
 * that the five parts add up to the total.
 */
export interface VerdictParts {
  readonly allow: number;
  readonly bypass: number;
  readonly audit: number;
  readonly warn: number;
  readonly block: number;
}

export const VERDICT_KINDS = ["allow", "bypass", "audit", "warn", "block"] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];

export function verdictParts(c: VerdictCounts): VerdictParts {
  const bypass = Math.min(c.bypass, c.allow);
  return { allow: c.allow - bypass, bypass, audit: c.audit, warn: c.warn, block: c.block };
}

export function verdictTotal(c: VerdictCounts): number {
  return c.allow + c.audit + c.warn + c.block;
}

export const TAGS = ["sanctioned", "unsanctioned", "monitored"] as const;

export function appTraffic(a: ReportApp): number {
  return a.bytesUp + a.bytesDown;
}

export interface CategoryStat {
  readonly category: string;
  readonly apps: number;
  readonly users: number;
  readonly transactions: number;
  readonly bytes: number;
}

export function categoryStats(report: SimulationReport): CategoryStat[] {
  const by = new Map<string, { apps: number; users: number; transactions: number; bytes: number }>();
  for (const a of report.apps) {
    let s = by.get(a.category);
    if (!s) by.set(a.category, (s = { apps: 0, users: 0, transactions: 0, bytes: 0 }));
    s.apps++;
    s.users += a.users;
    s.transactions += a.transactions;
    s.bytes += appTraffic(a);
  }
  return [...by.entries()].map(([category, s]) => ({ category, ...s })).sort((a, b) => b.apps - a.apps || b.users - a.users || cmp(a.category, b.category));
}

/** Score bands: `0` holds scores in [0, 1), …, `9` holds [9, 10]; then the unscored apps. */
export const SCORE_BANDS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "n/a"] as const;

export function scoreBand(score: number | null): (typeof SCORE_BANDS)[number] {
  if (score === null || !Number.isFinite(score)) return "n/a";
  const b = Math.max(0, Math.min(10, Math.floor(score)));
  return SCORE_BANDS[b]!;
}

export function scoreDistribution(report: SimulationReport): { band: string; apps: number; users: number }[] {
  const out = SCORE_BANDS.map((band) => ({ band, apps: 0, users: 0 }));
  for (const a of report.apps) {
    const i = SCORE_BANDS.indexOf(scoreBand(a.score));
    out[i]!.apps++;
    out[i]!.users += a.users;
  }
  return out;
}

export function topByUsers(report: SimulationReport, n: number): ReportApp[] {
  // The report's own order: users, then traffic, then id.
  return report.apps.slice(0, n);
}

export function topByTraffic(report: SimulationReport, n: number): ReportApp[] {
  return [...report.apps].sort((a, b) => appTraffic(b) - appTraffic(a) || b.users - a.users || cmp(a.id, b.id)).slice(0, n);
}

export function tagCounts(report: SimulationReport): { sanctioned: number; unsanctioned: number; monitored: number; other: number; untagged: number } {
  const out = { sanctioned: 0, unsanctioned: 0, monitored: 0, other: 0, untagged: 0 };
  for (const a of report.apps) {
    if (!a.tag) out.untagged++;
    else if (a.tag.tag === "sanctioned" || a.tag.tag === "unsanctioned" || a.tag.tag === "monitored") out[a.tag.tag]++;
    else out.other++;
  }
  return out;
}

export function rejectedByReason(report: SimulationReport): { reason: string; lines: number }[] {
  const by = new Map<string, number>();
  for (const r of report.rejected) by.set(r.reason, (by.get(r.reason) ?? 0) + 1);
  return [...by.entries()].map(([reason, lines]) => ({ reason, lines })).sort((a, b) => b.lines - a.lines || cmp(a.reason, b.reason));
}

/** Suppressed alerts grouped by reason, the dates in reasons left out so that like groups with like. */
export function suppressedByReason(report: SimulationReport): { reason: string; alerts: number }[] {
  const by = new Map<string, number>();
  for (const r of report.suppressedAlerts) {
    const reason = r.reason.replace(/ on \d{4}-\d{2}-\d{2}\b/g, "").replace(/\b\d{4}-\d{2}-\d{2}\b/g, "a date");
    by.set(reason, (by.get(reason) ?? 0) + 1);
  }
  return [...by.entries()].map(([reason, alerts]) => ({ reason, alerts })).sort((a, b) => b.alerts - a.alerts || cmp(a.reason, b.reason));
}

export function indicatorCounts(report: SimulationReport): { action: Record<string, number>; type: Record<string, number> } {
  const action: Record<string, number> = { block: 0, warn: 0, audit: 0, allow: 0 };
  const type: Record<string, number> = { domain: 0, url: 0, ip: 0 };
  for (const i of report.indicators) {
    action[i.action] = (action[i.action] ?? 0) + 1;
    type[i.type] = (type[i.type] ?? 0) + 1;
  }
  return { action, type };
}

/** Days a policy matched on (distinct). */
export function matchDays(p: SimulationReport["policies"][number]): number {
  return new Set(p.matches.map((m) => m.day)).size;
}

/**
 * Short description of an app's verdict mix, largest share first: `allow`, or
 * `82% block, 18% allow`. Parts under 1% are left out of the text but not of the totals.
 */
export function verdictMix(c: VerdictCounts, maxParts = 2): string {
  const parts = verdictParts(c);
  const total = verdictTotal(c);
  if (total === 0) return "—";
  const nonZero = VERDICT_KINDS.map((k) => ({ k, n: parts[k] })).filter((x) => x.n > 0);
  if (nonZero.length === 1) return nonZero[0]!.k;
  nonZero.sort((a, b) => b.n - a.n || VERDICT_KINDS.indexOf(a.k) - VERDICT_KINDS.indexOf(b.k));
  return nonZero
    .slice(0, maxParts)
    .map((x) => {
      const p = (100 * x.n) / total;
      return `${p < 1 ? "<1" : Math.round(p)}% ${x.k}`;
    })
    .join(", ");
}

export function summaryNumbers(report: SimulationReport) {
  const t = report.totals;
  const v = verdictParts(report.verdicts.total);
  return {
    records: t.records,
    attributed: t.attributed,
    unknown: t.unknown,
    withoutHost: t.withoutHost,
    rejected: t.rejected,
    apps: report.apps.length,
    categories: new Set(report.apps.map((a) => a.category)).size,
    unknownDomains: report.unknownDomains.length,
    policies: report.policies.length,
    policiesMatched: report.policies.filter((p) => p.matches.length > 0).length,
    alerts: report.alerts.length,
    suppressed: report.suppressedAlerts.length,
    conflicts: report.tagConflicts.length,
    indicators: report.indicators.length,
    verdicts: v,
    requests: verdictTotal(report.verdicts.total),
    tags: tagCounts(report),
  };
}

type Match = SimulationReport["policies"][number]["matches"][number];

const BYTE_METRICS = new Set(["upload", "download", "traffic"]);

/**
 * The reason a policy matched, with byte counts in units: `traffic 1.2 GB > 50.0 MB; users
 * 69 > 50; new: first seen 2026-03-07 (within 7 days)`. Falls back to the engine's text.
 */
export function readableWhy(m: Match): string {
  const parts = m.thresholds.map((t) => {
    const f = BYTE_METRICS.has(t.metric) ? formatBytes : formatInt;
    return `${t.metric} ${f(t.observed)} ${t.op} ${f(t.value)}`;
  });
  if (m.newApp) parts.push(`new: first seen ${m.newApp.firstSeen} (within ${m.newApp.windowDays} days)`);
  return parts.length ? parts.join("; ") : m.why;
}

/** Readable reasons for alerts, found through the match they came from. */
export function alertWhy(report: SimulationReport): (a: SimulationReport["alerts"][number]) => string {
  const byKey = new Map<string, Match>();
  for (const p of report.policies) for (const m of p.matches) byKey.set(`${p.name}\u0000${m.app}\u0000${m.day}`, m);
  return (a) => {
    const m = byKey.get(`${a.policy}\u0000${a.app}\u0000${a.day}`);
    return m ? readableWhy(m) : a.why;
  };
}

/** Per matched app of a policy: its first matching day, how many days, and why on that day. */
export function firstMatches(p: SimulationReport["policies"][number]): { app: string; day: string; days: number; match: Match }[] {
  const by = new Map<string, { app: string; day: string; days: number; match: Match }>();
  for (const m of p.matches) {
    const e = by.get(m.app);
    if (!e) by.set(m.app, { app: m.app, day: m.day, days: 1, match: m });
    else {
      e.days++;
      if (m.day < e.day) {
        e.day = m.day;
        e.match = m;
      }
    }
  }
  return [...by.values()].sort((a, b) => cmp(a.day, b.day) || cmp(a.app, b.app));
}
