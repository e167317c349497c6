/*
 * The report as ONE self-contained HTML file: summary header, charts (Chart.js, inlined from
 * node_modules at render time) and sortable, filterable tables.
 *
 * Security model (the report holds strings from logs, catalogs and policies, any of which may
 * be hostile):
 * - every such string reaches the page through `esc()` (text and attribute values), and only
 *   whitelisted words become class names;
 * - chart data is a `<script type="application/json">` block in which `<`, `>`, `&`, U+2028
 *   and U+2029 are \u-escaped, read with JSON.parse: no JavaScript is ever built from data;
 * - no inline event handlers, no links built from data;
 * - a Content-Security-Policy meta tag allows nothing but the page's own inline script and
 *   style blocks, by their SHA-256 hashes (computed here), and data: images.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { ReportApp, SimulationReport, VerdictCounts } from "@sanction/engine";
import { SCRIPT, STYLE } from "./html-assets.js";
import {
  alertWhy,
  categoryStats,
  matchDays,
  rejectedByReason,
  scoreDistribution,
  summaryNumbers,
  topByTraffic,
  topByUsers,
  verdictParts,
  verdictTotal,
  VERDICT_KINDS,
  type VerdictKind,
} from "./model.js";
import { categoryLabel, cmp, formatBytes, formatInt, formatPercent, formatScore, plural } from "./text.js";

export interface HtmlOptions {
  /** Page title (default "Sanction simulation report"). */
  readonly title?: string;
}

interface ChartLib {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly source: string;
}

let chartLib: ChartLib | undefined;

/** Chart.js's UMD bundle, read once from node_modules (the `chart.js` dependency). */
export function chartLibrary(): ChartLib {
  if (chartLib) return chartLib;
  const require = createRequire(import.meta.url);
  // chart.js's export map does not expose dist/ files; its main entry sits beside the bundle.
  const main = require.resolve("chart.js");
  const dir = path.dirname(main);
  const pkg = JSON.parse(readFileSync(path.join(dir, "..", "package.json"), "utf8")) as { version: string; license: string };
  let source = readFileSync(path.join(dir, "chart.umd.min.js"), "utf8");
  // Inside a <script> element only `</script` (and `<!--`) could end or confuse it.
  source = source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
  chartLib = { name: "Chart.js", version: pkg.version, license: pkg.license, source };
  return chartLib;
}

/** Escape for HTML text and double- or single-quoted attribute values. */
export function esc(s: string | number): string {
  return String(s)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON that is safe inside a `<script type="application/json">` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function sha256(text: string): string {
  return "sha256-" + createHash("sha256").update(text, "utf8").digest("base64");
}

const oneOf = <T extends string>(value: string, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(value) ? (value as T) : fallback);
const tagClass = (tag: string) => "t-" + oneOf(tag, ["sanctioned", "unsanctioned", "monitored"], "other");
const sevClass = (sev: string) => "s-" + oneOf(sev, ["high", "medium", "low"], "other");
const verdictClass = (v: string) => "v-" + oneOf(v, ["allow", "bypass", "audit", "warn", "block"], "allow");

function scoreCell(score: number | null): string {
  const cls = score === null ? "sc-na" : score < 3 ? "sc-bad" : score < 6 ? "sc-mid" : score < 8 ? "sc-ok" : "sc-good";
  return `<td class="num" data-v="${score === null ? -1 : score}"><span class="score ${cls}">${esc(formatScore(score))}</span></td>`;
}

const VCOLOR: Record<VerdictKind, string> = { allow: "#16a34a", bypass: "#a855f7", audit: "#2563eb", warn: "#d97706", block: "#dc2626" };

/** A stacked bar of the verdict mix as inline SVG (attributes only: no inline style needed). */
function verdictSvg(c: VerdictCounts, width: number, height: number): string {
  const p = verdictParts(c);
  const total = verdictTotal(c);
  if (total === 0) return `<svg class="mini" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="no requests"><rect width="${width}" height="${height}" fill="#94a3b8" fill-opacity="0.3"/></svg>`;
  let x = 0;
  const rects: string[] = [];
  const label: string[] = [];
  for (const k of VERDICT_KINDS) {
    if (!p[k]) continue;
    const w = (p[k] / total) * width;
    rects.push(`<rect x="${x.toFixed(2)}" width="${w.toFixed(2)}" height="${height}" fill="${VCOLOR[k]}"/>`);
    label.push(`${k} ${formatInt(p[k])}`);
    x += w;
  }
  return `<svg class="mini" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="${esc(label.join(", "))}"><title>${esc(label.join(" · "))}</title>${rects.join("")}</svg>`;
}

interface Col {
  readonly label: string;
  /** A colour key shown before the label (verdict kinds). */
  readonly swatch?: VerdictKind;
  readonly num?: boolean;
  /** Not sortable (e.g. a chart). */
  readonly plain?: boolean;
}

function thead(cols: readonly Col[]): string {
  const label = (c: Col) => (c.swatch ? `<i class="sw sw-${c.swatch}"></i>` : "") + esc(c.label);
  return `<thead><tr>${cols.map((c) => (c.plain ? `<th${c.num ? ' class="num"' : ""}><span class="meta">${label(c)}</span></th>` : `<th${c.num ? ' class="num"' : ""}><button type="button">${label(c)}</button></th>`)).join("")}</tr></thead>`;
}

function dataTable(id: string, cols: readonly Col[], rows: readonly string[], empty: string, opts: { filter?: string; selects?: string; scroll?: boolean } = {}): string {
  const body = rows.length ? rows.join("\n") : `<tr class="none"><td class="empty" colspan="${cols.length}">${esc(empty)}</td></tr>`;
  const toolbar = rows.length > 8 || opts.selects
    ? `<div class="toolbar"><input type="search" data-filter="${id}" placeholder="${esc(opts.filter ?? "Filter…")}" aria-label="${esc(opts.filter ?? "Filter")}">${opts.selects ?? ""}<span class="count" data-count="${id}">${plural(rows.length, "row")}</span></div>`
    : "";
  return `${toolbar}<div class="scroll"><table class="data" id="${id}">${thead(cols)}<tbody>\n${body}\n</tbody></table></div>`;
}

function select(table: string, attr: string, label: string, values: readonly { value: string; text: string }[]): string {
  return `<select data-filter="${table}" data-attr="${attr}" aria-label="${esc(label)}"><option value="">${esc(label)}: all</option>${values.map((v) => `<option value="${esc(v.value)}">${esc(v.text)}</option>`).join("")}</select>`;
}

const num = (n: number, text = formatInt(n)) => `<td class="num" data-v="${n}">${esc(text)}</td>`;
const txt = (s: string, cls?: string) => `<td${cls ? ` class="${cls}"` : ""}>${esc(s)}</td>`;

function tagChip(tag: string, mode?: string): string {
  return `<span class="chip ${tagClass(tag)}">${esc(tag)}</span>${mode && mode !== "enforce" ? ` <span class="chip sm m-audit">${esc(mode)}</span>` : ""}`;
}

function appRow(a: ReportApp): string {
  const tag = a.tag ? a.tag.tag : "untagged";
  const custom = a.customTags.map((t) => `<span class="chip sm t-custom">${esc(t)}</span>`).join(" ");
  return (
    `<tr data-tag="${esc(tag)}" data-category="${esc(a.category)}">` +
    `<td class="app"><div class="name">${esc(a.name)}</div>${custom ? `<div class="tags">${custom}</div>` : ""}</td>` +
    txt(categoryLabel(a.category)) +
    scoreCell(a.score) +
    num(a.users) +
    num(a.devices) +
    num(a.transactions) +
    num(a.bytesUp, formatBytes(a.bytesUp)) +
    num(a.bytesDown, formatBytes(a.bytesDown)) +
    num(a.days) +
    `<td class="nowrap" data-v="${Date.parse(a.firstSeen) || 0}" title="${esc(`${a.firstSeen} – ${a.lastSeen}`)}">${esc(a.firstSeen.slice(5, 10))} – ${esc(a.lastSeen.slice(5, 10))}</td>` +
    (a.tag ? `<td>${tagChip(a.tag.tag, a.tag.mode)}<div class="meta">by ${esc(a.tag.by)}</div></td>` : `<td><span class="chip t-none">untagged</span></td>`) +
    `<td class="verdicts" data-v="${a.verdicts.block + a.verdicts.warn * 1e-6}">${verdictSvg(a.verdicts, 96, 8)}<div class="meta">${esc(verdictSummary(a.verdicts))}</div></td>` +
    `</tr>`
  );
}

function verdictSummary(c: VerdictCounts): string {
  const p = verdictParts(c);
  const parts = VERDICT_KINDS.filter((k) => p[k] > 0).map((k) => `${formatInt(p[k])} ${k}`);
  return parts.length ? parts.join(" · ") : "no requests";
}

const BYTE_METRICS = new Set(["upload", "download", "traffic"]);

function thresholds(m: SimulationReport["policies"][number]["matches"][number]): string {
  const parts = m.thresholds.map((t) => {
    const bytes = BYTE_METRICS.has(t.metric);
    const f = bytes ? formatBytes : formatInt;
    const title = bytes ? ` title="${esc(`${formatInt(t.observed)} ${t.op} ${formatInt(t.value)} bytes`)}"` : "";
    return `<span class="th"${title}>${esc(t.metric)} <b>${esc(f(t.observed))}</b> ${esc(t.op)} ${esc(f(t.value))}</span>`;
  });
  if (m.newApp) parts.push(`<span class="th nw">new app: first seen ${esc(m.newApp.firstSeen)} (window ${esc(m.newApp.windowDays)} days)</span>`);
  return parts.length ? parts.join(" ") : `<span class="why">${esc(m.why)}</span>`;
}

function section(id: string, title: string, count: number | string | undefined, intro: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}${count === undefined ? "" : ` <span class="n">${esc(typeof count === "number" ? formatInt(count) : count)}</span>`}</h2>${intro ? `<p class="intro">${intro}</p>` : ""}${body}</section>`;
}

function chartData(report: SimulationReport) {
  const cats = categoryStats(report);
  const TOP_CATS = 12;
  const shownCats = cats.slice(0, TOP_CATS);
  const rest = cats.slice(TOP_CATS);
  const categories = {
    labels: [...shownCats.map((c) => categoryLabel(c.category)), ...(rest.length ? [`other (${rest.length} categories)`] : [])],
    apps: [...shownCats.map((c) => c.apps), ...(rest.length ? [rest.reduce((n, c) => n + c.apps, 0)] : [])],
    users: [...shownCats.map((c) => c.users), ...(rest.length ? [rest.reduce((n, c) => n + c.users, 0)] : [])],
    bytes: [...shownCats.map((c) => c.bytes), ...(rest.length ? [rest.reduce((n, c) => n + c.bytes, 0)] : [])],
    other: rest.length > 0,
  };
  const dist = scoreDistribution(report);
  const users = topByUsers(report, 15);
  const traffic = topByTraffic(report, 15);
  const total = verdictParts(report.verdicts.total);
  const groupRows: [string, VerdictCounts][] = [["all requests", report.verdicts.total], ...Object.entries(report.verdicts.byGroup).sort(([a], [b]) => cmp(a, b))];
  const groups = {
    labels: groupRows.map(([g]) => g),
    kinds: [...VERDICT_KINDS],
    counts: VERDICT_KINDS.map((k) => groupRows.map(([, c]) => verdictParts(c)[k])),
    percent: VERDICT_KINDS.map((k) => groupRows.map(([, c]) => (verdictTotal(c) ? Math.round((10000 * verdictParts(c)[k]) / verdictTotal(c)) / 100 : 0))),
  };
  return {
    categories,
    scores: { labels: dist.map((d) => d.band), apps: dist.map((d) => d.apps), users: dist.map((d) => d.users) },
    topUsers: { labels: users.map((a) => a.name), users: users.map((a) => a.users), devices: users.map((a) => a.devices) },
    topTraffic: { labels: traffic.map((a) => a.name), up: traffic.map((a) => a.bytesUp), down: traffic.map((a) => a.bytesDown) },
    verdicts: { kinds: [...VERDICT_KINDS], labels: VERDICT_KINDS.map((k) => `${k} ${formatInt(total[k])}`), values: VERDICT_KINDS.map((k) => total[k]) },
    groups,
  };
}

export function renderHtml(report: SimulationReport, opts: HtmlOptions = {}): string {
  const title = opts.title ?? "Sanction simulation report";
  const lib = chartLibrary();
  const n = summaryNumbers(report);
  const w = report.window;

  // Header.
  const card = (k: string, v: string, d: string, cls = "") => `<div class="card${cls ? " " + cls : ""}"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div><div class="d">${d}</div></div>`;
  const vp = n.verdicts;
  const header =
    `<header class="top"><div class="wrap">` +
    `<div class="brand"><b>Sanction</b> · cloud app discovery · simulation</div>` +
    `<h1>${esc(title)}</h1>` +
    (n.records
      ? `<p class="sub">${w.from && w.to ? `${esc(w.from)} – ${esc(w.to)} · ${esc(plural(w.days, "day"))} · ` : ""}${esc(plural(n.records, "record"))} from ${esc(plural(report.inputs.length, "input"))} · ${esc(formatPercent(n.attributed, n.records))} attributed to apps</p>`
      : `<p class="sub">no records in ${esc(plural(report.inputs.length, "input"))}</p>`) +
    `<div class="cards">` +
    card("Apps discovered", formatInt(n.apps), esc(`${plural(n.categories, "category", "categories")}`)) +
    card("Unsanctioned", formatInt(n.tags.unsanctioned), esc(`${formatInt(n.tags.monitored)} monitored · ${formatInt(n.tags.sanctioned)} sanctioned`), n.tags.unsanctioned ? "block" : "") +
    card("Alerts", formatInt(n.alerts), esc(`${formatInt(n.suppressed)} suppressed · ${formatInt(n.policiesMatched)} of ${formatInt(n.policies)} policies matched`), n.alerts ? "alert" : "good") +
    card("Blocked requests", formatInt(vp.block), esc(`${formatPercent(vp.block, n.requests)} of ${formatInt(n.requests)} · ${formatInt(vp.warn)} warned`), vp.block ? "block" : "") +
    card("Unknown domains", formatInt(n.unknownDomains), esc(`${formatInt(n.unknown)} requests (${formatPercent(n.unknown, n.records)})`), n.unknownDomains ? "warn" : "") +
    card("Tag conflicts", formatInt(n.conflicts), esc(`${formatInt(n.indicators)} indicators`), n.conflicts ? "warn" : "") +
    card("Rejected lines", formatInt(n.rejected), esc(`${formatInt(n.withoutHost)} records without a host`), n.rejected ? "warn" : "good") +
    `</div>` +
    `<div class="vbar">${verdictSvg(report.verdicts.total, 1000, 14)}<div class="legend">${VERDICT_KINDS.map((k) => `<span><i class="sw-${k}"></i>${esc(k)} ${esc(formatInt(vp[k]))} (${esc(formatPercent(vp[k], n.requests))})</span>`).join("")}</div></div>` +
    `</div></header>`;

  const matchesAll = report.policies.flatMap((p) => p.matches);
  const nav =
    `<nav class="toc" aria-label="sections"><div class="wrap">` +
    (
      [
        ["charts", "Overview", undefined],
        ["apps", "Apps", report.apps.length],
        ["policies", "Policies", n.policiesMatched],
        ["alerts", "Alerts", report.alerts.length],
        ["conflicts", "Tag conflicts", report.tagConflicts.length],
        ["verdicts", "Verdicts", undefined],
        ["indicators", "Indicators", report.indicators.length],
        ["unknown", "Unknown domains", report.unknownDomains.length],
        ["rejected", "Rejected lines", report.totals.rejected],
        ["inputs", "Inputs", report.inputs.length],
      ] as const
    )
      .map(([id, label, count]) => `<a href="#${id}">${esc(label)}${count === undefined ? "" : `<span class="n">${esc(formatInt(count))}</span>`}</a>`)
      .join("") +
    `</div></nav>`;

  // Charts.
  const chart = (id: string, heading: string, note: string) => `<figure class="chart"><h3>${esc(heading)}<small>${esc(note)}</small></h3><div class="box"><canvas id="${id}" role="img" aria-label="${esc(heading)}"></canvas></div></figure>`;
  const charts =
    `<section id="charts" class="bare"><div class="charts">` +
    chart("chart-categories", "Apps by category", `${plural(n.categories, "category", "categories")}`) +
    chart("chart-scores", "Risk score distribution", "apps per score band") +
    chart("chart-users", "Top apps by users", "top 15") +
    chart("chart-traffic", "Top apps by traffic", "upload + download, top 15") +
    chart("chart-verdicts", "Verdicts", `${formatInt(n.requests)} requests`) +
    chart("chart-groups", "Verdicts by group", "share of each group's requests") +
    `</div></section>`;

  // Apps.
  const categories = [...new Set(report.apps.map((a) => a.category))].sort(cmp);
  const tagsPresent = [...new Set(report.apps.map((a) => (a.tag ? a.tag.tag : "untagged")))].sort(cmp);
  const appsSection = section(
    "apps",
    "Discovered apps",
    report.apps.length,
    "Every app the traffic was attributed to, with its governance tag after policies and manual decisions and the verdicts its requests would get. Click a column to sort.",
    dataTable(
      "t-apps",
      [
        { label: "App" },
        { label: "Category" },
        { label: "Score", num: true },
        { label: "Users", num: true },
        { label: "Devices", num: true },
        { label: "Requests", num: true },
        { label: "Upload", num: true },
        { label: "Download", num: true },
        { label: "Days", num: true },
        { label: "First – last" },
        { label: "Tag" },
        { label: "Verdicts" },
      ],
      report.apps.map(appRow),
      "No app was seen.",
      {
        filter: "Filter apps…",
        selects:
          select("t-apps", "tag", "Tag", tagsPresent.map((t) => ({ value: t, text: t }))) +
          select("t-apps", "category", "Category", categories.map((c) => ({ value: c, text: categoryLabel(c) }))),
      },
    ),
  );

  // Policies and matches.
  const policyRows = report.policies.map(
    (p) =>
      `<tr data-matched="${p.matches.length ? "yes" : "no"}">` +
      `<td class="policy"><div class="name">${esc(p.name)}</div><div class="meta nowrap">${esc(p.source)}</div></td>` +
      `<td data-v="${["low", "medium", "high"].indexOf(p.severity)}"><span class="chip ${sevClass(p.severity)}">${esc(p.severity)}</span></td>` +
      `<td>${p.mode === "enforce" ? esc(p.mode) : `<span class="chip m-audit">${esc(p.mode)}</span>`}</td>` +
      `<td class="filter"><code>${esc(p.filter)}</code></td>` +
      num(p.candidates) +
      num(p.matchedApps.length) +
      num(matchDays(p)) +
      `<td>${p.matchedApps.length ? esc(p.matchedApps.slice(0, 12).join(", ")) + (p.matchedApps.length > 12 ? esc(`, … ${p.matchedApps.length - 12} more`) : "") : '<span class="meta">—</span>'}</td>` +
      `</tr>`,
  );
  const matchRows = matchesAll.map(
    (m) =>
      `<tr>${txt(m.day, "nowrap")}<td>${esc(m.policy)}</td><td class="name">${esc(m.app)}</td><td data-v="${m.thresholds.length}">${thresholds(m)}</td></tr>`,
  );
  const policiesSection = section(
    "policies",
    "Policy matches",
    `${formatInt(n.policiesMatched)} of ${formatInt(n.policies)} policies`,
    "A policy matches an app on a day when every threshold holds on that same day; <em>candidates</em> are the catalog apps its filter accepts.",
    dataTable(
      "t-policies",
      [{ label: "Policy" }, { label: "Severity" }, { label: "Mode" }, { label: "Filter" }, { label: "Candidates", num: true }, { label: "Apps", num: true }, { label: "Days", num: true }, { label: "Matched apps" }],
      policyRows,
      "No policy.",
      { filter: "Filter policies…", selects: select("t-policies", "matched", "Matched", [{ value: "yes", text: "matched" }, { value: "no", text: "no match" }]) },
    ) +
      `<h3>Why they matched <span class="meta">${esc(plural(matchesAll.length, "match", "matches"))}</span></h3>` +
      dataTable("t-matches", [{ label: "Day" }, { label: "Policy" }, { label: "App" }, { label: "Why (observed vs threshold)" }], matchRows, "No policy matched.", { filter: "Filter matches…" }),
  );

  // Alerts.
  const why = alertWhy(report);
  const alertRows = report.alerts.map(
    (a) =>
      `<tr data-severity="${esc(a.severity)}">${txt(a.day, "nowrap")}<td data-v="${["low", "medium", "high"].indexOf(a.severity)}"><span class="chip ${sevClass(a.severity)}">${esc(a.severity)}</span></td><td>${esc(a.policy)}</td><td class="name">${esc(a.app)}</td><td class="why">${esc(why(a))}</td></tr>`,
  );
  const suppressedRows = report.suppressedAlerts.map((s) => `<tr>${txt(s.day, "nowrap")}<td>${esc(s.policy)}</td><td class="name">${esc(s.app)}</td><td>${esc(s.reason)}</td></tr>`);
  const severities = [...new Set(report.alerts.map((a) => a.severity))].sort(cmp);
  const alertsSection = section(
    "alerts",
    "Alerts",
    report.alerts.length,
    "",
    dataTable("t-alerts", [{ label: "Day" }, { label: "Severity" }, { label: "Policy" }, { label: "App" }, { label: "Why" }], alertRows, "No alert was raised.", {
      filter: "Filter alerts…",
      selects: severities.length ? select("t-alerts", "severity", "Severity", severities.map((s) => ({ value: s, text: s }))) : "",
    }) +
      (suppressedRows.length
        ? `<details><summary>${esc(plural(suppressedRows.length, "suppressed alert"))}</summary>${dataTable("t-suppressed", [{ label: "Day" }, { label: "Policy" }, { label: "App" }, { label: "Reason" }], suppressedRows, "", { filter: "Filter suppressed alerts…" })}</details>`
        : ""),
  );

  // Tag conflicts.
  const conflictRows = report.tagConflicts.map(
    (c) => `<tr><td class="name">${esc(c.app)}</td><td>${tagChip(c.winner)}<div class="meta">by ${esc(c.by)}</div></td><td>${tagChip(c.lost)}<div class="meta">by ${esc(c.lostBy)}</div></td><td>${esc(c.reason)}</td></tr>`,
  );
  const conflictsSection = section(
    "conflicts",
    "Tag conflicts",
    report.tagConflicts.length,
    "Apps that more than one decision wanted to tag differently, and which one won.",
    dataTable("t-conflicts", [{ label: "App" }, { label: "Winner" }, { label: "Overridden" }, { label: "Reason" }], conflictRows, "No conflicting tags."),
  );

  // Verdicts.
  const groupRows: [string, VerdictCounts, boolean][] = [["all requests", report.verdicts.total, true], ...Object.entries(report.verdicts.byGroup).map(([g, c]) => [g, c, false] as [string, VerdictCounts, boolean])];
  const verdictRows = groupRows.map(([g, c, all]) => {
    const p = verdictParts(c);
    return `<tr><td class="name">${all ? "<em>all requests</em>" : esc(g)}</td>${num(verdictTotal(c))}${VERDICT_KINDS.map((k) => (p[k] ? num(p[k]) : `<td class="num zero" data-v="0">0</td>`)).join("")}${num(verdictTotal(c) ? c.block / verdictTotal(c) : 0, formatPercent(c.block, verdictTotal(c)))}<td>${verdictSvg(c, 160, 10)}</td></tr>`;
  });
  const verdictsSection = section(
    "verdicts",
    "Verdicts by group",
    undefined,
    "What each request would meet once the policies are in force. <em>bypass</em>: allowed because the user had clicked through a warning. A request counts in every group it belongs to.",
    dataTable(
      "t-verdicts",
      [{ label: "Group" }, { label: "Requests", num: true }, ...VERDICT_KINDS.map((k) => ({ label: k, num: true, swatch: k })), { label: "Blocked", num: true }, { label: "Mix", plain: true }],
      verdictRows,
      "",
      { filter: "Filter groups…" },
    ),
  );

  // Indicators.
  const indicatorRows = report.indicators.map(
    (i) =>
      `<tr data-action="${esc(i.action)}">${txt(i.type)}<td><code>${esc(i.value)}</code></td><td><span class="chip ${verdictClass(i.action)}">${esc(i.action)}</span></td><td>${i.app === null ? '<span class="meta">—</span>' : esc(i.app)}</td><td>${esc(i.reason)}</td>${txt(i.expires ?? "", "nowrap")}</tr>`,
  );
  const indicatorsSection = section(
    "indicators",
    "Indicators",
    report.indicators.length,
    "The indicators the policies would publish: every domain of an unsanctioned (block) or monitored (warn) app, and the manual decisions.",
    dataTable("t-indicators", [{ label: "Type" }, { label: "Value" }, { label: "Action" }, { label: "App" }, { label: "Reason" }, { label: "Expires" }], indicatorRows, "No indicator.", {
      filter: "Filter indicators…",
      selects: select("t-indicators", "action", "Action", ["block", "warn", "audit", "allow"].filter((a) => report.indicators.some((i) => i.action === a)).map((a) => ({ value: a, text: a }))),
    }),
  );

  // Unknown domains.
  const unknownRows = report.unknownDomains.map(
    (d) =>
      `<tr><td><code>${esc(d.domain)}</code></td>${num(d.users)}${num(d.devices)}${num(d.transactions)}${num(d.bytes, formatBytes(d.bytes))}<td>${d.hosts
        .slice(0, 8)
        .map((h) => `<code>${esc(h)}</code>`)
        .join(" ")}${d.hosts.length > 8 ? ` <span class="meta">+${esc(d.hosts.length - 8)}</span>` : ""}</td></tr>`,
  );
  const unknownSection = section(
    "unknown",
    "Unknown domains",
    report.unknownDomains.length,
    "Traffic that matched no app in the catalog or the workspace: candidates for a custom app or a manual decision.",
    dataTable("t-unknown", [{ label: "Domain" }, { label: "Users", num: true }, { label: "Devices", num: true }, { label: "Requests", num: true }, { label: "Traffic", num: true }, { label: "Hosts" }], unknownRows, "Every request with a host was attributed to an app.", {
      filter: "Filter domains…",
    }),
  );

  // Rejected lines.
  const reasons = rejectedByReason(report);
  const rejectedRows = report.rejected.map((r) => `<tr><td class="nowrap"><code>${esc(r.file)}</code></td>${num(r.line, String(r.line))}<td>${esc(r.reason)}</td><td><div class="sample">${esc(r.sample)}</div></td></tr>`);
  const rejectedSection = section(
    "rejected",
    "Rejected lines",
    report.totals.rejected,
    report.totals.rejected > report.rejected.length
      ? esc(`Lines the readers could not parse; the first ${formatInt(report.rejected.length)} of ${formatInt(report.totals.rejected)} are listed.`) +
          (reasons.length && reasons[0]!.lines > 1 ? " " + esc(`Most common: ${reasons.slice(0, 3).map((r) => `${r.reason} (${r.lines})`).join("; ")}.`) : "")
      : "Lines the readers could not parse.",
    dataTable("t-rejected", [{ label: "File" }, { label: "Line", num: true }, { label: "Reason" }, { label: "Sample" }], rejectedRows, "Every line was read.", { filter: "Filter rejected lines…" }),
  );

  // Inputs.
  const inputRows = report.inputs.map((f) => `<tr><td><code>${esc(f.file)}</code></td>${txt(f.format)}${num(f.lines)}${num(f.records)}${num(f.rejected)}</tr>`);
  const t = report.totals;
  const inputsSection = section(
    "inputs",
    "Inputs",
    report.inputs.length,
    "",
    `<div class="grid2"><div>${dataTable("t-inputs", [{ label: "File" }, { label: "Format" }, { label: "Lines", num: true }, { label: "Records", num: true }, { label: "Rejected", num: true }], inputRows, "No input.")}</div>` +
      `<dl class="kv"><dt>Window</dt><dd>${w.from && w.to ? esc(`${w.from} – ${w.to} (${plural(w.days, "day")})`) : "—"}</dd>` +
      `<dt>Records</dt><dd>${esc(formatInt(t.records))}</dd><dt>Attributed to apps</dt><dd>${esc(`${formatInt(t.attributed)} (${formatPercent(t.attributed, t.records)})`)}</dd>` +
      `<dt>Unknown domains</dt><dd>${esc(formatInt(t.unknown))}</dd><dt>Without a host</dt><dd>${esc(formatInt(t.withoutHost))}</dd><dt>Rejected lines</dt><dd>${esc(formatInt(t.rejected))}</dd>` +
      `<dt>Report format</dt><dd>${esc(`${report.format} v${report.version}`)}</dd></dl></div>`,
  );

  const json = scriptJson({ charts: chartData(report) });
  const CSP = [
    "default-src 'none'",
    `script-src '${sha256(lib.source)}' '${sha256(SCRIPT)}'`,
    `style-src '${sha256(STYLE)}'`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");

  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">\n` +
    `<meta name="referrer" content="no-referrer">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="generator" content="Sanction">\n<title>${esc(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
    header +
    "\n" +
    nav +
    `\n<main class="wrap">\n` +
    [charts, appsSection, policiesSection, alertsSection, conflictsSection, verdictsSection, indicatorsSection, unknownSection, rejectedSection, inputsSection].join("\n") +
    `\n</main>\n<footer>Generated by Sanction from a ${esc(report.format)} v${esc(report.version)} report · charts by ${esc(lib.name)} ${esc(lib.version)} (${esc(lib.license)} licence, inlined)</footer>\n` +
    `<script type="application/json" id="sanction-data">${json}</script>\n` +
    `<script>${lib.source}</script>\n` +
    `<script>${SCRIPT}</script>\n` +
    `</body>\n</html>\n`
  );
}
