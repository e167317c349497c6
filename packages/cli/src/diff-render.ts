import type { ReportDiff, VerdictCounts } from "@sanction/engine";
import { mdText, visible } from "@sanction/reports";

/*
 * App, policy and alert names come from policy files a pull request can change: the text form
 * shows control characters and bidi overrides as escapes (nothing reaches the terminal raw), the
 * Markdown form escapes them as the Markdown report does (no link, image, HTML or broken table).
 */
const v = (c: VerdictCounts) => `block ${c.block}, warn ${c.warn}, audit ${c.audit}, allow ${c.allow}${c.bypass ? `, bypass ${c.bypass}` : ""}`;
const md = mdText;

/** Plain text for a terminal. */
export function diffText(d: ReportDiff): string {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push(`${title}:`, ...lines.map((l) => `  ${l}`), "");
  };
  section("tags", d.tagChanges.map((t) => `${t.app}: ${t.from ?? "untagged"} → ${t.to ?? "untagged"}${t.toBy ? ` (by ${t.toBy})` : ""}`));
  section("verdicts", d.verdictChanges.map((c) => `${c.app}: ${v(c.base)} → ${v(c.head)}`));
  section("policy matches", [...d.matchesAdded.map((m) => `+ "${m.policy}" matches ${m.app}`), ...d.matchesRemoved.map((m) => `- "${m.policy}" no longer matches ${m.app}`)]);
  section("alerts", [...d.alertsAdded.map((a) => `+ "${a.policy}" on ${a.app} (${a.day})`), ...d.alertsRemoved.map((a) => `- "${a.policy}" on ${a.app} (${a.day})`)]);
  section("indicators", [...d.indicatorsAdded.map((i) => `+ ${i.action} ${i.type} ${i.value}`), ...d.indicatorsRemoved.map((i) => `- ${i.action} ${i.type} ${i.value}`)]);
  out.push(`requests: ${v(d.totals.base)} → ${v(d.totals.head)}`);
  return out.map(visible).join("\n") + "\n";
}

/** Markdown for a pull-request comment. */
export function diffMarkdown(d: ReportDiff): string {
  const out: string[] = ["## What this policy change does to the traffic", ""];
  const table = (title: string, head: string[], rows: string[][]) => {
    if (!rows.length) return;
    out.push(`### ${title}`, "", `| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(md).join(" | ")} |`), "");
  };
  table("Tags", ["app", "before", "after", "by"], d.tagChanges.map((t) => [t.app, t.from ?? "untagged", t.to ?? "untagged", t.toBy ?? t.fromBy ?? ""]));
  table("Verdicts", ["app", "before", "after"], d.verdictChanges.map((c) => [c.app, v(c.base), v(c.head)]));
  table("Policy matches", ["", "policy", "app"], [...d.matchesAdded.map((m) => ["added", m.policy, m.app]), ...d.matchesRemoved.map((m) => ["removed", m.policy, m.app])]);
  table("Alerts", ["", "policy", "app", "day"], [...d.alertsAdded.map((a) => ["added", a.policy, a.app, a.day]), ...d.alertsRemoved.map((a) => ["removed", a.policy, a.app, a.day])]);
  table("Indicators", ["", "action", "type", "value"], [...d.indicatorsAdded.map((i) => ["added", i.action, i.type, i.value]), ...d.indicatorsRemoved.map((i) => ["removed", i.action, i.type, i.value])]);
  out.push(`Requests before: ${v(d.totals.base)}  `, `Requests after: ${v(d.totals.head)}`, "");
  return out.join("\n");
}
