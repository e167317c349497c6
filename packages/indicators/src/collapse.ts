import { cmpStr, suffixes, type IndicatorNote } from "./model.js";
import type { GroupedEntry } from "./views.js";

/** Defender for Endpoint holds at most this many indicators per tenant, with no increase. */
export const MDE_TENANT_LIMIT = 15_000;

export class IndicatorLimitError extends Error {}

const classKey = (e: GroupedEntry) => [e.indicator.action, e.groups.join(","), e.indicator.until ?? "", e.indicator.redirect ?? ""].join("\u0000");

/** A name one label up that could stand for its subdomains: not a TLD, not a `co.uk`-like suffix. */
function parentOf(domain: string): string | undefined {
  const i = domain.indexOf(".");
  if (i < 0) return undefined;
  const p = domain.slice(i + 1);
  const labels = p.split(".");
  if (labels.length < 2) return undefined;
  if (labels.length === 2 && labels[1]!.length === 2 && labels[0]!.length <= 3) return undefined; // co.uk, com.au, ne.jp
  return p;
}

/**
 * Fit the set under `limit`: first drop domains a listed parent of the same kind already
 * covers (nothing changes: Defender matches subdomains), then replace the largest families of
 * subdomains with their parent domain — never where the parent would also catch a name that
 * has another action or scope. Every step is reported.
 */
export function collapse(entries: readonly GroupedEntry[], limit: number): { entries: GroupedEntry[]; notes: IndicatorNote[] } {
  const notes: IndicatorNote[] = [];
  let current = [...entries];
  // 1. Lossless: a domain under a listed domain of the same class.
  const byClass = new Map<string, Set<string>>();
  for (const e of current) if (e.indicator.kind === "domain") (byClass.get(classKey(e)) ?? byClass.set(classKey(e), new Set()).get(classKey(e))!).add(e.indicator.value);
  let covered = 0;
  current = current.filter((e) => {
    if (e.indicator.kind !== "domain") return true;
    const same = byClass.get(classKey(e))!;
    const s = suffixes(e.indicator.value);
    for (let i = 1; i < s.length; i++) {
      if (same.has(s[i]!)) {
        covered++;
        return false;
      }
    }
    return true;
  });
  if (covered) notes.push({ kind: "collapsed", message: `${covered} domain indicator${covered === 1 ? "" : "s"} dropped: a parent domain with the same action and groups already covers them` });
  // 2. Lossy: families of subdomains → their parent.
  while (current.length > limit) {
    // Every name any entry covers, per class, to know which parents are safe.
    const classesUnder = new Map<string, Set<string>>();
    for (const e of current) {
      if (e.indicator.kind !== "domain") continue;
      for (const s of suffixes(e.indicator.value)) (classesUnder.get(s) ?? classesUnder.set(s, new Set()).get(s)!).add(classKey(e));
    }
    const families = new Map<string, GroupedEntry[]>();
    for (const e of current) {
      if (e.indicator.kind !== "domain") continue;
      const p = parentOf(e.indicator.value);
      if (!p || (classesUnder.get(p)?.size ?? 0) > 1) continue;
      const k = `${classKey(e)}\u0001${p}`;
      (families.get(k) ?? families.set(k, []).get(k)!).push(e);
    }
    const ranked = [...families.entries()].filter(([, l]) => l.length > 1).sort((a, b) => b[1].length - a[1].length || cmpStr(a[0], b[0]));
    if (!ranked.length) break;
    let excess = current.length - limit;
    const drop = new Set<GroupedEntry>();
    const add: GroupedEntry[] = [];
    for (const [k, list] of ranked) {
      if (excess <= 0) break;
      const parent = k.slice(k.indexOf("\u0001") + 1);
      const first = [...list].sort((a, b) => cmpStr(a.indicator.value, b.indicator.value))[0]!;
      list.forEach((e) => drop.add(e));
      add.push({ indicator: { ...first.indicator, value: parent, rule: first.indicator.rule + " (collapsed)" }, groups: first.groups });
      excess -= list.length - 1;
      notes.push({ kind: "collapsed", message: `${first.indicator.action} ${parent} replaces ${list.length} subdomain indicators (${list.map((e) => e.indicator.value).slice(0, 3).join(", ")}${list.length > 3 ? ", …" : ""})` });
    }
    current = [...current.filter((e) => !drop.has(e)), ...add];
  }
  current.sort((a, b) => cmpStr(a.indicator.kind, b.indicator.kind) || cmpStr(a.indicator.value, b.indicator.value) || cmpStr(a.groups.join(","), b.groups.join(",")));
  return { entries: current, notes };
}

/**
 * The grouped entries fitted to `limit` (by `--collapse` when asked): `over` says why they do
 * not fit, without the target's name, so Defender's two targets can share one result.
 */
export function fitLimit(entries: readonly GroupedEntry[], opts: { limit?: number; collapse?: boolean }): { entries: GroupedEntry[]; notes: IndicatorNote[]; over?: string } {
  const limit = opts.limit ?? MDE_TENANT_LIMIT;
  let result = { entries: [...entries], notes: [] as IndicatorNote[] };
  if (opts.collapse) result = collapse(entries, limit);
  if (result.entries.length > limit) {
    const over =
      `${result.entries.length.toLocaleString("en-US")} indicators, over Defender's limit of ${limit.toLocaleString("en-US")} per tenant (which cannot be raised)` +
      (opts.collapse ? "; even collapsed: narrow the policies" : "; use --collapse to replace families of subdomains with their parent domain, or narrow the policies");
    return { ...result, over };
  }
  return result;
}

/** The grouped entries, under the limit or with a clear error; `--collapse` reduces them first. */
export function enforceLimit(target: string, entries: readonly GroupedEntry[], opts: { limit?: number; collapse?: boolean }): { entries: GroupedEntry[]; notes: IndicatorNote[] } {
  const { over, ...result } = fitLimit(entries, opts);
  if (over !== undefined) throw new IndicatorLimitError(`${target}: ${over}`);
  return result;
}
