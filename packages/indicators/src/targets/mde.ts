import { Checker } from "../validate.js";
import { groupedView, type GroupedEntry } from "../views.js";
import { enforceLimit } from "../collapse.js";
import type { Indicator, IndicatorNote, IndicatorSet } from "../model.js";
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

/** The checked, limited Defender view shared by the JSON and CSV targets. */
export function mdeEntries(target: string, set: IndicatorSet, opts: TargetOptions): { entries: GroupedEntry[]; notes: IndicatorNote[] } {
  const view = groupedView(set);
  const limited = enforceLimit(target, view.entries, opts);
  const notes = [...view.notes, ...limited.notes];
  const c = new Checker(target);
  const entries: GroupedEntry[] = [];
  for (const e of limited.entries) {
    const i = e.indicator;
    if (i.kind === "ip" && i.value.includes("/")) {
      notes.push({ kind: "unsupported", message: `${target}: ip ${i.value} (${i.rule}) not written: Defender indicators take no CIDR ranges` });
      continue;
    }
    if (i.kind === "domain") c.domain("domain", i.value);
    else if (i.kind === "url") c.url("url", i.value);
    else c.ip("ip", i.value);
    if (i.redirect) c.url("redirect", i.redirect);
    if (i.until) c.date("until", i.until);
    for (const g of e.groups) c.group(g);
    c.text("title", mdeTitle(i));
    c.text("description", mdeDescription(i));
    entries.push(e);
  }
  c.done();
  return { entries, notes };
}

export function toMde(e: GroupedEntry): MdeIndicator {
  const i = e.indicator;
  return {
    indicatorValue: i.value,
    indicatorType: MDE_TYPE[i.kind],
    action: MDE_ACTION[i.action],
    title: mdeTitle(i),
    description: mdeDescription(i),
    severity: MDE_SEVERITY[i.severity],
    ...(i.until ? { expirationTime: `${i.until}T00:00:00Z` } : {}),
    rbacGroupNames: e.groups,
    generateAlert: i.action === "audit",
    ...(i.redirect && (i.action === "warn" || i.action === "block") ? { educateUrl: i.redirect } : {}),
    ...(i.action === "warn" && i.bypassSeconds ? { recommendedActions: `Use the approved alternative; the warning can be bypassed for ${hours(i.bypassSeconds)}.` } : {}),
    application: "Sanction",
  };
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
