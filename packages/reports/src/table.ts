/*
 * The terminal view of a simulation report: what `sanction simulate` prints by default. Every
 * string from logs, catalogs or policies goes through `visible()` so that it cannot carry
 * terminal escape sequences; colour is opt-in and never changes the layout.
 */
import type { ReportApp, SimulationReport } from "@sanction/engine";
import { BOLD, CYAN, DIM, GREEN, MAGENTA, RED, RESET, YELLOW, BLUE, grid, type Column } from "./grid.js";
import {
  alertWhy,
  categoryStats,
  firstMatches,
  indicatorCounts,
  matchDays,
  readableWhy,
  rejectedByReason,
  summaryNumbers,
  suppressedByReason,
  verdictMix,
  verdictParts,
  verdictTotal,
  type VerdictKind,
} from "./model.js";
import { categoryLabel, displayWidth, formatBytes, formatInt, formatPercent, formatScore, plural, truncate, visible } from "./text.js";

export interface TableOptions {
  /** ANSI colours (default false). */
  readonly color?: boolean;
  /** Terminal width in columns (default 120, at least 60). */
  readonly width?: number;
  /** Rows of the apps table (default 25). */
  readonly topApps?: number;
}

const TOP_UNKNOWN = 15;
const MATCHES_PER_POLICY = 4;
const ALERTS_LISTED = 25;
const REJECTED_LISTED = 5;

export const TAG_STYLE: Record<string, string> = { sanctioned: GREEN, unsanctioned: RED, monitored: YELLOW };
export const VERDICT_STYLE: Record<VerdictKind, string> = { allow: GREEN, bypass: MAGENTA, audit: BLUE, warn: YELLOW, block: RED };
const SEVERITY_STYLE: Record<string, string> = { high: RED, medium: YELLOW, low: CYAN };

function tagText(a: ReportApp): string {
  if (!a.tag) return "—";
  return a.tag.mode === "enforce" ? a.tag.tag : `${a.tag.tag} (${a.tag.mode})`;
}

function scoreStyle(score: number | null): string | undefined {
  if (score === null) return DIM;
  return score < 3 ? RED : score < 6 ? YELLOW : GREEN;
}

export function renderTable(report: SimulationReport, opts: TableOptions = {}): string {
  const color = opts.color ?? false;
  const width = Math.max(60, Math.floor(opts.width ?? 120));
  const topApps = opts.topApps ?? 25;
  const paint = (style: string | undefined, s: string) => (color && style ? style + s + RESET : s);
  const out: string[] = [];
  const heading = (s: string) => {
    out.push("");
    out.push(paint(BOLD, s));
  };
  const g = <T>(rows: readonly T[], cols: readonly Column<T>[]) => out.push(...grid(rows, cols, { width, color }));
  const n = summaryNumbers(report);

  // Summary: one labelled paragraph per line, wrapped between items.
  const LABEL = 10;
  const flow = (name: string, items: readonly (string | [string, string | undefined])[], sep = " · ") => {
    const parts = items.map((it) => (typeof it === "string" ? ([it, undefined] as const) : it)).map(([t, st]) => [truncate(visible(t), width - LABEL), st] as const);
    let line = paint(DIM, name.padEnd(LABEL));
    let used = LABEL;
    parts.forEach(([t, st], i) => {
      const s = i === 0 ? "" : sep;
      if (i > 0 && used + displayWidth(s + t) > width) {
        out.push(line + s.trimEnd());
        line = " ".repeat(LABEL);
        used = LABEL;
      } else if (i > 0) {
        line += s;
        used += displayWidth(s);
      }
      line += paint(st, t);
      used += displayWidth(t);
    });
    out.push(line);
  };
  out.push(paint(BOLD, "Sanction simulation report"));
  const w = report.window;
  flow("window", [w.from && w.to ? `${w.from} – ${w.to} (${plural(w.days, "day")})` : "no records"]);
  report.inputs.forEach((f, i) => flow(i === 0 ? "inputs" : "", [`${f.file} (${f.format}):`, `${plural(f.lines, "line")},`, `${plural(f.records, "record")},`, `${formatInt(f.rejected)} rejected`], " "));
  flow(
    "records",
    [`${formatInt(n.records)}:`, `${formatInt(n.attributed)} to ${plural(n.apps, "app")} (${formatPercent(n.attributed, n.records)}),`, `${formatInt(n.unknown)} to ${plural(n.unknownDomains, "unknown domain")},`, `${formatInt(n.withoutHost)} without a host`],
    " ",
  );
  if (n.rejected) flow("rejected", [`${plural(n.rejected, "line")} could not be read`]);
  flow("tags", [
    [`${formatInt(n.tags.sanctioned)} sanctioned`, GREEN],
    [`${formatInt(n.tags.unsanctioned)} unsanctioned`, RED],
    [`${formatInt(n.tags.monitored)} monitored`, YELLOW],
    ...(n.tags.other ? [`${formatInt(n.tags.other)} other`] : []),
    `${formatInt(n.tags.untagged)} untagged`,
  ]);
  flow("policies", [`${formatInt(n.policiesMatched)} of ${formatInt(n.policies)} matched;`, `${plural(n.alerts, "alert")} (${formatInt(n.suppressed)} suppressed);`, plural(n.conflicts, "tag conflict")], " ");
  const v = n.verdicts;
  flow("verdicts", [
    ...(["allow", "bypass", "audit", "warn", "block"] as const).map((k): [string, string] => [`${formatInt(v[k])} ${k}`, VERDICT_STYLE[k]]),
    ...(n.requests ? [`${formatPercent(v.block, n.requests)} blocked`] : []),
  ]);

  // Apps.
  const apps = report.apps.slice(0, topApps);
  heading(report.apps.length > apps.length ? `Discovered apps: top ${apps.length} of ${formatInt(report.apps.length)} by users` : `Discovered apps (${formatInt(report.apps.length)})`);
  if (apps.length === 0) out.push("  no app was seen");
  else
    g(apps, [
      { header: "App", cell: (a) => a.name, min: 16, max: 28 },
      { header: "Category", cell: (a) => categoryLabel(a.category), min: 10, max: 22, drop: 4 },
      { header: "Score", align: "right", shrink: false, cell: (a) => formatScore(a.score), style: (a) => scoreStyle(a.score), drop: 1 },
      { header: "Users", align: "right", shrink: false, cell: (a) => formatInt(a.users) },
      { header: "Devices", align: "right", shrink: false, cell: (a) => formatInt(a.devices), drop: 6 },
      { header: "Requests", align: "right", shrink: false, cell: (a) => formatInt(a.transactions), drop: 5 },
      { header: "Up", align: "right", shrink: false, cell: (a) => formatBytes(a.bytesUp), drop: 2 },
      { header: "Down", align: "right", shrink: false, cell: (a) => formatBytes(a.bytesDown), drop: 3 },
      { header: "Tag", cell: tagText, min: 12, max: 22, style: (a) => (a.tag ? TAG_STYLE[a.tag.tag] : DIM) },
      { header: "Verdicts", cell: (a) => verdictMix(a.verdicts), min: 20 },
    ]);
  if (report.apps.length > apps.length) out.push(paint(DIM, `  … ${plural(report.apps.length - apps.length, "more app")}`));
  const cats = categoryStats(report);
  if (cats.length) out.push("  " + truncate(`by category: ${cats.map((c) => `${visible(categoryLabel(c.category))} ${c.apps}`).join(", ")}`, width - 2));

  // Policies.
  const matched = report.policies.filter((p) => p.matches.length > 0);
  heading(`Policy matches (${formatInt(matched.length)} of ${plural(report.policies.length, "policy", "policies")})`);
  if (matched.length === 0) out.push("  no policy matched");
  for (const p of matched) {
    out.push(
      `  ${paint(BOLD, truncate(visible(p.name), width - 40))}  ${paint(SEVERITY_STYLE[p.severity], visible(p.severity))}${p.mode === "enforce" ? "" : " " + paint(BLUE, visible(p.mode))}` +
        paint(DIM, ` · ${plural(p.matchedApps.length, "app")} on ${plural(matchDays(p), "day")}`),
    );
    const firsts = firstMatches(p);
    const shown = firsts.slice(0, MATCHES_PER_POLICY);
    out.push(
      ...grid(shown, [
        { header: "App", cell: (f) => f.app, min: 10, max: 24 },
        { header: "First", shrink: false, cell: (f) => f.day },
        { header: "Days", align: "right", shrink: false, cell: (f) => (f.days === 1 ? "1 day" : `${f.days} days`) },
        { header: "Why", cell: (f) => readableWhy(f.match), min: 20 },
      ], { width, color, indent: 4 }).slice(1),
    );
    if (firsts.length > shown.length) out.push(paint(DIM, `    … ${plural(firsts.length - shown.length, "more app")}`));
  }
  const unmatched = report.policies.filter((p) => p.matches.length === 0);
  if (unmatched.length && matched.length) out.push(paint(DIM, wrap(`  no match: ${unmatched.map((p) => visible(p.name)).join(", ")}`, width, "    ")));

  // Alerts.
  heading(`Alerts (${formatInt(report.alerts.length)})`);
  const why = alertWhy(report);
  if (report.alerts.length === 0) out.push("  no alert");
  else {
    g(report.alerts.slice(0, ALERTS_LISTED), [
      { header: "Day", shrink: false, cell: (a) => a.day },
      { header: "Severity", shrink: false, cell: (a) => a.severity, style: (a) => SEVERITY_STYLE[a.severity] },
      { header: "Policy", cell: (a) => a.policy, min: 12, max: 36 },
      { header: "App", cell: (a) => a.app, min: 8, max: 22 },
      { header: "Why", cell: (a) => why(a), min: 16 },
    ]);
    if (report.alerts.length > ALERTS_LISTED) out.push(paint(DIM, `  … ${plural(report.alerts.length - ALERTS_LISTED, "more alert")}`));
  }
  const supp = suppressedByReason(report);
  if (supp.length) out.push(paint(DIM, wrap(`  ${plural(report.suppressedAlerts.length, "alert")} suppressed: ${supp.map((s) => `${formatInt(s.alerts)} ${visible(s.reason)}`).join("; ")}`, width, "    ")));

  // Tag conflicts.
  heading(`Tag conflicts (${formatInt(report.tagConflicts.length)})`);
  if (report.tagConflicts.length === 0) out.push("  no conflict");
  else
    g(report.tagConflicts, [
      { header: "App", cell: (c) => c.app, max: 22 },
      { header: "Winner", cell: (c) => `${c.winner} by ${c.by}`, style: (c) => TAG_STYLE[c.winner], min: 14 },
      { header: "Lost", cell: (c) => `${c.lost} by ${c.lostBy}`, style: (c) => TAG_STYLE[c.lost], min: 14 },
      { header: "Reason", cell: (c) => c.reason, min: 12 },
    ]);

  // Verdicts.
  heading("Verdicts (requests; bypass = allowed after a warning)");
  const groups: { name: string; c: SimulationReport["verdicts"]["total"] }[] = [
    { name: "all requests", c: report.verdicts.total },
    ...Object.entries(report.verdicts.byGroup).map(([name, c]) => ({ name, c })),
  ];
  const vcol = (k: VerdictKind): Column<(typeof groups)[number]> => ({ header: k, align: "right", shrink: false, cell: (r) => formatInt(verdictParts(r.c)[k]), style: (r) => (verdictParts(r.c)[k] ? VERDICT_STYLE[k] : DIM) });
  g(groups, [
    { header: "Group", cell: (r) => r.name, max: 28, style: (r) => (r.name === "all requests" ? BOLD : undefined) },
    { header: "Requests", align: "right", shrink: false, cell: (r) => formatInt(verdictTotal(r.c)), drop: 1 },
    vcol("allow"),
    vcol("bypass"),
    vcol("audit"),
    vcol("warn"),
    vcol("block"),
    { header: "Blocked", align: "right", shrink: false, cell: (r) => formatPercent(r.c.block, verdictTotal(r.c)), drop: 2 },
  ]);

  // Indicators.
  const ic = indicatorCounts(report);
  heading(`Indicators (${formatInt(report.indicators.length)})`);
  if (report.indicators.length) {
    out.push(`  ${(["block", "warn", "audit", "allow"] as const).map((k) => paint(VERDICT_STYLE[k], `${formatInt(ic.action[k] ?? 0)} ${k}`)).join(" · ")}`);
    out.push(`  ${(["domain", "url", "ip"] as const).map((k) => `${formatInt(ic.type[k] ?? 0)} ${k}`).join(", ")}`);
  } else out.push(wrap("  none: no app is unsanctioned or monitored and there is no manual decision", width, "  "));

  // Unknown domains.
  const unknown = report.unknownDomains.slice(0, TOP_UNKNOWN);
  heading(report.unknownDomains.length > unknown.length ? `Unknown domains: top ${unknown.length} of ${formatInt(report.unknownDomains.length)} by users` : `Unknown domains (${formatInt(report.unknownDomains.length)})`);
  if (unknown.length === 0) out.push("  every request with a host was attributed to an app");
  else
    g(unknown, [
      { header: "Domain", cell: (d) => d.domain, min: 12, max: 40 },
      { header: "Users", align: "right", shrink: false, cell: (d) => formatInt(d.users) },
      { header: "Devices", align: "right", shrink: false, cell: (d) => formatInt(d.devices), drop: 2 },
      { header: "Requests", align: "right", shrink: false, cell: (d) => formatInt(d.transactions), drop: 3 },
      { header: "Traffic", align: "right", shrink: false, cell: (d) => formatBytes(d.bytes) },
      { header: "Hosts", cell: (d) => d.hosts.slice(0, 2).join(", ") + (d.hosts.length > 2 ? ` +${d.hosts.length - 2}` : ""), min: 10, drop: 1 },
    ]);

  // Rejected lines.
  heading(`Rejected lines (${formatInt(report.totals.rejected)})`);
  if (report.totals.rejected === 0 && report.rejected.length === 0) out.push("  none");
  else {
    const reasons = rejectedByReason(report);
    if (reasons.length)
      g(reasons, [
        { header: "Reason", cell: (r) => r.reason, min: 20 },
        { header: "Listed", align: "right", shrink: false, cell: (r) => formatInt(r.lines) },
      ]);
    for (const r of report.rejected.slice(0, REJECTED_LISTED)) {
      out.push(`  ${paint(DIM, truncate(`${visible(r.file)}:${r.line}: ${visible(r.reason)}`, width - 4))}`);
      out.push(`    ${truncate(visible(r.sample), width - 4)}`);
    }
    if (report.totals.rejected > Math.min(report.rejected.length, REJECTED_LISTED))
      out.push(paint(DIM, `  … ${plural(report.totals.rejected - Math.min(report.rejected.length, REJECTED_LISTED), "more line")}`));
  }
  return out.join("\n") + "\n";
}

/** Greedy word wrap on spaces; continuation lines start with `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lead = /^ */.exec(text)![0];
  const words = text.slice(lead.length).split(" ");
  const lines: string[] = [];
  let line = lead;
  for (const word of words) {
    if (line.trim() && displayWidth(line) + 1 + displayWidth(word) > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() ? line + " " + word : line + word;
  }
  if (line.trim()) lines.push(line);
  return lines.join("\n");
}
