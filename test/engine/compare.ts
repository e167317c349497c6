import { expect } from "vitest";
import type { Filter } from "@sanction/semantics";
import { filterHolds, groupsOf, policyAccepts, runReference, dayMetrics, type RefRecord, type RefState, type RefResult } from "./reference.js";
import { AS_OF, runEngine, type Prepared, type EngineRun } from "./harness.js";
import { OBSERVER } from "./generate.js";

/*
 * One differential check: run the engine and the reference on the same plan and records and
 * compare everything observable, piece by piece, with labels so a failure says what differs.
 */

const byText = <T>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));

export interface Compared {
  readonly engine: EngineRun;
  readonly ref: RefResult;
}

export async function compareWithReference(p: Prepared, records: readonly RefRecord[], state?: RefState): Promise<Compared> {
  const engine = await runEngine(p.plan, records, state);
  const ref = runReference({ model: p.model, apps: p.catalog.apps(), asOf: AS_OF, records, ...(state ? { state } : {}) });
  const { report } = engine;
  const name = (id: string) => ref.apps.find((a) => a.id === id)!.name;

  // -- compiler: apps sorted by id with their scores, and each policy's static candidates
  expect({ what: "plan apps", apps: p.plan.apps.map((a) => [a.id, a.score, a.neverBlock, a.tags]) }).toEqual({
    what: "plan apps",
    apps: ref.apps.map((a) => [a.id, a.score ?? null, a.neverBlock, a.declaredTags]),
  });
  for (const policy of p.model.policies) {
    const planned = p.plan.policies.find((x) => x.name === policy.name)!;
    expect({ what: "candidates", policy: policy.name, apps: planned.candidates.map((i) => p.plan.apps[i]!.id) }).toEqual({
      what: "candidates",
      policy: policy.name,
      apps: ref.apps.filter((a) => policyAccepts(policy, a)).map((a) => a.id),
    });
  }

  // -- per app per day aggregates (the observer policy reports every app's metrics every day)
  const observed = report.policies.find((x) => x.name === OBSERVER);
  if (observed) {
    const engineDays = byText(observed.matches.map((m) => ({ app: m.app, day: m.day, ...Object.fromEntries(m.thresholds.map((t) => [t.metric, t.observed])) })));
    const refDays = byText([...ref.usage.entries()].flatMap(([id, days]) => [...days.entries()].map(([day, u]) => ({ app: name(id), day, ...dayMetrics(u) }))));
    expect({ what: "per app per day usage", days: engineDays }).toEqual({ what: "per app per day usage", days: refDays });
  }

  // -- per app totals over the window
  const refApps = byText(
    [...ref.usage.entries()].map(([id, days]) => {
      const all = [...days.values()];
      const union = (k: "users" | "devices" | "ips") => new Set(all.flatMap((u) => [...u[k]])).size;
      return {
        name: name(id),
        users: union("users"),
        devices: union("devices"),
        ips: union("ips"),
        transactions: all.reduce((n, u) => n + u.transactions, 0),
        bytesUp: all.reduce((n, u) => n + u.upload, 0),
        bytesDown: all.reduce((n, u) => n + u.download, 0),
        days: days.size,
        firstSeen: new Date(Math.min(...all.map((u) => u.first))).toISOString(),
        lastSeen: new Date(Math.max(...all.map((u) => u.last))).toISOString(),
      };
    }),
  );
  const engineApps = byText(report.apps.map((a) => ({ name: a.name, users: a.users, devices: a.devices, ips: a.ips, transactions: a.transactions, bytesUp: a.bytesUp, bytesDown: a.bytesDown, days: a.days, firstSeen: a.firstSeen, lastSeen: a.lastSeen })));
  expect({ what: "app totals", apps: engineApps }).toEqual({ what: "app totals", apps: refApps });
  expect({ what: "record totals", totals: { ...report.totals, rejected: undefined } }).toEqual({ what: "record totals", totals: { ...ref.totals, rejected: undefined } });

  // -- unknown domains, grouped by registrable domain
  expect({ what: "unknown domains", list: byText(report.unknownDomains) }).toEqual({
    what: "unknown domains",
    list: byText([...ref.unknown.entries()].map(([domain, u]) => ({ domain, users: u.users.size, devices: u.devices.size, transactions: u.transactions, bytes: u.bytes, hosts: [...u.hosts].sort() }))),
  });

  // -- matched (policy, app, day)
  const engineMatches = byText(report.policies.filter((x) => x.name !== OBSERVER).flatMap((x) => x.matches.map((m) => ({ policy: m.policy, app: m.app, day: m.day }))));
  const refMatches = byText(ref.matches.filter((m) => m.policy !== OBSERVER).map((m) => ({ policy: m.policy, app: name(m.app), day: m.day })));
  expect({ what: "matches", matches: engineMatches }).toEqual({ what: "matches", matches: refMatches });

  // -- alerts (in order) and suppressed alerts
  expect({ what: "alerts", alerts: report.alerts.map((a) => ({ policy: a.policy, app: a.app, day: a.day, severity: a.severity })) }).toEqual({
    what: "alerts",
    alerts: ref.alerts.map((a) => ({ policy: a.policy, app: name(a.app), day: a.day, severity: a.severity })),
  });
  expect({ what: "suppressed alerts", list: report.suppressedAlerts.map((s) => ({ policy: s.policy, app: s.app, day: s.day })) }).toEqual({
    what: "suppressed alerts",
    list: ref.suppressed.map((s) => ({ policy: s.policy, app: name(s.app), day: s.day })),
  });

  // -- final tags: of every app (wired engine pieces) and of the apps in the report
  const refTags = Object.fromEntries([...ref.tags.entries()].map(([id, t]) => [id, { tag: t.tag, mode: t.mode, by: t.by, scope: t.scope }]));
  expect({ what: "tags", tags: Object.fromEntries([...engine.tags.entries()].sort()) }).toEqual({ what: "tags", tags: Object.fromEntries(Object.entries(refTags).sort()) });
  expect({ what: "custom tags", tags: Object.fromEntries([...engine.custom.entries()].sort()) }).toEqual({
    what: "custom tags",
    tags: Object.fromEntries([...ref.custom.entries()].map(([id, s]) => [id, [...s].sort()]).sort()),
  });
  for (const a of report.apps) {
    const id = ref.apps.find((x) => x.name === a.name)!.id;
    const t = ref.tags.get(id);
    expect({ what: "report app tag", app: a.name, tag: a.tag && { tag: a.tag.tag, mode: a.tag.mode, by: a.tag.by }, custom: a.customTags }).toEqual({
      what: "report app tag",
      app: a.name,
      tag: t ? { tag: t.tag, mode: t.mode, by: t.by } : null,
      custom: [...(ref.custom.get(id) ?? [])].sort(),
    });
  }
  expect({ what: "tag conflicts", list: report.tagConflicts.map(({ app, winner, by, lost, lostBy }) => ({ app, winner, by, lost, lostBy })) }).toEqual({ what: "tag conflicts", list: ref.conflicts });

  // -- per-record verdicts, and the report's verdict counts
  records.forEach((r, i) => {
    expect({ what: "verdict", record: r, ...engine.verdicts[i] }).toEqual({ what: "verdict", record: r, ...ref.verdicts[i] });
  });
  const zero = () => ({ allow: 0, audit: 0, warn: 0, block: 0, bypass: 0 });
  const total = zero();
  const byGroup: Record<string, ReturnType<typeof zero>> = {};
  const byApp: Record<string, ReturnType<typeof zero>> = {};
  records.forEach((r, i) => {
    const v = ref.verdicts[i]!;
    const bump = (c: ReturnType<typeof zero>) => {
      c[v.verdict]++;
      if (v.bypassed) c.bypass++;
    };
    bump(total);
    const gs = groupsOf(p.model.groups, r);
    for (const g of gs.length ? gs : ["(no group)"]) bump((byGroup[g] ??= zero()));
    if (v.app) bump((byApp[name(v.app)] ??= zero()));
  });
  expect({ what: "verdict counts", total: report.verdicts.total, byGroup: report.verdicts.byGroup }).toEqual({ what: "verdict counts", total, byGroup: Object.fromEntries(Object.entries(byGroup).sort()) });
  for (const a of report.apps) expect({ what: "app verdict counts", app: a.name, counts: a.verdicts }).toEqual({ what: "app verdict counts", app: a.name, counts: byApp[a.name] ?? zero() });

  // -- the state carried to the next run
  expect({ what: "state", firstSeen: engine.state.firstSeen, lastAlert: engine.state.lastAlert }).toEqual({ what: "state", firstSeen: ref.state.firstSeen, lastAlert: ref.state.lastAlert });

  return { engine, ref };
}

/** Templates whose own filter is ANDed in front of the `when` (`{ and: [template, when] }`). */
const FILTERED_TEMPLATES = new Set(["new_cloud_storage_app", "new_crm_app", "cloud_storage_compliance_check", "crm_compliance_check"]);

/**
 * The generator's own reading of each `when` — the tree it printed, with the fewest
 * parentheses REFERENCE.md's precedence allows (`not` > `and` > `or`) — means the same as the
 * checked model's filter, on every app.
 */
export function expectSameFilters(p: Prepared, whens: ReadonlyMap<string, Filter | undefined>, ref: RefResult): void {
  for (const [policy, intended] of whens) {
    if (!intended) continue;
    const model = p.model.policies.find((x) => x.name === policy)!;
    let when = model.filter!;
    if (model.template && FILTERED_TEMPLATES.has(model.template)) {
      expect(when.kind).toBe("and");
      when = (when as { args: readonly Filter[] }).args[1]!;
    }
    for (const app of ref.apps) {
      expect({ what: "filter precedence", policy, app: app.id, holds: filterHolds(when, app) }).toEqual({ what: "filter precedence", policy, app: app.id, holds: filterHolds(intended, app) });
    }
  }
}
