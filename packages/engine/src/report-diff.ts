import type { ReportIndicator, SimulationReport, VerdictCounts } from "./report.js";

/** What a policy change does to the same traffic: the difference of two simulation reports. */
export interface ReportDiff {
  readonly format: "sanction-diff";
  readonly version: 1;
  readonly tagChanges: readonly { readonly app: string; readonly from: string | null; readonly to: string | null; readonly fromBy: string | null; readonly toBy: string | null }[];
  readonly verdictChanges: readonly { readonly app: string; readonly base: VerdictCounts; readonly head: VerdictCounts }[];
  readonly alertsAdded: readonly { readonly policy: string; readonly app: string; readonly day: string }[];
  readonly alertsRemoved: readonly { readonly policy: string; readonly app: string; readonly day: string }[];
  readonly matchesAdded: readonly { readonly policy: string; readonly app: string }[];
  readonly matchesRemoved: readonly { readonly policy: string; readonly app: string }[];
  readonly indicatorsAdded: readonly ReportIndicator[];
  readonly indicatorsRemoved: readonly ReportIndicator[];
  readonly totals: { readonly base: VerdictCounts; readonly head: VerdictCounts };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const tagText = (t: SimulationReport["apps"][number]["tag"]) => (t ? (t.mode === "audit" ? `${t.tag} (audit)` : t.tag) : null);

export function diffReports(base: SimulationReport, head: SimulationReport): ReportDiff {
  const baseApps = new Map(base.apps.map((a) => [a.name, a]));
  const headApps = new Map(head.apps.map((a) => [a.name, a]));
  const names = [...new Set([...baseApps.keys(), ...headApps.keys()])].sort(cmp);
  const tagChanges = [];
  const verdictChanges = [];
  for (const n of names) {
    const a = baseApps.get(n);
    const b = headApps.get(n);
    const from = tagText(a?.tag ?? null);
    const to = tagText(b?.tag ?? null);
    if (from !== to) tagChanges.push({ app: n, from, to, fromBy: a?.tag?.by ?? null, toBy: b?.tag?.by ?? null });
    const va = a?.verdicts;
    const vb = b?.verdicts;
    if (va && vb && JSON.stringify(va) !== JSON.stringify(vb)) verdictChanges.push({ app: n, base: va, head: vb });
  }
  const alertKey = (x: { policy: string; app: string; day: string }) => `${x.policy}\u0000${x.app}\u0000${x.day}`;
  const matchPairs = (r: SimulationReport) => r.policies.flatMap((p) => p.matchedApps.map((app) => ({ policy: p.name, app })));
  const pairKey = (x: { policy: string; app: string }) => `${x.policy}\u0000${x.app}`;
  const indKey = (x: ReportIndicator) => `${x.type}\u0000${x.value}\u0000${x.action}`;
  const minus = <T>(xs: readonly T[], ys: readonly T[], key: (x: T) => string): T[] => {
    const k = new Set(ys.map(key));
    return xs.filter((x) => !k.has(key(x)));
  };
  const strip = (a: { policy: string; app: string; day: string }) => ({ policy: a.policy, app: a.app, day: a.day });
  return {
    format: "sanction-diff",
    version: 1,
    tagChanges,
    verdictChanges,
    alertsAdded: minus(head.alerts, base.alerts, alertKey).map(strip),
    alertsRemoved: minus(base.alerts, head.alerts, alertKey).map(strip),
    matchesAdded: minus(matchPairs(head), matchPairs(base), pairKey),
    matchesRemoved: minus(matchPairs(base), matchPairs(head), pairKey),
    indicatorsAdded: minus(head.indicators, base.indicators, indKey),
    indicatorsRemoved: minus(base.indicators, head.indicators, indKey),
    totals: { base: base.verdicts.total, head: head.verdicts.total },
  };
}

export function diffIsEmpty(d: ReportDiff): boolean {
  return !d.tagChanges.length && !d.verdictChanges.length && !d.alertsAdded.length && !d.alertsRemoved.length && !d.matchesAdded.length && !d.matchesRemoved.length && !d.indicatorsAdded.length && !d.indicatorsRemoved.length;
}
