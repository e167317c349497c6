/*
 * Every report writer against random hostile names (fast-check): a report whose app, policy,
 * tag, group, host, file and reason strings are all drawn from arbHostileName, rendered as a
 * terminal table, Markdown, HTML and JSON, diffed against the original (text and Markdown),
 * and the names used as test names in JUnit XML. Each output is read back by what reads it in
 * real use (cmark-gfm, xmllint, JSON.parse) and must hold no injected markup, no control
 * character on a terminal, and the names intact. The catalog import writer gets random hostile
 * names and vendors in a CSV list and must write app blocks only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { diffReports, type TestOutcome } from "@sanction/engine";
import { renderHtml, renderJson, renderMarkdown, renderTable, visible } from "@sanction/reports";
import { analyze, nodeFileHost } from "@sanction/semantics";
import { parse } from "@sanction/syntax";
import { diffMarkdown, diffText } from "../../packages/cli/src/diff-render.js";
import { toJUnit } from "../../packages/cli/src/junit.js";
import { fcRunsCapped } from "../support/arbitraries.js";
import { runCli, tempWorkspace } from "../support/cli.js";
import { hostileReport } from "../reports/hostile.js";
import { loadFixture } from "../reports/load.js";
import { arbHostileName } from "./arbitraries.js";
import { sanctionString } from "./workspace.js";
import { cmarkGfm, startTags, tableShapes, xmlProblems, xpathValues } from "./consumers.js";

const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const MARKDOWN_TAGS = new Set(["h2", "h3", "p", "strong", "em", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "code", "ul", "li", "br"]);

const dir = mkdtempSync(path.join(tmpdir(), "sanction-hostile-writers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const arbNames = () => fc.array(arbHostileName(), { minLength: 3, maxLength: 8 });

function expectMarkdownSafe(md: string): void {
  const html = cmarkGfm(md);
  const injected = startTags(html).filter((t) => !MARKDOWN_TAGS.has(t.tag) && !(t.tag === "a" && /^ href="mailto:[^"]*"$/.test(t.attrs)));
  expect(injected, md).toEqual([]);
  for (const t of tableShapes(html)) for (const r of t.rows) expect(r, md).toBe(t.head);
}

describe("report writers on random hostile names (fast-check)", () => {
  const base = loadFixture("small");

  it("table, Markdown, HTML and JSON", () => {
    fc.assert(
      fc.property(arbNames(), (names) => {
        const r = hostileReport(base, names);
        const table = renderTable(r, { width: 120 });
        expect(table).not.toMatch(TERMINAL_UNSAFE);
        expect(renderTable(r, { color: true }).replace(/\u001b\[[0-9;]*m/g, "")).not.toMatch(TERMINAL_UNSAFE);
        expectMarkdownSafe(renderMarkdown(r));
        const html = renderHtml(r, { title: names[0]! });
        const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
        expect([...html.matchAll(/<script\b/g)]).toHaveLength(3);
        expect(markup).not.toMatch(/<(script|img|iframe|object|embed|link|form|base)\b/i);
        expect(startTags(markup).filter((t) => /\son[a-z]+\s*=/i.test(t.attrs.replace(/"[^"]*"/g, '""')))).toEqual([]);
        const data = /<script type="application\/json" id="sanction-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
        expect(data).not.toMatch(/[<>\u2028\u2029]/);
        expect(JSON.parse(renderJson(r))).toEqual(r);
      }),
      { numRuns: fcRunsCapped(40, 160) },
    );
  });

  it("sanction diff: text and Markdown", () => {
    fc.assert(
      fc.property(arbNames(), (names) => {
        const d = diffReports(base, hostileReport(base, names));
        expect(diffText(d)).not.toMatch(TERMINAL_UNSAFE);
        expectMarkdownSafe(diffMarkdown(d));
      }),
      { numRuns: fcRunsCapped(40, 160) },
    );
  });

  it("JUnit XML", () => {
    let k = 0;
    fc.assert(
      fc.property(arbNames(), (names) => {
        const outcomes: TestOutcome[] = names.map((n, i) => ({
          name: n,
          source: `tests/${n}.sanction:${i + 1}:1`,
          passed: i % 2 === 0,
          checks: i % 2 === 0 ? [] : [{ source: `tests/t.sanction:${i + 1}:3`, passed: false, message: `expected allow for ${n}` }],
        }));
        const file = path.join(dir, `junit-${k++}.xml`);
        writeFileSync(file, toJUnit(outcomes));
        expect(xmlProblems(file)).toBe("");
        expect(xpathValues(file, "//testcase/@name")).toEqual(names.map((n) => visible(n)));
      }),
      { numRuns: fcRunsCapped(25, 100) },
    );
  });
});

describe("catalog import writer on random hostile names (fast-check)", () => {
  it("writes one app block per accepted row, names as given, nothing else", async () => {
    // RFC 4180 quoting only: the list is the attacker's, formulas and all.
    const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
    // A name or vendor holding a control character (line breaks among them) refuses its row;
    // the importer collapses runs of white space in the others.
    const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
    const squash = (s: string) => s.replace(/\s+/g, " ").trim();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(arbHostileName(), arbHostileName()), { minLength: 1, maxLength: 6 }), async (rows) => {
        const csv = ["name,domains,category,vendor", ...rows.map(([name, vendor], i) => [name, `*.app${i}.hostile-list.example`, "other", vendor].map(quote).join(","))].join("\r\n") + "\r\n";
        const ws = tempWorkspace({ "list.csv": csv });
        const run = await runCli(["catalog", "import", "list.csv", "--from", "csv", "-o", "catalog", "--date", "2026-11-25"], ws);
        expect([0, 1], run.stderr).toContain(run.code);
        if (run.code !== 0) return;
        const out = path.join(ws, "catalog", "list.sanction");
        const tree = parse(readFileSync(out, "utf8"), out);
        expect(tree.diagnostics, run.stderr).toEqual([]);
        expect(tree.ast.items.every((i) => i.kind === "App")).toBe(true);
        expect(tree.ast.items.length).toBeLessThanOrEqual(rows.length);
        const a = analyze([out], { root: ws, host: nodeFileHost });
        const given = new Set(rows.filter(([n, v]) => !control.test(n.trim()) && !control.test(v.trim())).map(([n]) => squash(n)));
        for (const app of a.model.apps) expect(given.has(squash(app.name)), JSON.stringify(app.name)).toBe(true);
        const refused = run.stderr.split("\n").filter((l) => / holds a control character \(U\+[0-9A-F]{4}\); row skipped$/.test(l));
        expect(refused.length, run.stderr).toBe(rows.filter(([n, v]) => control.test(n.trim()) || control.test(v.trim())).length);
      }),
      { numRuns: fcRunsCapped(20, 80) },
    );
  });
});

describe("SARIF and JSON diagnostics on random hostile names (fast-check)", () => {
  it("are valid JSON holding each name exactly", async () => {
    await fc.assert(
      fc.asyncProperty(arbHostileName(), async (name) => {
        const app = `app ${sanctionString(name)} {\n  domains *.one.example\n  category other\n}\n`;
        const ws = tempWorkspace({ "a.sanction": app, "b.sanction": app.replace("one", "two") });
        const sarif = await runCli(["check", "--format", "sarif", "."], ws);
        if (name.includes("\u0000")) {
          // A file holding NUL is binary: refused unread, an I/O error.
          expect(sarif.code).toBe(2);
          expect(sarif.stderr).toContain("binary file (contains NUL bytes)");
          return;
        }
        // A name the lexer takes is defined twice: an error naming it; one it refuses: a syntax error.
        expect(sarif.code).toBe(1);
        const results: { ruleId: string; message: { text: string } }[] = JSON.parse(sarif.stdout).runs[0].results;
        expect(results.some((r) => r.message.text.includes(name)) || results.some((r) => /^SAN1\d\d$/.test(r.ruleId)), JSON.stringify(results)).toBe(true);
        const json = await runCli(["check", "--format", "json", "."], ws);
        const diagnostics: { message: string }[] = JSON.parse(json.stdout).diagnostics;
        expect(diagnostics.map((d) => d.message)).toEqual(results.map((r) => r.message.text));
      }),
      { numRuns: fcRunsCapped(25, 100) },
    );
  });
});
