import { cmpStr, underDomain, type Indicator, type IndicatorNote } from "../model.js";
import { flatView } from "../views.js";
import type { IndicatorSet } from "../model.js";
import type { TargetOptions } from "./types.js";

export interface NameSets {
  readonly block: string[];
  /** Warn names with their redirect URL (when the target can show one). */
  readonly warn: { name: string; redirect?: string }[];
  readonly allow: string[];
  readonly ips: { block: string[]; allow: string[] };
  readonly notes: IndicatorNote[];
  /** The indicators behind the names, for targets that need more (redirects). */
  readonly entries: Indicator[];
}

interface NameCore {
  readonly block: string[];
  readonly warn: { name: string; redirect?: string }[];
  readonly allow: string[];
  readonly ips: { block: string[]; allow: string[] };
  readonly entries: Indicator[];
  /** Indicators the target cannot hold, in view order. */
  readonly skipped: { ind: Indicator; why: "url" | "ip" }[];
  readonly audits: number;
  /** Warn indicators written as block when the target has no warning. */
  readonly downgraded: number;
}

/** Name lists per view and capabilities: every DNS, proxy and browser target splits the same view. Read-only. */
const coreCache = new WeakMap<object, Map<string, NameCore>>();

/**
 * The flat view split into name lists for DNS, proxy and browser targets, which know names
 * (and sometimes addresses), not URLs; Audit only logs, so it has nothing to enforce here.
 * The lists are shared between targets with the same capabilities: treat them as read-only.
 */
export function nameSets(target: string, set: IndicatorSet, opts: TargetOptions, caps: { urls: boolean; ips: boolean; warn: boolean }): NameSets {
  const view = flatView(set, opts.group);
  let byCaps = coreCache.get(view);
  if (!byCaps) coreCache.set(view, (byCaps = new Map()));
  const key = `${+caps.urls}${+caps.ips}${+caps.warn}`;
  let core = byCaps.get(key);
  if (!core) byCaps.set(key, (core = splitView(view.entries, caps)));
  const notes = [...view.notes];
  for (const { ind, why } of core.skipped) {
    notes.push(
      why === "url"
        ? { kind: "unsupported", message: `${target}: ${ind.action} url ${ind.value} (${ind.rule}) not written: ${target} sees host names, not URLs` }
        : { kind: "unsupported", message: `${target}: ${ind.action} ip ${ind.value} (${ind.rule}) not written: ${target} matches names, not addresses` },
    );
  }
  const audits = core.audits;
  if (audits) notes.push({ kind: "unsupported", message: `${target}: ${audits} audit indicator${audits === 1 ? "" : "s"} not written: audit only logs, there is nothing to enforce` });
  const n = core.downgraded;
  if (n) notes.push({ kind: "downgraded", message: `${target}: ${n} warn indicator${n === 1 ? "" : "s"} written as block: ${target} cannot show a warning with a bypass` });
  return { block: core.block, warn: core.warn, allow: core.allow, ips: core.ips, notes, entries: core.entries };
}

function splitView(view: readonly Indicator[], caps: { urls: boolean; ips: boolean; warn: boolean }): NameCore {
  const block: string[] = [];
  const warn: { name: string; redirect?: string }[] = [];
  const allow: string[] = [];
  const ips = { block: [] as string[], allow: [] as string[] };
  const entries: Indicator[] = [];
  const skipped: { ind: Indicator; why: "url" | "ip" }[] = [];
  let audits = 0;
  let downgraded = 0;
  for (const ind of view) {
    if (!caps.warn && ind.action === "warn" && (ind.kind === "domain" || caps.urls)) downgraded++;
    if (ind.action === "audit") {
      audits++;
      continue;
    }
    if (ind.kind === "url" && !caps.urls) {
      skipped.push({ ind, why: "url" });
      continue;
    }
    if (ind.kind === "ip" && (!caps.ips || ind.value.includes("/"))) {
      skipped.push({ ind, why: "ip" });
      continue;
    }
    entries.push(ind);
    if (ind.kind === "ip") (ind.action === "allow" ? ips.allow : ips.block).push(ind.value);
    else if (ind.action === "allow") allow.push(ind.value);
    else if (ind.action === "warn" && caps.warn) warn.push({ name: ind.value, ...(ind.redirect ? { redirect: ind.redirect } : {}) });
    else block.push(ind.value);
  }
  return { block, warn, allow, ips, entries, skipped, audits, downgraded };
}

/**
 * Drop names already covered by a listed parent (`a.x.com` under `x.com`): targets whose
 * entries cover subdomains need them once, and Squid refuses overlapping dstdomain entries.
 */
export function withoutCovered(names: readonly string[]): string[] {
  const set = new Set(names);
  const out: string[] = [];
  for (const n of [...set].sort(cmpStr)) {
    let covered = false;
    for (let i = n.indexOf("."); i >= 0; i = n.indexOf(".", i + 1)) {
      if (set.has(n.slice(i + 1))) {
        covered = true;
        break;
      }
    }
    if (!covered) out.push(n);
  }
  return out;
}

export function isUnder(name: string, parents: ReadonlySet<string>): boolean {
  for (const p of parents) if (underDomain(name, p)) return true;
  return false;
}

/** Sorted without duplicates. Lists from the flat view usually already are: then they are returned as they are. */
export function uniqSorted(xs: readonly string[]): string[] {
  let ordered = true;
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i - 1]! < xs[i]!)) {
      ordered = false;
      break;
    }
  }
  return ordered ? (xs as string[]) : [...new Set(xs)].sort(cmpStr);
}

/** Non-comment, non-empty lines. */
export function contentLines(text: string, comment = "#"): string[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith(comment));
}
