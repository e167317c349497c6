import { ACTION_RANK, cmpIndicator, cmpStr, type Indicator, type IndicatorNote, type IndicatorSet } from "./model.js";

/** An indicator as a grouped target (Defender) holds it: the device groups it applies to, [] = all. */
export interface GroupedEntry {
  readonly indicator: Indicator;
  readonly groups: readonly string[];
}

function resolve<T>(items: readonly T[], key: (t: T) => string, ind: (t: T) => Indicator, where: string): { kept: T[]; notes: IndicatorNote[] } {
  const byKey = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = byKey.get(k);
    if (list) list.push(t);
    else byKey.set(k, [t]);
  }
  const kept: T[] = [];
  const notes: IndicatorNote[] = [];
  for (const list of byKey.values()) {
    if (list.length === 1) {
      kept.push(list[0]!);
      continue;
    }
    list.sort((a, b) => ACTION_RANK[ind(b).action] - ACTION_RANK[ind(a).action] || cmpIndicator(ind(a), ind(b)));
    const winner = list[0]!;
    kept.push(winner);
    for (const loser of list.slice(1)) {
      const w = ind(winner);
      const l = ind(loser);
      if (l.action === w.action) continue; // the same indicator asked for twice: one is enough
      notes.push({ kind: "precedence", message: `${w.kind} ${w.value}${where}: ${w.action} (${w.rule}) wins over ${l.action} (${l.rule}): Defender applies Allow > Warn > Block` });
    }
  }
  return { kept, notes };
}

/**
 * The set as Defender for Endpoint holds it: each indicator with its device groups
 * (`rbacGroupNames`, empty = all devices). Defender cannot exclude groups, so "all except G"
 * becomes the indicator for all devices plus an Allow for G, which wins by Defender's
 * precedence. Among indicators on the same value and groups the highest action wins.
 */
const groupedCache = new WeakMap<IndicatorSet, { entries: GroupedEntry[]; notes: IndicatorNote[] }>();
const flatCache = new WeakMap<IndicatorSet, Map<string, { entries: Indicator[]; notes: IndicatorNote[] }>>();

/** Views are computed once per set (and group): rendering every target reuses them. Treat the results as read-only. */
export function groupedView(set: IndicatorSet): { entries: GroupedEntry[]; notes: IndicatorNote[] } {
  let v = groupedCache.get(set);
  if (!v) groupedCache.set(set, (v = computeGrouped(set)));
  return v;
}

export function flatView(set: IndicatorSet, group?: string): { entries: Indicator[]; notes: IndicatorNote[] } {
  let m = flatCache.get(set);
  if (!m) flatCache.set(set, (m = new Map()));
  const key = group === undefined ? "\u0000" : group;
  let v = m.get(key);
  if (!v) m.set(key, (v = computeFlat(set, group)));
  return v;
}

function computeGrouped(set: IndicatorSet): { entries: GroupedEntry[]; notes: IndicatorNote[] } {
  const expanded: GroupedEntry[] = [];
  const notes: IndicatorNote[] = [];
  for (const ind of set.indicators) {
    const { include, exclude } = ind.scope;
    if (include === undefined) {
      expanded.push({ indicator: ind, groups: [] });
      if (exclude.length && ind.action !== "allow") {
        const groups = [...exclude].sort(cmpStr);
        expanded.push({ indicator: { ...ind, action: "allow", rule: `${ind.rule}: scope exception`, severity: "informational" }, groups });
        notes.push({ kind: "scope-exception", message: `${ind.rule}: excluded groups ${groups.join(", ")} get Allow indicators (Defender has no exclusion; Allow wins over ${ind.action})` });
      }
    } else {
      const groups = include.filter((g) => !exclude.includes(g)).sort(cmpStr);
      if (groups.length) expanded.push({ indicator: ind, groups });
    }
  }
  const { kept, notes: pn } = resolve(expanded, (e) => `${e.indicator.kind}\u0000${e.indicator.value}\u0000${e.groups.join(",")}`, (e) => e.indicator, "");
  kept.sort((a, b) => cmpIndicator(a.indicator, b.indicator) || cmpStr(a.groups.join(","), b.groups.join(",")));
  return { entries: kept, notes: [...notes, ...pn] };
}

/**
 * The set for one device group, for targets without groups (DNS, proxy, browser policy):
 * without `group`, the indicators for devices in no group (those scoped to all devices);
 * with it, those whose scope includes the group and does not exclude it.
 */
function computeFlat(set: IndicatorSet, group?: string): { entries: Indicator[]; notes: IndicatorNote[] } {
  const applies = (ind: Indicator) =>
    group === undefined ? ind.scope.include === undefined : (ind.scope.include === undefined || ind.scope.include.includes(group)) && !ind.scope.exclude.includes(group);
  const { kept, notes } = resolve(set.indicators.filter(applies), (i) => `${i.kind}\u0000${i.value}`, (i) => i, group === undefined ? "" : ` (group ${group})`);
  // The set is sorted and a Map keeps insertion order: the winners are already in order.
  return { entries: kept, notes };
}
