import type { SimulationReport } from "@sanction/engine";

/** Strings a hostile log line, catalog entry or policy could carry into a report. */
export const HOSTILE = [
  "<script>window.__pwned=1</script>",
  '"><img src=x onerror="window.__pwned=1">',
  "javascript:window.__pwned=1",
  "</script><script>window.__pwned=1</script>",
  "line\u2028separator\u2029paragraph",
] as const;

/** Markdown-breaking names: pipes, backticks and emphasis. */
export const MARKDOWN_HOSTILE = ["a | b || c", "`tick` ``double`` ```", "*bold* _em_ [link](http://x) <b>x</b> $x^2$ ~~s~~ #1 \\"] as const;

const pick = (i: number, list: readonly string[] = HOSTILE) => list[i % list.length]!;

/**
 * A copy of `base` in which every string that comes from logs, catalogs or policies is replaced
 * by one of the hostile strings (the structure and numbers stay valid).
 */
export function hostileReport(base: SimulationReport, list: readonly string[] = HOSTILE): SimulationReport {
  const r = structuredClone(base) as unknown as Record<string, unknown> & SimulationReport;
  let i = 0;
  const next = () => pick(i++, list);
  const appNames = new Map<string, string>();
  const apps = r.apps.map((a) => {
    const name = next();
    appNames.set(a.name, name);
    return {
      ...a,
      name,
      category: next(),
      customTags: [next()],
      tag: a.tag ? { ...a.tag, tag: next(), mode: next(), by: next(), source: next() } : { tag: next(), mode: "enforce", by: next(), source: next() },
    };
  });
  const policyNames = new Map<string, string>();
  const policies = r.policies.map((p) => {
    const name = next();
    policyNames.set(p.name, name);
    return {
      ...p,
      name,
      source: next(),
      severity: next(),
      mode: next(),
      filter: next(),
      matchedApps: p.matchedApps.map((a) => appNames.get(a) ?? next()),
      matches: p.matches.map((m) => ({ ...m, policy: name, app: appNames.get(m.app) ?? next(), why: next(), thresholds: m.thresholds.map((t) => ({ ...t, metric: next(), op: next() })) })),
    };
  });
  const groups = Object.fromEntries(Object.entries(r.verdicts.byGroup).map(([, c], k) => [pick(k, list) + ` #${k}`, c]));
  return {
    ...r,
    inputs: r.inputs.map((f) => ({ ...f, file: next(), format: next() })),
    rejected: [0, 1, 2, 3, 4].map((k) => ({ file: pick(k, list), line: 10 + k, reason: pick(k + 1, list), sample: `${pick(k, list)} user=${pick(k + 2, list)} host=${pick(k + 3, list)}` })),
    totals: { ...r.totals, rejected: Math.max(r.totals.rejected, 5) },
    apps,
    policies,
    alerts: r.alerts.map((a) => ({ ...a, policy: policyNames.get(a.policy) ?? next(), app: appNames.get(a.app) ?? next(), severity: next(), why: next() })),
    suppressedAlerts: r.suppressedAlerts.map((s) => ({ ...s, policy: next(), app: next(), reason: next() })),
    tagConflicts: [0, 1, 2].map((k) => ({ app: pick(k, list), winner: pick(k + 1, list), by: pick(k + 2, list), lost: pick(k + 3, list), lostBy: pick(k + 4, list), reason: pick(k + 5, list) })),
    indicators: [0, 1, 2, 3, 4].map((k) => ({ type: "domain" as const, value: pick(k, list), action: "block" as const, app: pick(k + 1, list), reason: pick(k + 2, list), expires: pick(k + 3, list) })),
    verdicts: { total: r.verdicts.total, byGroup: groups },
    unknownDomains: [0, 1, 2, 3, 4].map((k) => ({ domain: pick(k, list), users: 5 - k, devices: 5 - k, transactions: 10 * (5 - k), bytes: 1000 * (5 - k), hosts: [pick(k + 1, list), pick(k + 2, list)] })),
  } as SimulationReport;
}
