import type { Plan } from "@sanction/compiler";
import type { AppUsage, UsageTable } from "./aggregate.js";
import { evaluatePolicies, raiseAlerts, resolveTags, type AppTagging, type PolicyMatch } from "./evaluate.js";
import { dayOf, type EngineRecord } from "./record.js";
import { emptyState, type EngineState } from "./state.js";
import { REPORT_FORMAT, REPORT_VERSION, zeroCounts, type ReportIndicator, type SimulationReport, type VerdictCounts } from "./report.js";
import type { Pass1 } from "./passes.js";
import { SinglePass } from "./single-pass.js";
import type { SpillFactory } from "./spool.js";
import type { VerdictTotals } from "./tally.js";

/** Where records come from; called once: the traffic is read once and never held. */
export type RecordSource = () => AsyncIterable<readonly EngineRecord[]> | Iterable<readonly EngineRecord[]>;

export interface InputSummary {
  readonly file: string;
  readonly format: string;
  readonly lines: number;
  readonly records: number;
  readonly rejected: number;
  /** The file could not be read to its end (a truncated gzip stream, an unrecognised format, a file that shrank). */
  readonly error?: string;
}

export interface SimulateOptions {
  readonly state?: EngineState;
  /** Reader summaries and rejected lines, copied into the report. */
  readonly inputs?: () => readonly InputSummary[];
  readonly rejected?: () => readonly { file: string; line: number; reason: string; sample: string }[];
  /** How many rejected lines the report lists (all are counted). */
  readonly maxRejectedListed?: number;
  /** Step 1: records read so far; step 2: held-back requests replayed so far. */
  readonly onProgress?: (step: 1 | 2, records: number) => void;
  /** A scratch file for requests held back past `spoolMemoryBytes`; without it they stay in memory. */
  readonly spill?: SpillFactory;
  readonly spoolMemoryBytes?: number;
}

export interface SimulationResult {
  readonly report: SimulationReport;
  /** The state to save for the next run. */
  readonly state: EngineState;
  /** The final tags of the apps (manual decisions and policies), as indicators are generated from. */
  readonly tags: ReadonlyMap<number, AppTagging>;
}

/**
 * One read of the traffic (SinglePass): every request is attributed to an app (longest domain
 * match) and aggregated per app per UTC day, and gets its verdict from manual decisions at
 * once; then policies are evaluated ("all thresholds on the same day"), alerts raised and tags
 * resolved, and the requests whose verdict depends on the tags are counted under them (those
 * that may be warned replayed in input order): what this traffic meets once the policies are
 * in force.
 */
export async function simulate(plan: Plan, source: RecordSource, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const pass = new SinglePass(plan, { ...(opts.spill ? { spill: opts.spill } : {}), ...(opts.spoolMemoryBytes ? { spoolMemoryBytes: opts.spoolMemoryBytes } : {}) });
  try {
    for await (const batch of source()) {
      pass.add(batch);
      opts.onProgress?.(1, pass.p1.records);
    }
    const decided = decide(plan, pass.p1, opts.state ?? emptyState());
    const verdicts = pass.finish(decided.tags, opts.onProgress ? (n) => opts.onProgress!(2, n) : undefined);
    return { report: finishReport(plan, pass.p1, decided, verdicts, opts), state: decided.state, tags: decided.tags };
  } finally {
    pass.close();
  }
}

export interface Decided {
  readonly matches: PolicyMatch[];
  readonly alerts: ReturnType<typeof raiseAlerts>["alerts"];
  readonly suppressed: ReturnType<typeof raiseAlerts>["suppressed"];
  readonly tags: ReturnType<typeof resolveTags>["tags"];
  readonly custom: ReturnType<typeof resolveTags>["custom"];
  readonly state: EngineState;
}

/** After the read: policies over the aggregated usage, then alerts and tags; the new state. */
export function decide(plan: Plan, p1: Pick<Pass1, "usage" | "firstInRun" | "maxTime">, previous: EngineState): Decided {
  const state: EngineState = structuredClone(previous);
  const firstInRun = p1.firstInRun;
  const firstSeen = (app: number): number | undefined => {
    const before = state.firstSeen[plan.apps[app]!.id];
    const now = firstInRun.get(app);
    return before === undefined ? now : now === undefined ? before : Math.min(before, now);
  };
  const matches = evaluatePolicies(plan, p1.usage, firstSeen);
  const { alerts, suppressed } = raiseAlerts(plan, matches, state);
  const { tags, custom } = resolveTags(plan, matches, Number.isFinite(p1.maxTime) ? p1.maxTime : 0);
  for (const [app] of firstInRun) (state.firstSeen as Record<string, number>)[plan.apps[app]!.id] = firstSeen(app)!;
  return { matches, alerts, suppressed, tags, custom, state };
}

/** The report from the aggregates, the decisions and the verdict counts. */
export function finishReport(plan: Plan, p1: Pass1, d: Decided, p2: VerdictTotals, opts: Pick<SimulateOptions, "inputs" | "rejected" | "maxRejectedListed"> = {}): SimulationReport {
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
  byApp: VerdictTotals["byApp"];
  total: VerdictTotals["total"];
  byGroup: VerdictTotals["byGroup"];
  window: { from: string; to: string } | undefined;
  totals: { records: number; attributed: number; unknown: number; withoutHost: number };
  inputs: readonly InputSummary[];
  rejected: readonly { file: string; line: number; reason: string; sample: string }[];
  maxRejected: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function whyMatched(m: PolicyMatch): string {
  let why = "";
  for (const t of m.thresholds) why += `${why ? "; " : ""}${t.metric} ${t.observed} ${t.op} ${t.value}`;
  if (m.newApp) why += `${why ? "; " : ""}new: first seen ${m.newApp.firstSeen}, within ${m.newApp.windowDays}d`;
  return why || "the app was seen";
}

/** One app's entry in the report, the same from every engine (in-process and SQL). */
export function reportApp(
  plan: Plan,
  i: number,
  u: AppUsage,
  t: AppTagging | undefined,
  custom: ReadonlySet<string> | undefined,
  verdicts: VerdictCounts,
): SimulationReport["apps"][number] {
  const a = plan.apps[i]!;
  return {
    id: a.id,
    name: a.name,
    category: a.category,
    score: a.score,
    users: u.users,
    devices: u.devices,
    ips: u.ips,
    transactions: u.transactions,
    bytesUp: u.upload,
    bytesDown: u.download,
    firstSeen: new Date(u.first).toISOString(),
    lastSeen: new Date(u.last).toISOString(),
    days: u.days,
    tag: t ? { tag: t.tag, mode: t.mode, by: t.from.name, source: t.from.source } : null,
    customTags: [...(custom ?? [])].sort(),
    verdicts,
  };
}

function buildReport(plan: Plan, c: Collected): SimulationReport {
  const appName = (i: number) => plan.apps[i]!.name;
  const apps = [...c.usage.appTotals()].map(([i, u]) => reportApp(plan, i, u, c.tags.get(i), c.custom.get(i), c.byApp.get(i) ?? zeroCounts()));
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

/** A match as the report lists it (two literal shapes, not a spread: there are many). */
function reportMatch(app: string, m: PolicyMatch): SimulationReport["policies"][number]["matches"][number] {
  const thresholds = m.thresholds.map(({ metric, op, value, observed }) => ({ metric, op, value, observed }));
  const why = whyMatched(m);
  return m.newApp ? { policy: m.policy, app, day: m.day, why, thresholds, newApp: m.newApp } : { policy: m.policy, app, day: m.day, why, thresholds };
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
  // each policy's matches, grouped in one pass (not one pass over all matches per policy)
  const byPolicy = new Map<string, PolicyMatch[]>();
  for (const m of matches) {
    let list = byPolicy.get(m.policy);
    if (!list) byPolicy.set(m.policy, (list = []));
    list.push(m);
  }
  const policies = plan.policies.map((p) => {
    const ms = byPolicy.get(p.name) ?? [];
    return {
      name: p.name,
      source: p.source,
      severity: p.severity,
      mode: p.mode,
      filter: p.filter,
      candidates: p.candidates.length,
      matchedApps: [...new Set(ms.map((m) => appName(m.app)))].sort(cmp),
      matches: ms.map((m) => reportMatch(appName(m.app), m)).sort((a, b) => cmp(a.day, b.day) || cmp(a.app, b.app)),
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
