import type { Plan } from "@sanction/compiler";
import type { UsageTable } from "./aggregate.js";
import { evaluatePolicies, raiseAlerts, resolveTags, type AppTagging, type PolicyMatch } from "./evaluate.js";
import { dayOf, type EngineRecord } from "./record.js";
import { emptyState, type EngineState } from "./state.js";
import { REPORT_FORMAT, REPORT_VERSION, zeroCounts, type ReportIndicator, type SimulationReport, type VerdictCounts } from "./report.js";
import { Pass1, Pass2, loadMatchers } from "./passes.js";

/** Where records come from; called once per pass, so files are streamed twice and never held. */
export type RecordSource = () => AsyncIterable<readonly EngineRecord[]> | Iterable<readonly EngineRecord[]>;

export interface InputSummary {
  readonly file: string;
  readonly format: string;
  readonly lines: number;
  readonly records: number;
  readonly rejected: number;
  /** The file could not be read to its end (a truncated gzip stream, an unrecognised format). */
  readonly error?: string;
}

export interface SimulateOptions {
  readonly state?: EngineState;
  /** Reader summaries and rejected lines, copied into the report. */
  readonly inputs?: () => readonly InputSummary[];
  readonly rejected?: () => readonly { file: string; line: number; reason: string; sample: string }[];
  /** How many rejected lines the report lists (all are counted). */
  readonly maxRejectedListed?: number;
  readonly onProgress?: (pass: 1 | 2, records: number) => void;
}

export interface SimulationResult {
  readonly report: SimulationReport;
  /** The state to save for the next run. */
  readonly state: EngineState;
}

/**
 * Two passes over the traffic. Pass one attributes every request to an app (longest domain
 * match) and aggregates usage per app per UTC day; then policies are evaluated ("all
 * thresholds on the same day"), alerts raised and tags resolved. Pass two replays the requests
 * against those tags and the manual indicators to count the verdicts users would get: what
 * this traffic meets once the policies are in force.
 */
export async function simulate(plan: Plan, source: RecordSource, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const matchers = loadMatchers(plan);
  const p1 = new Pass1(plan, matchers);
  for await (const batch of source()) {
    p1.add(batch);
    opts.onProgress?.(1, p1.records);
  }
  const decided = decide(plan, p1, opts.state ?? emptyState());
  const p2 = new Pass2(plan, decided.tags, matchers);
  for await (const batch of source()) {
    p2.add(batch);
    opts.onProgress?.(2, p2.records);
  }
  return { report: finishReport(plan, p1, decided, p2, opts), state: decided.state };
}

export interface Decided {
  readonly matches: PolicyMatch[];
  readonly alerts: ReturnType<typeof raiseAlerts>["alerts"];
  readonly suppressed: ReturnType<typeof raiseAlerts>["suppressed"];
  readonly tags: ReturnType<typeof resolveTags>["tags"];
  readonly custom: ReturnType<typeof resolveTags>["custom"];
  readonly state: EngineState;
}

/** Between the passes: policies over the aggregated usage, then alerts and tags; the new state. */
export function decide(plan: Plan, p1: Pass1, previous: EngineState): Decided {
  const state: EngineState = structuredClone(previous);
  const firstSeen = (app: number): number | undefined => {
    const before = state.firstSeen[plan.apps[app]!.id];
    const now = p1.firstInRun.get(app);
    return before === undefined ? now : now === undefined ? before : Math.min(before, now);
  };
  const matches = evaluatePolicies(plan, p1.usage, firstSeen);
  const { alerts, suppressed } = raiseAlerts(plan, matches, state);
  const { tags, custom } = resolveTags(plan, matches, Number.isFinite(p1.maxTime) ? p1.maxTime : 0);
  for (const [app] of p1.firstInRun) (state.firstSeen as Record<string, number>)[plan.apps[app]!.id] = firstSeen(app)!;
  return { matches, alerts, suppressed, tags, custom, state };
}

/** The report from both passes' results. */
export function finishReport(plan: Plan, p1: Pass1, d: Decided, p2: Pass2, opts: Pick<SimulateOptions, "inputs" | "rejected" | "maxRejectedListed"> = {}): SimulationReport {
  return buildReport(plan, {
    usage: p1.usage,
    matches: d.matches,
    alerts: d.alerts,
    suppressed: d.suppressed,
    tags: d.tags,
    custom: d.custom,
    byApp: p2.byApp,
    total: p2.total,
    byGroup: p2.byGroup,
    window: Number.isFinite(p1.minTime) ? { from: dayOf(p1.minTime), to: dayOf(p1.maxTime) } : undefined,
    totals: { records: p1.records, attributed: p1.attributed, unknown: p1.records - p1.attributed - p1.withoutHost, withoutHost: p1.withoutHost },
    inputs: opts.inputs?.() ?? [],
    rejected: opts.rejected?.() ?? [],
    maxRejected: opts.maxRejectedListed ?? 100,
  });
}

interface Collected {
  usage: UsageTable;
  matches: PolicyMatch[];
  alerts: ReturnType<typeof raiseAlerts>["alerts"];
  suppressed: ReturnType<typeof raiseAlerts>["suppressed"];
  tags: ReturnType<typeof resolveTags>["tags"];
  custom: ReturnType<typeof resolveTags>["custom"];
  byApp: Map<number, VerdictCounts>;
  total: VerdictCounts;
  byGroup: Map<string, VerdictCounts>;
  window: { from: string; to: string } | undefined;
  totals: { records: number; attributed: number; unknown: number; withoutHost: number };
  inputs: readonly InputSummary[];
  rejected: readonly { file: string; line: number; reason: string; sample: string }[];
  maxRejected: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function whyMatched(m: PolicyMatch): string {
  const parts = m.thresholds.map((t) => `${t.metric} ${t.observed} ${t.op} ${t.value}`);
  if (m.newApp) parts.push(`new: first seen ${m.newApp.firstSeen}, within ${m.newApp.windowDays}d`);
  return parts.length ? parts.join("; ") : "the app was seen";
}

function buildReport(plan: Plan, c: Collected): SimulationReport {
  const appName = (i: number) => plan.apps[i]!.name;
  const apps = [...c.usage.byApp.entries()].map(([i, days]) => {
    const users = new Set<string>();
    const devices = new Set<string>();
    const ips = new Set<string>();
    let transactions = 0;
    let up = 0;
    let down = 0;
    let first = Infinity;
    let last = -Infinity;
    for (const u of days.values()) {
      u.users.forEach((x) => users.add(x));
      u.devices.forEach((x) => devices.add(x));
      u.ips.forEach((x) => ips.add(x));
      transactions += u.transactions;
      up += u.upload;
      down += u.download;
      first = Math.min(first, u.first);
      last = Math.max(last, u.last);
    }
    const t = c.tags.get(i);
    const a = plan.apps[i]!;
    return {
      id: a.id,
      name: a.name,
      category: a.category,
      score: a.score,
      users: users.size,
      devices: devices.size,
      ips: ips.size,
      transactions,
      bytesUp: up,
      bytesDown: down,
      firstSeen: new Date(first).toISOString(),
      lastSeen: new Date(last).toISOString(),
      days: days.size,
      tag: t ? { tag: t.tag, mode: t.mode, by: t.from.name, source: t.from.source } : null,
      customTags: [...(c.custom.get(i) ?? [])].sort(),
      verdicts: c.byApp.get(i) ?? zeroCounts(),
    };
  });
  apps.sort((a, b) => b.users - a.users || b.bytesUp + b.bytesDown - (a.bytesUp + a.bytesDown) || cmp(a.id, b.id));

  const { policies, tagConflicts, indicators: dedup } = reportSections(plan, c.matches, c.tags);

  const rejectedTotal = c.inputs.reduce((n, f) => n + f.rejected, 0);
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    window: c.window ? { from: c.window.from, to: c.window.to, days: Math.round((Date.parse(c.window.to) - Date.parse(c.window.from)) / 86_400_000) + 1 } : { from: null, to: null, days: 0 },
    inputs: [...c.inputs],
    totals: { ...c.totals, rejected: rejectedTotal },
    rejected: c.rejected.slice(0, c.maxRejected),
    apps,
    policies,
    alerts: c.alerts.map((a) => ({ policy: a.policy, app: appName(a.app), severity: a.severity, day: a.day, why: whyMatched(a.match) })),
    suppressedAlerts: c.suppressed.map((s) => ({ policy: s.policy, app: appName(s.app), day: s.day, reason: s.reason })),
    tagConflicts,
    indicators: dedup,
    verdicts: { total: c.total, byGroup: Object.fromEntries([...c.byGroup.entries()].sort(([a], [b]) => cmp(a, b))) },
    unknownDomains: [...c.usage.unknown.entries()]
      .map(([domain, u]) => ({ domain, users: u.users.size, devices: u.devices.size, transactions: u.transactions, bytes: u.bytes, hosts: [...u.hosts].sort(cmp) }))
      .sort((a, b) => b.users - a.users || b.bytes - a.bytes || cmp(a.domain, b.domain)),
  };
}

/**
 * The parts of a report that follow from matches and tags alone — policies with why they
 * matched, tag conflicts, would-be indicators — shared by every engine that produces them
 * (in-process and SQL), so both reports say the same thing the same way.
 */
export function reportSections(
  plan: Plan,
  matches: readonly PolicyMatch[],
  tags: ReadonlyMap<number, AppTagging>,
): Pick<SimulationReport, "policies" | "tagConflicts" | "indicators"> {
  const appName = (i: number) => plan.apps[i]!.name;
  const policies = plan.policies.map((p) => {
    const ms = matches.filter((m) => m.policy === p.name);
    return {
      name: p.name,
      source: p.source,
      severity: p.severity,
      mode: p.mode,
      filter: p.filter,
      candidates: p.candidates.length,
      matchedApps: [...new Set(ms.map((m) => appName(m.app)))].sort(cmp),
      matches: ms
        .map((m) => ({
          policy: m.policy,
          app: appName(m.app),
          day: m.day,
          why: whyMatched(m),
          thresholds: m.thresholds.map(({ metric, op, value, observed }) => ({ metric, op, value, observed })),
          ...(m.newApp ? { newApp: m.newApp } : {}),
        }))
        .sort((a, b) => cmp(a.day, b.day) || cmp(a.app, b.app)),
    };
  });

  const tagConflicts = [...tags.values()].flatMap((t) =>
    t.overridden
      .filter((o) => o.tag !== t.tag)
      .map((o) => ({ app: appName(t.app), winner: t.tag, by: t.from.name, lost: o.tag, lostBy: o.from.name, reason: o.reason })),
  );

  const indicators: ReportIndicator[] = [];
  for (const t of tags.values()) {
    if (t.tag === "sanctioned") continue;
    const a = plan.apps[t.app]!;
    if (a.neverBlock) continue;
    const action = t.mode === "audit" ? "audit" : t.tag === "unsanctioned" ? "block" : "warn";
    for (const d of a.domains) indicators.push({ type: "domain", value: d.replace(/^\*\./, ""), action, app: a.name, reason: `${t.tag} by ${t.from.name}` });
  }
  for (const i of plan.indicators) indicators.push({ type: i.type, value: i.value, action: i.mode === "audit" && i.action !== "allow" ? "audit" : i.action, app: null, reason: `manual decision (${i.source})`, ...(i.until ? { expires: i.until } : {}) });
  indicators.sort((a, b) => cmp(a.type, b.type) || cmp(a.value, b.value) || cmp(a.action, b.action));
  const dedup = indicators.filter((x, i) => i === 0 || JSON.stringify(x) !== JSON.stringify(indicators[i - 1]));

  return { policies, tagConflicts, indicators: dedup };
}
