/*
 * The hostile workspace (workspace.ts) through the real CLI, and every report it makes attacked:
 * JSON (valid, values intact), the terminal table (no control character from the data reaches
 * the terminal), Markdown and `sanction diff --format md` rendered by cmark-gfm as GitHub would
 * (no injected link, image or HTML, tables whole), the HTML file (escaped; the browser test is
 * html-browser.test.ts), JUnit XML (well-formed for a strict parser, names intact) and SARIF.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { visible } from "@sanction/reports";
import { runCli, type CliRun } from "../support/cli.js";
import { cmarkGfm, htmlText, startTags, tableShapes, xmlProblems, xpathValues } from "./consumers.js";
import { BAD_HOSTS, NAMES, NORMALISED_HOSTS, READER_GAPS, USERS } from "./corpus.js";
import { hostilePolicies, hostileWorkspace } from "./workspace.js";

let dir = "";
beforeAll(() => {
  dir = hostileWorkspace();
});

const simulate = (report: string, extra: string[] = []): Promise<CliRun> => runCli(["simulate", "policies", "--traffic", "traffic.csv", "--report", report, ...extra], dir);

/** C0 and C1 controls (but the table's own line breaks), bidi overrides, line separators. */
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Elements the Markdown renderers write themselves; anything else in cmark's HTML was injected. */
const MARKDOWN_TAGS = new Set(["h2", "h3", "p", "strong", "em", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "code", "ul", "li", "br"]);

function expectSafeMarkdown(md: string, what: string): string {
  const html = cmarkGfm(md);
  const injected = startTags(html).filter((t) => !MARKDOWN_TAGS.has(t.tag) || /\son/i.test(t.attrs));
  expect(injected, what).toEqual([]);
  for (const t of tableShapes(html)) for (const r of t.rows) expect(r, `${what}: a table row's width`).toBe(t.head);
  expect(html, what).not.toMatch(/<\/?(script|img|a|iframe|svg|style)\b/i);
  return html;
}

describe("sanction simulate on the hostile workspace", () => {
  it("JSON: valid, and every hostile name, host and count is there unchanged", async () => {
    const r = await simulate("json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.apps.map((a: { name: string }) => a.name).sort()).toEqual(NAMES.map((n) => n.value).sort());
    expect(report.policies.map((p: { name: string }) => p.name).sort()).toEqual(NAMES.map((n) => n.value).sort());
    for (const a of report.apps) expect(a.users, a.name).toBe(USERS.length);
    // Each bad host name is one rejected line; each normalised name an unknown domain (or an address).
    expect(report.totals.rejected).toBe(BAD_HOSTS.filter((h) => !READER_GAPS.has(h.value)).length);
    const unknown = report.unknownDomains.map((u: { domain: string; hosts: string[] }) => u.hosts).flat();
    for (const h of NORMALISED_HOSTS.filter((x) => !x.address)) expect(unknown, h.value).toContain(h.readsAs);
    for (const x of report.rejected) {
      expect(x.file).toBe("traffic.csv");
      expect(x.reason).toMatch(/host|quoted|NUL/);
      expect(x.sample).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
  });

  it("table: no control character or bidi override from the data reaches the terminal", async () => {
    const r = await simulate("table");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(TERMINAL_UNSAFE);
    expect(r.stderr).not.toMatch(TERMINAL_UNSAFE);
    // The escape sequences are shown, not run.
    expect(r.stdout).toContain(visible(NAMES.find((n) => n.value.includes("\u001b"))!.value));
  });

  it("Markdown: GitHub's renderer makes no link, image or HTML of it, and every table stays whole", async () => {
    const r = await simulate("md");
    expect(r.code, r.stderr).toBe(0);
    const html = expectSafeMarkdown(r.stdout, "report");
    const text = htmlText(html);
    for (const n of NAMES) expect(text, JSON.stringify(n.value)).toContain(visible(n.value));
    expect(tableShapes(html).length).toBeGreaterThanOrEqual(5);
  });

  it("HTML: one self-contained file, every hostile string escaped", async () => {
    const r = await simulate("html", ["-o", "report.html"]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(path.join(dir, "report.html"), "utf8");
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
    expect(markup).not.toMatch(/<(script|img|iframe|object|embed|link|form|base)\b/i);
    // The report's own links are to its sections only.
    expect([...markup.matchAll(/<a\b[^>]*>/gi)].map((m) => m[0]).filter((a) => !/^<a href="#[a-z-]+"( [a-z-]+="[^"]*")*>$/.test(a))).toEqual([]);
    // No event handler on any element (the hostile text holds `onerror=`, as text).
    expect(startTags(markup).filter((t) => /\son[a-z]+\s*=/i.test(t.attrs.replace(/"[^"]*"/g, '""')))).toEqual([]);
    expect(markup).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;");
    // The chart data block cannot be closed early: no '<' inside it at all.
    const data = /<script type="application\/json" id="sanction-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toMatch(/[<>\u2028\u2029]/);
    JSON.parse(data);
  });
});

describe("sanction diff on the hostile workspace", () => {
  let base = "";
  beforeAll(() => {
    // The base is the same apps without the policies that unsanction them.
    base = path.join(dir, "base");
    cpSync(path.join(dir, "policies"), base, { recursive: true });
    writeFileSync(path.join(base, "apps.sanction"), hostilePolicies().replace(/then alert, unsanction/g, "then alert"));
  });
  const diff = (format: string) => runCli(["diff", "--base", base, "policies", "--traffic", "traffic.csv", "--format", format], dir);

  it("--format md: a pull-request comment with no injected link, image or HTML, tables whole", async () => {
    const r = await diff("md");
    expect(r.code, r.stderr).toBe(0);
    const html = expectSafeMarkdown(r.stdout, "diff");
    const text = htmlText(html);
    for (const n of NAMES) expect(text, JSON.stringify(n.value)).toContain(visible(n.value));
    expect(tableShapes(html).map((t) => t.rows.length)[0]).toBe(NAMES.length);
  });

  it("text: no control character or bidi override reaches the terminal", async () => {
    const r = await diff("text");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("tags:");
    expect(r.stdout).not.toMatch(TERMINAL_UNSAFE);
  });

  it("json: valid, names intact", async () => {
    const r = await diff("json");
    const d = JSON.parse(r.stdout);
    expect(d.tagChanges.map((t: { app: string }) => t.app).sort()).toEqual(NAMES.map((n) => n.value).sort());
  });
});

describe("sanction test --junit on hostile test names", () => {
  it("writes XML a strict parser accepts, with every name and failure message readable", async () => {
    const r = await runCli(["test", "tests", "--junit", "junit.xml"], dir);
    expect(r.code).toBe(1);
    const file = path.join(dir, "junit.xml");
    expect(xmlProblems(file)).toBe("");
    expect(xpathValues(file, "//testcase/@name").sort()).toEqual(NAMES.map((n) => visible(n.value)).sort());
    const failures = xpathValues(file, "//failure/@message");
    expect(failures).toHaveLength(NAMES.filter((_, i) => i % 2 === 1).length);
    for (const f of failures) expect(f).toMatch(/^expected allow for www\.app\d+\.example, got block \(unsanctioned by policy .+\)$/);
  });
});

describe("sanction check --format sarif on hostile names", () => {
  it("is valid JSON holding the names exactly", async () => {
    // Every app defined twice: one error per hostile name.
    writeFileSync(path.join(dir, "policies", "again.sanction"), hostilePolicies());
    try {
      const r = await runCli(["check", "--format", "sarif", "policies"], dir);
      expect(r.code).toBe(1);
      const log = JSON.parse(r.stdout);
      const messages: string[] = log.runs[0].results.map((x: { message: { text: string } }) => x.message.text);
      for (const n of NAMES) expect(messages.some((m) => m.includes(n.value)), JSON.stringify(n.value)).toBe(true);
    } finally {
      writeFileSync(path.join(dir, "policies", "again.sanction"), "");
    }
  });
});
