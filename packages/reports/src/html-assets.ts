/*
 * The static parts of the HTML report: its style sheet and its script. Both are constant
 * text (no report data is ever spliced into them), so their CSP hashes depend only on this
 * file. The script reads the chart data from the `application/json` block with JSON.parse.
 */

export const STYLE = String.raw`
:root {
  --bg: #f4f6fa; --card: #ffffff; --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --soft: #f8fafc;
  --accent: #4f46e5; --head1: #0b1220; --head2: #1e293b;
  --allow: #16a34a; --bypass: #a855f7; --audit: #2563eb; --warn: #d97706; --block: #dc2626;
  --sanctioned: #15803d; --unsanctioned: #b91c1c; --monitored: #b45309;
  --high: #b91c1c; --medium: #c2410c; --low: #0369a1;
  --mono: ui-monospace, "SFMono-Regular", "JetBrains Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 1320px; margin: 0 auto; padding: 0 24px; }
header.top { background: linear-gradient(135deg, var(--head1), var(--head2)); color: #e2e8f0; padding: 28px 0 26px; }
.brand { font-size: 12px; letter-spacing: .12em; text-transform: uppercase; color: #94a3b8; font-weight: 600; }
.brand b { color: #a5b4fc; }
h1 { margin: 6px 0 2px; font-size: 28px; line-height: 1.2; color: #fff; font-weight: 700; overflow-wrap: anywhere; }
.sub { margin: 0 0 20px; color: #cbd5e1; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card { background: rgba(255,255,255,.06); border: 1px solid rgba(255,255,255,.10); border-radius: 12px; padding: 12px 14px; }
.card .k { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: #94a3b8; font-weight: 600; }
.card .v { font-size: 26px; font-weight: 700; color: #fff; font-variant-numeric: tabular-nums; line-height: 1.25; margin-top: 2px; }
.card .d { font-size: 12px; color: #cbd5e1; }
.card.alert .v { color: #fca5a5; } .card.block .v { color: #fca5a5; } .card.good .v { color: #86efac; } .card.warn .v { color: #fcd34d; }
.vbar { margin-top: 18px; }
.vbar svg { display: block; width: 100%; height: 14px; border-radius: 7px; overflow: hidden; background: rgba(255,255,255,.08); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin-top: 8px; font-size: 12px; color: #cbd5e1; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.sw-allow { background: var(--allow); } .sw-bypass { background: var(--bypass); } .sw-audit { background: var(--audit); } .sw-warn { background: var(--warn); } .sw-block { background: var(--block); }
nav.toc { position: sticky; top: 0; z-index: 5; background: rgba(255,255,255,.92); backdrop-filter: blur(6px); border-bottom: 1px solid var(--line); }
nav.toc .wrap { display: flex; gap: 2px; overflow-x: auto; }
nav.toc a { color: var(--muted); text-decoration: none; padding: 10px 12px; font-weight: 600; font-size: 13px; white-space: nowrap; border-bottom: 2px solid transparent; }
nav.toc a:hover { color: var(--ink); border-bottom-color: var(--accent); }
nav.toc a .n { color: #94a3b8; font-weight: 500; margin-left: 4px; }
main.wrap { padding: 22px 24px 40px; }
section { margin: 0 0 22px; background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 18px 20px; box-shadow: 0 1px 2px rgba(15,23,42,.04); scroll-margin-top: 56px; }
section.bare { background: none; border: 0; box-shadow: none; padding: 0; }
h2 { font-size: 18px; margin: 0 0 4px; }
h2 .n { color: var(--muted); font-weight: 500; }
.intro { color: var(--muted); margin: 0 0 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.chart { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 14px 16px 10px; margin: 0; box-shadow: 0 1px 2px rgba(15,23,42,.04); }
.chart h3 { margin: 0 0 8px; font-size: 14px; }
.chart h3 small { color: var(--muted); font-weight: 500; margin-left: 6px; }
.chart .box { position: relative; height: 300px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 6px 0 10px; }
.toolbar input, .toolbar select { font: inherit; padding: 6px 10px; border: 1px solid var(--line); border-radius: 8px; background: var(--soft); color: var(--ink); }
.toolbar input { min-width: 260px; }
.toolbar input:focus, .toolbar select:focus { outline: 2px solid #c7d2fe; border-color: var(--accent); background: #fff; }
.toolbar .count { color: var(--muted); font-size: 12px; margin-left: auto; }
.scroll { overflow: auto; max-height: 640px; border: 1px solid var(--line); border-radius: 10px; }
table { border-collapse: separate; border-spacing: 0; width: 100%; font-size: 13px; }
thead th { position: sticky; top: 0; background: #f1f5f9; z-index: 1; text-align: left; font-weight: 600; color: #334155; border-bottom: 1px solid var(--line); padding: 0; white-space: nowrap; }
thead th button { all: unset; display: block; cursor: pointer; padding: 8px 8px; width: 100%; box-sizing: border-box; }
thead th button:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
thead th.num, td.num { text-align: right; }
thead th[aria-sort="ascending"] button::after { content: " ▲"; color: var(--accent); font-size: 10px; }
thead th[aria-sort="descending"] button::after { content: " ▼"; color: var(--accent); font-size: 10px; }
tbody td { padding: 7px 8px; border-bottom: 1px solid #f1f5f9; vertical-align: top; overflow-wrap: anywhere; }
tbody tr:hover td { background: #f8fafc; }
tbody tr:last-child td { border-bottom: 0; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td.empty { color: var(--muted); text-align: center; padding: 18px; font-style: italic; }
.name { font-weight: 600; }
.meta { color: var(--muted); font-size: 12px; }
code, .code { font-family: var(--mono); font-size: 12px; background: #f1f5f9; border-radius: 4px; padding: 1px 4px; color: #1e293b; }
.sample { font-family: var(--mono); font-size: 12px; white-space: pre-wrap; word-break: break-all; color: #1e293b; }
.chip { display: inline-block; max-width: 100%; overflow: hidden; text-overflow: ellipsis; vertical-align: top; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; line-height: 18px; white-space: nowrap; border: 1px solid transparent; }
.chip.sm { font-size: 11px; padding: 0 6px; line-height: 16px; font-weight: 500; }
.t-sanctioned { background: #dcfce7; color: var(--sanctioned); border-color: #bbf7d0; }
.t-unsanctioned { background: #fee2e2; color: var(--unsanctioned); border-color: #fecaca; }
.t-monitored { background: #fef3c7; color: var(--monitored); border-color: #fde68a; }
.t-other, .t-none { background: #f1f5f9; color: #475569; border-color: #e2e8f0; }
.t-custom { background: #eef2ff; color: #4338ca; border-color: #e0e7ff; }
.v-allow { background: #dcfce7; color: #166534; } .v-bypass { background: #f3e8ff; color: #7e22ce; } .v-audit { background: #dbeafe; color: #1d4ed8; } .v-warn { background: #fef3c7; color: #92400e; } .v-block { background: #fee2e2; color: #991b1b; }
.s-high { background: #fee2e2; color: var(--high); } .s-medium { background: #ffedd5; color: var(--medium); } .s-low { background: #e0f2fe; color: var(--low); } .s-other { background: #f1f5f9; color: #475569; }
.m-audit { background: #dbeafe; color: #1d4ed8; }
.score { display: inline-block; min-width: 38px; text-align: center; border-radius: 6px; padding: 0 6px; font-weight: 700; font-variant-numeric: tabular-nums; }
.sc-bad { background: #fee2e2; color: #991b1b; } .sc-mid { background: #fef3c7; color: #92400e; } .sc-ok { background: #ecfccb; color: #3f6212; } .sc-good { background: #dcfce7; color: #166534; } .sc-na { background: #f1f5f9; color: #94a3b8; font-weight: 500; }
.mini { display: inline-block; vertical-align: middle; border-radius: 4px; overflow: hidden; }
td.app { min-width: 160px; }
td.verdicts { min-width: 110px; }
td.app .tags { margin-top: 2px; display: flex; flex-wrap: wrap; gap: 3px; }
td.policy { min-width: 220px; }
td.filter { min-width: 260px; max-width: 420px; }
td.zero { color: #cbd5e1; }
.sw { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 5px; vertical-align: 0; }
.th.nw { background: #eef2ff; color: #4338ca; }
.why { font-family: var(--mono); font-size: 12px; }
.th { display: inline-block; margin: 1px 4px 1px 0; padding: 0 6px; border-radius: 6px; background: #f1f5f9; font-family: var(--mono); font-size: 12px; white-space: nowrap; }
.th b { color: var(--accent); }
details > summary { cursor: pointer; color: var(--accent); font-weight: 600; margin: 8px 0; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; font-size: 13px; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 12px 0 30px; }
@media print { nav.toc { position: static; } .scroll { max-height: none; overflow: visible; } .toolbar { display: none; } }
`;

export const SCRIPT = String.raw`
(function () {
  "use strict";
  var dataEl = document.getElementById("sanction-data");
  var data = JSON.parse(dataEl ? dataEl.textContent || "{}" : "{}");

  /* Sortable, filterable tables: plain DOM, rows are moved, never rebuilt from strings. */
  function cellValue(row, i) {
    var c = row.cells[i];
    if (!c) return "";
    var v = c.getAttribute("data-v");
    return v !== null ? Number(v) : (c.textContent || "").trim().toLowerCase();
  }
  function sortTable(table, col, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : th.getAttribute("aria-sort") === "ascending" ? "descending" : (th.classList.contains("num") ? "descending" : "ascending");
    var ths = table.tHead.rows[0].cells;
    for (var k = 0; k < ths.length; k++) ths[k].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir);
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return !r.classList.contains("none"); });
    var sign = dir === "ascending" ? 1 : -1;
    rows.forEach(function (r, i) { r._i = i; });
    rows.sort(function (a, b) {
      var x = cellValue(a, col), y = cellValue(b, col);
      if (x < y) return -sign;
      if (x > y) return sign;
      return a._i - b._i;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function applyFilters(table) {
    var id = table.id;
    var text = document.querySelector('input[data-filter="' + id + '"]');
    var q = text ? text.value.trim().toLowerCase() : "";
    var selects = document.querySelectorAll('select[data-filter="' + id + '"]');
    var body = table.tBodies[0];
    var shown = 0, total = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      if (r.classList.contains("none")) return;
      total++;
      var ok = !q || (r.textContent || "").toLowerCase().indexOf(q) >= 0;
      Array.prototype.forEach.call(selects, function (s) {
        if (ok && s.value !== "") ok = r.getAttribute("data-" + s.getAttribute("data-attr")) === s.value;
      });
      r.hidden = !ok;
      if (ok) shown++;
    });
    var count = document.querySelector('[data-count="' + id + '"]');
    if (count) count.textContent = shown === total ? total + " rows" : shown + " of " + total + " rows";
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.data"), function (table) {
    var ths = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(ths, function (th, i) {
      var b = th.querySelector("button");
      if (b) b.addEventListener("click", function () { sortTable(table, i, th); });
    });
    applyFilters(table);
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter]"), function (el) {
    var table = document.getElementById(el.getAttribute("data-filter"));
    if (!table) return;
    el.addEventListener(el.tagName === "SELECT" ? "change" : "input", function () { applyFilters(table); });
  });

  /* Charts. */
  if (typeof Chart === "undefined" || !data.charts) return;
  var css = getComputedStyle(document.documentElement);
  function v(name) { return css.getPropertyValue(name).trim(); }
  var VC = { allow: v("--allow"), bypass: v("--bypass"), audit: v("--audit"), warn: v("--warn"), block: v("--block") };
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#475569";
  Chart.defaults.borderColor = "#eef2f7";
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 12;
  Chart.defaults.plugins.tooltip.padding = 10;
  var charts = data.charts;
  function fmtInt(n) { return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function fmtBytes(n) {
    var u = ["B", "kB", "MB", "GB", "TB", "PB"], i = 0;
    while (n >= 999.95 && i < u.length - 1) { n /= 1000; i++; }
    return i === 0 ? Math.round(n) + " B" : n.toFixed(1) + " " + u[i];
  }
  function short(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function sized(id, rows) {
    var canvas = document.getElementById(id);
    if (!canvas) return null;
    if (rows) canvas.parentNode.style.height = Math.max(160, 46 + rows * 24) + "px";
    return canvas;
  }
  /* An empty chart says so instead of showing bare axes. */
  var noData = {
    id: "sanctionNoData",
    afterDraw: function (chart) {
      var any = chart.data.datasets.some(function (d) { return d.data.some(function (x) { return Number(x) > 0; }); });
      if (any) return;
      var a = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = "#94a3b8";
      ctx.font = "600 14px " + Chart.defaults.font.family;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText("no data", (a.left + a.right) / 2, (a.top + a.bottom) / 2);
      ctx.restore();
    }
  };
  function make(id, config, rows) {
    var canvas = sized(id, rows);
    if (!canvas) return;
    config.plugins = [noData];
    canvas.setAttribute("data-ready", "1");
    return new Chart(canvas, config);
  }
  var hbar = { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false }, ticks: { autoSkip: false, callback: function (val) { return short(this.getLabelForValue(val), 26); } } } } };

  var c = charts.categories;
  make("chart-categories", {
    type: "bar",
    data: { labels: c.labels, datasets: [{ label: "apps", data: c.apps, backgroundColor: c.labels.map(function (_, i) { return i === c.labels.length - 1 && c.other ? "#cbd5e1" : "#6366f1"; }), borderRadius: 4, maxBarThickness: 18 }] },
    options: { indexAxis: "y", plugins: { legend: { display: false }, tooltip: { callbacks: { afterLabel: function (ctx) { return fmtInt(c.users[ctx.dataIndex]) + " users \u00b7 " + fmtBytes(c.bytes[ctx.dataIndex]); } } } }, scales: hbar.scales }
  }, c.labels.length);

  var s = charts.scores;
  make("chart-scores", {
    type: "bar",
    data: { labels: s.labels, datasets: [{ label: "apps", data: s.apps, backgroundColor: s.labels.map(function (l) { if (l === "n/a") return "#cbd5e1"; var x = Number(l); return x < 3 ? "#dc2626" : x < 6 ? "#f59e0b" : x < 8 ? "#84cc16" : "#16a34a"; }), borderRadius: 4 }] },
    options: { plugins: { legend: { display: false }, tooltip: { callbacks: { title: function (items) { var l = items[0].label; return l === "n/a" ? "no score (not enough known attributes)" : l === "10" ? "score 10" : "score " + l + " to " + l + ".99"; }, afterLabel: function (ctx) { return fmtInt(s.users[ctx.dataIndex]) + " users"; } } } }, scales: { x: { grid: { display: false }, title: { display: true, text: "risk score (0 = riskiest)" } }, y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "apps" } } } }
  });

  var u = charts.topUsers;
  make("chart-users", {
    type: "bar",
    data: { labels: u.labels, datasets: [
      { label: "users", data: u.users, backgroundColor: "#4f46e5", borderRadius: 3, maxBarThickness: 14 },
      { label: "devices", data: u.devices, backgroundColor: "#a5b4fc", borderRadius: 3, maxBarThickness: 14 }
    ] },
    options: { indexAxis: "y", plugins: { legend: { display: true, position: "top", align: "end" } }, scales: hbar.scales }
  }, u.labels.length * 1.4);

  var t = charts.topTraffic;
  make("chart-traffic", {
    type: "bar",
    data: { labels: t.labels, datasets: [
      { label: "upload", data: t.up, backgroundColor: "#f97316", borderRadius: 3, maxBarThickness: 18 },
      { label: "download", data: t.down, backgroundColor: "#0ea5e9", borderRadius: 3, maxBarThickness: 18 }
    ] },
    options: { indexAxis: "y", plugins: { legend: { display: true, position: "top", align: "end" }, tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + fmtBytes(ctx.raw); } } } },
      scales: { x: { stacked: true, beginAtZero: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6, callback: function (val) { return fmtBytes(val).replace(".0 ", " "); } } }, y: { stacked: true, grid: { display: false }, ticks: { autoSkip: false, callback: function (val) { return short(this.getLabelForValue(val), 26); } } } } }
  }, t.labels.length);

  var vd = charts.verdicts;
  make("chart-verdicts", {
    type: "doughnut",
    data: { labels: vd.labels, datasets: [{ data: vd.values, backgroundColor: vd.kinds.map(function (k) { return VC[k]; }), borderColor: "#fff", borderWidth: 2 }] },
    options: { cutout: "62%", plugins: { legend: { position: "right" }, tooltip: { callbacks: { label: function (ctx) { var sum = vd.values.reduce(function (a, b) { return a + b; }, 0); return ctx.label + ": " + fmtInt(ctx.raw) + " (" + (sum ? (100 * ctx.raw / sum).toFixed(1) : "0") + "%)"; } } } } }
  });

  var g = charts.groups;
  make("chart-groups", {
    type: "bar",
    data: { labels: g.labels, datasets: g.kinds.map(function (k, i) { return { label: k, data: g.percent[i], counts: g.counts[i], backgroundColor: VC[k], maxBarThickness: 22 }; }) },
    options: { indexAxis: "y", plugins: { legend: { position: "top", align: "end" }, tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + fmtInt(ctx.dataset.counts[ctx.dataIndex]) + " (" + Number(ctx.raw).toFixed(1) + "%)"; } } } },
      scales: { x: { stacked: true, min: 0, max: 100, ticks: { callback: function (val) { return val + "%"; } } }, y: { stacked: true, grid: { display: false }, ticks: { autoSkip: false, callback: function (val) { return short(this.getLabelForValue(val), 26); } } } } }
  }, g.labels.length * 1.3 + 1);
})();
`;
