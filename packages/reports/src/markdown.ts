/*
 * The report as GitHub-flavoured Markdown, for a pull-request comment or the docs. Strings
 * from logs, catalogs and policies are escaped so that they can neither break a table (`|`,
 * line breaks), start markup (`*`, `_`, `[`, backticks, `$` maths) nor inject HTML (`<`, `&`).
 * Domains, hosts and log lines are shown as code, which also keeps them from being linked.
 * Long lists are cut so that the comment stays well under GitHub's 65,536-character limit.
 */
import type { ReportApp, SimulationReport } from "@sanction/engine";
import {
  categoryStats,
  indicatorCounts,
  matchDays,
  rejectedByReason,
  summaryNumbers,
  suppressedByReason,
  verdictMix,
  verdictParts,
  verdictTotal,
  VERDICT_KINDS,
} from "./model.js";
import { categoryLabel, formatBytes, formatInt, formatPercent, formatScore, plural, visible } from "./text.js";

const LIMITS = { apps: 50, matches: 100, alerts: 50, unknown: 25, indicators: 60, rejected: 10 };

/**
 * Escape text for Markdown (inline, table-safe). GitHub also turns bare `https://…`, `www.…`
 * and `mailto:…` text into links (the autolink extension): a backslash before the `:` or the
 * dot after `www` keeps them text. Only an e-mail address (`a@b.example`) cannot be kept from
 * becoming a `mailto:` link outside a code span.
 */
export function mdText(s: string): string {
  return visible(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|~#$]/g, (c) => "\\" + c)
    .replace(/\b(https?|ftp|mailto|xmpp):/gi, "$1\\:")
    .replace(/\b(www)\./gi, "$1\\.");
}

/** An inline code span holding `s` exactly, usable inside a table cell. */
export function mdCode(s: string): string {
  const text = visible(s).replace(/\|/g, "\\|");
  if (text === "") return "";
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || (text.startsWith(" ") && text.endsWith(" ")) ? " " : "";
  return fence + pad + text + pad + fence;
}

function table(headers: readonly string[], align: readonly ("l" | "r")[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${headers.join(" | ")} |`,
    `|${align.map((a) => (a === "r" ? "---:" : ":---")).join("|")}|`,
    ...rows.map((r) => `| ${r.map((c) => (c === "" ? " " : c)).join(" | ")} |`),
  ];
}

const TAG_MARK: Record<string, string> = { sanctioned: "🟢", unsanctioned: "🔴", monitored: "🟡" };
const SEVERITY_MARK: Record<string, string> = { high: "🔴", medium: "🟠", low: "🔵" };

function tagCell(a: ReportApp): string {
  if (!a.tag) return "—";
  const mark = TAG_MARK[a.tag.tag] ?? "⚪";
  return `${mark} ${mdText(a.tag.tag)}${a.tag.mode === "enforce" ? "" : ` (${mdText(a.tag.mode)})`}`;
}

function more(n: number, what: string): string[] {
  return n > 0 ? ["", `_… ${plural(n, what)} more: see the JSON or HTML report._`] : [];
}

export function renderMarkdown(report: SimulationReport): string {
  const n = summaryNumbers(report);
  const out: string[] = [];
  const w = report.window;
  out.push("## Sanction simulation report", "");
  out.push(
    w.from && w.to ? `**${w.from} – ${w.to}** (${plural(w.days, "day")}) · ${plural(n.records, "record")} from ${plural(report.inputs.length, "input")}` : `No records (${plural(report.inputs.length, "input")})`,
    "",
  );
  out.push(
    ...table(
      ["Apps", "Unknown domains", "Policies matched", "Alerts", "Tag conflicts", "Blocked requests", "Rejected lines"],
      ["r", "r", "r", "r", "r", "r", "r"],
      [
        [
          formatInt(n.apps),
          formatInt(n.unknownDomains),
          `${formatInt(n.policiesMatched)} of ${formatInt(n.policies)}`,
          `${formatInt(n.alerts)}${n.suppressed ? ` (+${formatInt(n.suppressed)} suppressed)` : ""}`,
          formatInt(n.conflicts),
          `${formatInt(n.verdicts.block)} (${formatPercent(n.verdicts.block, n.requests)})`,
          formatInt(n.rejected),
        ],
      ],
    ),
    "",
  );
  out.push(
    `- **Records:** ${formatInt(n.attributed)} attributed to apps (${formatPercent(n.attributed, n.records)}), ${formatInt(n.unknown)} to unknown domains, ${formatInt(n.withoutHost)} without a host`,
    `- **Tags:** ${TAG_MARK["sanctioned"]} ${formatInt(n.tags.sanctioned)} sanctioned · ${TAG_MARK["unsanctioned"]} ${formatInt(n.tags.unsanctioned)} unsanctioned · ${TAG_MARK["monitored"]} ${formatInt(n.tags.monitored)} monitored${n.tags.other ? ` · ${formatInt(n.tags.other)} other` : ""} · ${formatInt(n.tags.untagged)} untagged`,
  );
  for (const f of report.inputs) out.push(`- **Input** ${mdCode(f.file)} (${mdText(f.format)}): ${plural(f.lines, "line")}, ${plural(f.records, "record")}, ${formatInt(f.rejected)} rejected`);
  out.push("");

  // Apps.
  const apps = report.apps.slice(0, LIMITS.apps);
  out.push(`### Discovered apps (${formatInt(report.apps.length)})`, "");
  if (apps.length === 0) out.push("No app was seen.");
  else {
    out.push(
      ...table(
        ["App", "Category", "Score", "Users", "Devices", "Requests", "Upload", "Download", "Tag", "Verdicts"],
        ["l", "l", "r", "r", "r", "r", "r", "r", "l", "l"],
        apps.map((a) => [
          mdText(a.name) + (a.customTags.length ? " " + a.customTags.map((t) => mdCode(t)).join(" ") : ""),
          mdText(categoryLabel(a.category)),
          formatScore(a.score),
          formatInt(a.users),
          formatInt(a.devices),
          formatInt(a.transactions),
          formatBytes(a.bytesUp),
          formatBytes(a.bytesDown),
          tagCell(a),
          mdText(verdictMix(a.verdicts)),
        ]),
      ),
    );
    out.push(...more(report.apps.length - apps.length, "app"));
    out.push("", `By category: ${categoryStats(report).map((c) => `${mdText(categoryLabel(c.category))} ${c.apps}`).join(" · ")}`);
  }
  out.push("");

  // Policies.
  const matched = report.policies.filter((p) => p.matches.length > 0);
  out.push(`### Policy matches (${formatInt(matched.length)} of ${plural(report.policies.length, "policy", "policies")})`, "");
  if (matched.length === 0) out.push("No policy matched.");
  else {
    out.push(
      ...table(
        ["Policy", "Severity", "Mode", "Apps", "Days", "Matched apps"],
        ["l", "l", "l", "r", "r", "l"],
        matched.map((p) => [
          mdText(p.name),
          `${SEVERITY_MARK[p.severity] ?? ""} ${mdText(p.severity)}`.trim(),
          mdText(p.mode),
          formatInt(p.matchedApps.length),
          formatInt(matchDays(p)),
          p.matchedApps.slice(0, 8).map(mdText).join(", ") + (p.matchedApps.length > 8 ? `, … (${p.matchedApps.length - 8} more)` : ""),
        ]),
      ),
    );
    const all = matched.flatMap((p) => p.matches);
    const shown = all.slice(0, LIMITS.matches);
    out.push("", `<details><summary>Why they matched (${formatInt(all.length)} ${all.length === 1 ? "match" : "matches"})</summary>`, "");
    out.push(...table(["Day", "Policy", "App", "Why"], ["l", "l", "l", "l"], shown.map((m) => [m.day, mdText(m.policy), mdText(m.app), mdText(m.why)])));
    out.push(...more(all.length - shown.length, "match"));
    out.push("", "</details>");
  }
  const unmatched = report.policies.filter((p) => p.matches.length === 0);
  if (unmatched.length) out.push("", `No match: ${unmatched.map((p) => mdText(p.name)).join(", ")}`);
  out.push("");

  // Alerts.
  out.push(`### Alerts (${formatInt(report.alerts.length)})`, "");
  if (report.alerts.length === 0) out.push("No alert.");
  else {
    const shown = report.alerts.slice(0, LIMITS.alerts);
    out.push(...table(["Day", "Severity", "Policy", "App", "Why"], ["l", "l", "l", "l", "l"], shown.map((a) => [a.day, `${SEVERITY_MARK[a.severity] ?? ""} ${mdText(a.severity)}`.trim(), mdText(a.policy), mdText(a.app), mdText(a.why)])));
    out.push(...more(report.alerts.length - shown.length, "alert"));
  }
  const supp = suppressedByReason(report);
  if (supp.length) out.push("", `Suppressed: ${supp.map((s) => `${formatInt(s.alerts)} (${mdText(s.reason)})`).join(", ")}`);
  out.push("");

  // Tag conflicts.
  out.push(`### Tag conflicts (${formatInt(report.tagConflicts.length)})`, "");
  if (report.tagConflicts.length === 0) out.push("No conflict.");
  else
    out.push(
      ...table(
        ["App", "Winner", "By", "Lost", "By", "Reason"],
        ["l", "l", "l", "l", "l", "l"],
        report.tagConflicts.map((c) => [mdText(c.app), `${TAG_MARK[c.winner] ?? ""} ${mdText(c.winner)}`.trim(), mdText(c.by), `${TAG_MARK[c.lost] ?? ""} ${mdText(c.lost)}`.trim(), mdText(c.lostBy), mdText(c.reason)]),
      ),
    );
  out.push("");

  // Verdicts.
  out.push("### Verdicts", "", "Requests as they would be decided once the policies are in force; _bypass_ counts requests allowed after the user clicked through a warning.", "");
  const rows = [["**all requests**", report.verdicts.total] as const, ...Object.entries(report.verdicts.byGroup).map(([g, c]) => [mdText(g), c] as const)];
  out.push(
    ...table(
      ["Group", "Requests", ...VERDICT_KINDS, "Blocked"],
      ["l", "r", "r", "r", "r", "r", "r", "r"],
      rows.map(([g, c]) => {
        const p = verdictParts(c);
        return [g, formatInt(verdictTotal(c)), ...VERDICT_KINDS.map((k) => formatInt(p[k])), formatPercent(c.block, verdictTotal(c))];
      }),
    ),
    "",
  );

  // Indicators.
  const ic = indicatorCounts(report);
  out.push(`### Indicators (${formatInt(report.indicators.length)})`, "");
  if (report.indicators.length === 0) out.push("None: no app is unsanctioned or monitored and there is no manual decision.");
  else {
    out.push(`${(["block", "warn", "audit", "allow"] as const).map((k) => `${formatInt(ic.action[k] ?? 0)} ${k}`).join(" · ")} — ${(["domain", "url", "ip"] as const).map((k) => `${formatInt(ic.type[k] ?? 0)} ${k}`).join(", ")}`, "");
    const shown = report.indicators.slice(0, LIMITS.indicators);
    out.push(`<details><summary>All indicators</summary>`, "");
    out.push(...table(["Type", "Value", "Action", "App", "Reason", "Expires"], ["l", "l", "l", "l", "l", "l"], shown.map((i) => [i.type, mdCode(i.value), i.action, i.app === null ? "—" : mdText(i.app), mdText(i.reason), i.expires ? mdText(i.expires) : ""])));
    out.push(...more(report.indicators.length - shown.length, "indicator"));
    out.push("", "</details>");
  }
  out.push("");

  // Unknown domains.
  out.push(`### Unknown domains (${formatInt(report.unknownDomains.length)})`, "");
  if (report.unknownDomains.length === 0) out.push("Every request with a host was attributed to an app.");
  else {
    const shown = report.unknownDomains.slice(0, LIMITS.unknown);
    out.push(
      ...table(
        ["Domain", "Users", "Devices", "Requests", "Traffic", "Hosts"],
        ["l", "r", "r", "r", "r", "l"],
        shown.map((d) => [mdCode(d.domain), formatInt(d.users), formatInt(d.devices), formatInt(d.transactions), formatBytes(d.bytes), d.hosts.slice(0, 3).map(mdCode).join(", ") + (d.hosts.length > 3 ? ` +${d.hosts.length - 3}` : "")]),
      ),
    );
    out.push(...more(report.unknownDomains.length - shown.length, "domain"));
  }
  out.push("");

  // Rejected.
  out.push(`### Rejected lines (${formatInt(report.totals.rejected)})`, "");
  if (report.totals.rejected === 0 && report.rejected.length === 0) out.push("None.");
  else {
    const reasons = rejectedByReason(report);
    if (reasons.length) out.push(...table(["Reason", "Listed"], ["l", "r"], reasons.map((r) => [mdText(r.reason), formatInt(r.lines)])), "");
    const shown = report.rejected.slice(0, LIMITS.rejected);
    if (shown.length) out.push(...table(["File", "Line", "Sample"], ["l", "r", "l"], shown.map((r) => [mdCode(r.file), String(r.line), mdCode(r.sample)])));
    out.push(...more(report.totals.rejected - shown.length, "line"));
  }
  return out.join("\n") + "\n";
}
