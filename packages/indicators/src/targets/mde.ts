import { Checker, InvalidIndicatorError, type BadValue } from "../validate.js";
import { groupedView, type GroupedEntry } from "../views.js";
import { fitLimit, IndicatorLimitError } from "../collapse.js";
import type { Indicator, IndicatorNote, IndicatorSet } from "../model.js";
import { jsonString, TextBuilder } from "./text.js";
import type { TargetOptions } from "./types.js";

/** Defender's import API and CSV upload take at most this many indicators per call. */
export const MDE_BATCH = 500;

export const MDE_ACTION = { allow: "Allowed", warn: "Warn", block: "Block", audit: "Audit" } as const;
export const MDE_TYPE = { domain: "DomainName", url: "Url", ip: "IpAddress" } as const;
export const MDE_SEVERITY = { informational: "Informational", low: "Low", medium: "Medium", high: "High" } as const;

export interface MdeIndicator {
  readonly indicatorValue: string;
  readonly indicatorType: (typeof MDE_TYPE)[keyof typeof MDE_TYPE];
  readonly action: (typeof MDE_ACTION)[keyof typeof MDE_ACTION];
  readonly title: string;
  readonly description: string;
  readonly severity: (typeof MDE_SEVERITY)[keyof typeof MDE_SEVERITY];
  readonly expirationTime?: string;
  readonly rbacGroupNames: readonly string[];
  readonly generateAlert: boolean;
  readonly educateUrl?: string;
  readonly recommendedActions?: string;
  readonly application: string;
}

function hours(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`;
}

export function mdeTitle(i: Indicator): string {
  const what = i.app ? `${i.app}` : i.value;
  const verb = { allow: "allowed", warn: "warn", block: "blocked", audit: "audited" }[i.action];
  return `Sanction: ${what} ${verb}`.slice(0, 200);
}

export function mdeDescription(i: Indicator): string {
  const parts = [i.app ? `App ${i.app}, ${i.kind} ${i.value}.` : `${i.kind} ${i.value}.`, `Rule: ${i.rule} at ${i.source}.`];
  if (i.bypassSeconds) parts.push(`Users may bypass the warning for ${hours(i.bypassSeconds)}.`);
  if (i.note) parts.push(i.note);
  return parts.join(" ");
}

/**
 * The checked, limited Defender view, with each entry as Defender's indicator entity. The JSON
 * and CSV targets share it: it is computed once per set and options (treat it as read-only),
 * and only the messages that name the target are made per target.
 */
interface MdeCore {
  readonly entries: GroupedEntry[];
  readonly mde: MdeIndicator[];
  /** View and collapsing notes. */
  readonly notes: readonly IndicatorNote[];
  /** CIDR ranges, which Defender indicators cannot hold. */
  readonly ranges: readonly Indicator[];
  readonly bad: readonly BadValue[];
  /** Why the set does not fit the limit. */
  readonly over?: string;
}

const coreCache = new WeakMap<IndicatorSet, Map<string, MdeCore>>();

function mdeCore(set: IndicatorSet, opts: TargetOptions): MdeCore {
  let m = coreCache.get(set);
  if (!m) coreCache.set(set, (m = new Map()));
  const key = `${opts.limit ?? ""}\u0000${opts.collapse ? 1 : 0}`;
  let core = m.get(key);
  if (!core) m.set(key, (core = computeCore(set, opts)));
  return core;
}

function computeCore(set: IndicatorSet, opts: TargetOptions): MdeCore {
  const view = groupedView(set);
  const limited = fitLimit(view.entries, opts);
  const notes = [...view.notes, ...limited.notes];
  if (limited.over !== undefined) return { entries: [], mde: [], notes, ranges: [], bad: [], over: limited.over };
  const c = new Checker("");
  const entries: GroupedEntry[] = [];
  const mde: MdeIndicator[] = [];
  const ranges: Indicator[] = [];
  for (const e of limited.entries) {
    const i = e.indicator;
    if (i.kind === "ip" && i.value.includes("/")) {
      ranges.push(i);
      continue;
    }
    if (i.kind === "domain") c.domain("domain", i.value);
    else if (i.kind === "url") c.url("url", i.value);
    else c.ip("ip", i.value);
    if (i.redirect) c.url("redirect", i.redirect);
    if (i.until) c.date("until", i.until);
    for (const g of e.groups) c.group(g);
    const title = c.text("title", mdeTitle(i));
    const description = c.text("description", mdeDescription(i));
    entries.push(e);
    mde.push(mdeEntity(e, title, description));
  }
  return { entries, mde, notes, ranges, bad: c.problems() };
}

/** The Defender view for `target`: entries and their entities, or the error that stops it. */
export function mdeIndicators(target: string, set: IndicatorSet, opts: TargetOptions): { entries: readonly GroupedEntry[]; mde: readonly MdeIndicator[]; notes: IndicatorNote[] } {
  const core = mdeCore(set, opts);
  if (core.over !== undefined) throw new IndicatorLimitError(`${target}: ${core.over}`);
  if (core.bad.length) throw new InvalidIndicatorError(target, core.bad);
  const notes = [...core.notes];
  for (const i of core.ranges) notes.push({ kind: "unsupported", message: `${target}: ip ${i.value} (${i.rule}) not written: Defender indicators take no CIDR ranges` });
  return { entries: core.entries, mde: core.mde, notes };
}

export function toMde(e: GroupedEntry): MdeIndicator {
  return mdeEntity(e, mdeTitle(e.indicator), mdeDescription(e.indicator));
}

/** All fields in one order, absent ones undefined (JSON leaves them out): one shape for every entity, so the writers' loops stay fast. */
function mdeEntity(e: GroupedEntry, title: string, description: string): MdeIndicator {
  const i = e.indicator;
  return {
    indicatorValue: i.value,
    indicatorType: MDE_TYPE[i.kind],
    action: MDE_ACTION[i.action],
    title,
    description,
    severity: MDE_SEVERITY[i.severity],
    expirationTime: i.until ? `${i.until}T00:00:00Z` : undefined,
    rbacGroupNames: e.groups,
    generateAlert: i.action === "audit",
    educateUrl: i.redirect && (i.action === "warn" || i.action === "block") ? i.redirect : undefined,
    recommendedActions: i.action === "warn" && i.bypassSeconds ? `Use the approved alternative; the warning can be bypassed for ${hours(i.bypassSeconds)}.` : undefined,
    application: "Sanction",
  };
}

/**
 * One entity as `JSON.stringify(…, null, 2)` writes it inside the batch's `Indicators` array
 * (six spaces before each field), fields in the entity's order. Written directly because
 * serialising 30,000 objects with indentation is the slowest part of the JSON target; a test
 * holds the two equal. Only for entities that passed `mdeIndicators`' checks: then the title
 * and description are the only values that can hold a character JSON escapes (names, URLs,
 * dates and group names cannot; the rest are fixed words).
 */
function mdeEntityJson(m: MdeIndicator): string {
  const groups = m.rbacGroupNames.length ? `[\n${m.rbacGroupNames.map((g) => `        "${g}"`).join(",\n")}\n      ]` : "[]";
  return (
    `    {\n      "indicatorValue": "${m.indicatorValue}",\n      "indicatorType": "${m.indicatorType}",\n      "action": "${m.action}",\n` +
    `      "title": ${jsonString(m.title)},\n      "description": ${jsonString(m.description)},\n      "severity": "${m.severity}",\n` +
    (m.expirationTime !== undefined ? `      "expirationTime": "${m.expirationTime}",\n` : "") +
    `      "rbacGroupNames": ${groups},\n      "generateAlert": ${m.generateAlert},\n` +
    (m.educateUrl !== undefined ? `      "educateUrl": "${m.educateUrl}",\n` : "") +
    (m.recommendedActions !== undefined ? `      "recommendedActions": "${m.recommendedActions}",\n` : "") +
    `      "application": "${m.application}"\n    }`
  );
}

/** A batch file's text: `JSON.stringify({ Indicators: batch }, null, 2)` and a newline (checked entities only). */
export function mdeBatchJson(batch: readonly MdeIndicator[]): string {
  if (!batch.length) return `{\n  "Indicators": []\n}\n`;
  const text = new TextBuilder();
  text.add(`{\n  "Indicators": [\n`);
  batch.forEach((m, n) => text.add(n ? `,\n${mdeEntityJson(m)}` : mdeEntityJson(m)));
  text.add(`\n  ]\n}\n`);
  return text.text();
}

export function batches<T>(xs: readonly T[], size = MDE_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export const batchName = (i: number, ext: string) => `mde-indicators-${String(i + 1).padStart(4, "0")}.${ext}`;

/** One comparable line per indicator, for `--diff`. */
export function mdeLine(m: Pick<MdeIndicator, "action" | "indicatorType" | "indicatorValue" | "rbacGroupNames" | "expirationTime" | "educateUrl">): string {
  return `${m.action} ${m.indicatorType} ${m.indicatorValue}${m.rbacGroupNames.length ? ` groups=${[...m.rbacGroupNames].join(",")}` : ""}${m.expirationTime ? ` expires=${m.expirationTime.slice(0, 10)}` : ""}${m.educateUrl ? ` educate=${m.educateUrl}` : ""}`;
}
