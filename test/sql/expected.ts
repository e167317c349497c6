import type { Plan } from "@sanction/compiler";
import { decide, emptyState, loadMatchers, Pass1, type EngineRecord } from "@sanction/engine";
import type { DiscoveryRows } from "@sanction/sql";

/*
 * The comparable discovery results: from the in-process engine (Pass1 + decide, no state),
 * and from a SQL target's rows. Both are normalised to sorted plain values so that a
 * difference shows as a readable diff.
 */

export interface Comparable {
  /** `app day` → [users, devices, ips, transactions, upload, download, firstMs, lastMs] */
  usage: Record<string, number[]>;
  /** `policy | app | day`, sorted */
  matches: string[];
  /** app id → `tag mode by` */
  tags: Record<string, string>;
  /** `app id tag`, sorted */
  customTags: string[];
  /** `day | policy | app id | severity`, in the engine's order (only when compared) */
  alerts?: string[];
}

const DAY_MS = 86_400_000;
const dayName = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** `seconds`: first and last times compared at whole seconds (ClickHouse DateTime). */
export interface CompareOptions {
  readonly seconds?: boolean;
  /** include the alerts (raised from an empty state) */
  readonly alerts?: boolean;
}
const secs = (ms: number) => Math.floor(ms / 1000) * 1000;

export function fromEngine(plan: Plan, records: readonly EngineRecord[], opts: CompareOptions = {}): Comparable {
  const p1 = new Pass1(plan, loadMatchers(plan));
  p1.add(records);
  const d = decide(plan, p1, emptyState());
  const usage: Comparable["usage"] = {};
  for (const [app, days] of p1.usage.byApp) {
    for (const [day, u] of days) {
      const v = [u.users.size, u.devices.size, u.ips.size, u.transactions, u.upload, u.download];
      v.push(opts.seconds ? secs(u.first) : u.first, opts.seconds ? secs(u.last) : u.last);
      usage[`${plan.apps[app]!.id} ${dayName(day)}`] = v;
    }
  }
  const tags: Record<string, string> = {};
  for (const t of d.tags.values()) tags[plan.apps[t.app]!.id] = `${t.tag} ${t.mode} ${t.from.name}`;
  return {
    usage: sortKeys(usage),
    matches: [...new Set(d.matches.map((m) => `${m.policy} | ${plan.apps[m.app]!.id} | ${m.day}`))].sort(),
    tags: sortKeys(tags),
    customTags: [...d.custom].flatMap(([app, set]) => [...set].map((t) => `${plan.apps[app]!.id} ${t}`)).sort(),
    ...(opts.alerts ? { alerts: d.alerts.map((a) => `${a.day} | ${a.policy} | ${plan.apps[a.app]!.id} | ${a.severity}`) } : {}),
  };
}

export function fromRows(plan: Plan, r: Pick<DiscoveryRows, "usage" | "matches" | "tags" | "customTags" | "alerts">): Comparable {
  const usage: Comparable["usage"] = {};
  for (const u of r.usage) {
    const v = [u.users, u.devices, u.ips, u.transactions, u.upload, u.download];
    v.push(u.firstMs, u.lastMs);
    usage[`${plan.apps[u.app]!.id} ${u.day}`] = v;
  }
  const tags: Record<string, string> = {};
  for (const t of r.tags) tags[plan.apps[t.app]!.id] = `${t.tag} ${t.mode} ${t.by}`;
  return {
    usage: sortKeys(usage),
    matches: [...new Set(r.matches.map((m) => `${m.policy} | ${plan.apps[m.app]!.id} | ${m.day}`))].sort(),
    tags: sortKeys(tags),
    customTags: r.customTags.map((c) => `${plan.apps[c.app]!.id} ${c.tag}`).sort(),
    ...(r.alerts ? { alerts: r.alerts.map((a) => `${a.day} | ${a.policy} | ${plan.apps[a.app]!.id} | ${a.severity}`) } : {}),
  };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
