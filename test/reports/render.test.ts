import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { renderHtml, renderJson, renderMarkdown, renderTable } from "@sanction/reports";
import { expectGolden } from "../support/golden.js";
import { HOSTILE, MARKDOWN_HOSTILE, hostileReport } from "./hostile.js";
import { loadFixture } from "./load.js";

const here = __dirname;
const FIXTURES = ["full", "small", "empty"] as const;


const golden = (file: string) => path.join(here, "golden", file);

describe("fixtures", () => {
  it("are realistic enough to exercise every section", () => {
    const r = loadFixture("full");
    expect(r.format).toBe("sanction-report");
    expect(r.apps.length).toBeGreaterThanOrEqual(30);
    expect(new Set(r.apps.map((a) => a.category)).size).toBeGreaterThanOrEqual(10);
    expect(r.policies.filter((p) => p.matches.length > 0).length).toBeGreaterThanOrEqual(5);
    expect(r.alerts.length).toBeGreaterThan(0);
    expect(r.tagConflicts.length).toBeGreaterThan(0);
    expect(Object.keys(r.verdicts.byGroup).length).toBeGreaterThanOrEqual(3);
    expect(r.unknownDomains.length).toBeGreaterThanOrEqual(10);
    expect(r.rejected.length).toBeGreaterThan(0);
    expect(r.indicators.length).toBeGreaterThan(0);
    for (const k of ["allow", "audit", "warn", "block", "bypass"] as const) expect(r.verdicts.total[k]).toBeGreaterThan(0);
  });
});

describe("renderTable", () => {
  for (const name of FIXTURES) {
    it(`matches the golden file for ${name}`, () => {
      expectGolden(renderTable(loadFixture(name)), golden(`${name}.table.txt`));
    });
  }

  it("fits a narrow terminal", () => {
    const text = renderTable(loadFixture("full"), { width: 80 });
    expectGolden(text, golden("full.table-80.txt"));
    for (const line of text.split("\n")) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it("keeps every line within the width it was given", () => {
    for (const width of [60, 100, 120, 160]) {
      for (const line of renderTable(loadFixture("full"), { width }).split("\n")) expect([...line].length, `${width}: ${line}`).toBeLessThanOrEqual(width);
    }
  });

  it("colours only when asked, without changing the text", () => {
    const r = loadFixture("small");
    const plain = renderTable(r);
    const colored = renderTable(r, { color: true });
    expect(plain).not.toContain("\u001b[");
    expect(colored).toContain("\u001b[");
    expect(colored.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
    expectGolden(colored, golden("small.table-color.txt"));
  });

  it("never prints control characters from the report", () => {
    const r = hostileReport(loadFixture("small"), ["\u001b[2J\u001b[31mred", "bell\u0007", "new\nline", "rtl\u202eevil", "c1\u009b31m"]);
    const text = renderTable(r, { color: false });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain("\\x1b[2J");
    expect(text).toContain("rtl\\u202eevil");
  });
});

describe("renderMarkdown", () => {
  for (const name of FIXTURES) {
    it(`matches the golden file for ${name}`, () => {
      expectGolden(renderMarkdown(loadFixture(name)), golden(`${name}.md`));
    });
  }

  it("stays under GitHub's comment limit", () => {
    expect(renderMarkdown(loadFixture("full")).length).toBeLessThan(60_000);
  });

  /** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
  const cells = (row: string) => row.trim().replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/);

  /** Remove CommonMark code spans: a backtick run up to the next run of the same length. */
  const stripCodeSpans = (md: string) => {
    let out = "";
    let i = 0;
    while (i < md.length) {
      if (md[i] === "\\") {
        out += md.slice(i, i + 2);
        i += 2;
        continue;
      }
      const run = /^`+/.exec(md.slice(i));
      if (!run) {
        out += md[i++];
        continue;
      }
      const fence = run[0];
      let j = i + fence.length;
      let close = -1;
      while (j < md.length) {
        const r = /`+/.exec(md.slice(j));
        if (!r) break;
        if (r[0].length === fence.length) {
          close = j + r.index;
          break;
        }
        j += r.index + r[0].length;
      }
      if (close < 0) {
        out += fence;
        i += fence.length;
      } else {
        out += "CODE";
        i = close + fence.length;
      }
    }
    return out;
  };

  it("keeps tables intact when names hold pipes, backticks and markup", () => {
    const r = hostileReport(loadFixture("small"), [...MARKDOWN_HOSTILE, ...HOSTILE]);
    const md = renderMarkdown(r);
    expectGolden(md, golden("hostile.md"));
    const lines = md.split("\n");
    let tables = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!/^\|(:?---:?\|)+$/.test(lines[i + 1] ?? "")) continue;
      tables++;
      const width = cells(lines[i]!).length;
      for (let j = i + 2; j < lines.length && lines[j]!.startsWith("|"); j++) expect(cells(lines[j]!).length, lines[j]).toBe(width);
    }
    expect(tables).toBeGreaterThanOrEqual(6);
    // No raw HTML survives outside code spans (where it is literal text), and no line break
    // sneaks into a row.
    const prose = stripCodeSpans(md);
    expect(prose).not.toContain("<script");
    expect(prose).not.toContain("<img");
    expect(prose).not.toContain("<b>");
    expect(md).not.toMatch(/[\u2028\u2029]/);
  });

  it("escapes markdown in text and fences code safely", async () => {
    const { mdText, mdCode } = (await import("../../packages/reports/src/markdown.js")) as typeof import("../../packages/reports/src/markdown.js");
    expect(mdText("a|b*c_d`e<f>&[x](y)")).toBe("a\\|b\\*c\\_d\\`e&lt;f&gt;&amp;\\[x\\](y)");
    expect(mdCode("x`y")).toBe("``x`y``");
    expect(mdCode("`x")).toBe("`` `x ``");
    expect(mdCode("a|b")).toBe("`a\\|b`");
  });
});

describe("renderJson", () => {
  it("is the documented JSON, stable and round-tripping", () => {
    for (const name of FIXTURES) {
      const r = loadFixture(name);
      const text = renderJson(r);
      expect(text).toBe(JSON.stringify(r, null, 2) + "\n");
      expect(JSON.parse(text)).toEqual(r);
      // The fixtures are themselves renderJson output.
      expect(text).toBe(readFileSync(path.join(here, "fixtures", `${name}.json`), "utf8"));
    }
  });
});

describe("determinism", () => {
  it("gives byte-identical output for the same report", () => {
    for (const name of FIXTURES) {
      const a = loadFixture(name);
      const b = loadFixture(name);
      expect(renderTable(a, { color: true })).toBe(renderTable(b, { color: true }));
      expect(renderMarkdown(a)).toBe(renderMarkdown(b));
      expect(renderJson(a)).toBe(renderJson(b));
      expect(renderHtml(a)).toBe(renderHtml(b));
    }
  });
});

/**
 * Attribute names of every start tag, for tags written the way renderHtml writes them
 * (double-quoted values); a tag that does not parse that way is reported too.
 */
function eventAttributes(markup: string): string[] {
  const bad: string[] = [];
  for (const m of markup.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const attrs = m[2]!;
    const rest = attrs.replace(/\s+[^\s"'>\/=]+(?:="[^"]*")?/g, "").replace(/\s*\/?$/, "");
    if (rest !== "") bad.push(`unparsed attributes in <${m[1]}${attrs}>`);
    for (const a of attrs.matchAll(/\s([^\s"'>\/=]+)(?:="[^"]*")?/g)) if (/^on/i.test(a[1]!)) bad.push(`<${m[1]} ${a[1]}>`);
  }
  return bad;
}

describe("renderHtml (static checks)", () => {
  const sha = (s: string) => "sha256-" + createHash("sha256").update(s, "utf8").digest("base64");

  it("is one self-contained file whose CSP allows exactly its own inline script and style", () => {
    const html = renderHtml(loadFixture("full"));
    expect(html.startsWith("<!doctype html>")).toBe(true);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    expect(styles).toHaveLength(1);
    const scriptSrc = /script-src ([^;]+)/.exec(csp)![1]!.trim().split(/\s+/);
    expect(scriptSrc.sort()).toEqual(scripts.map((s) => `'${sha(s)}'`).sort());
    expect(/style-src ([^;]+)/.exec(csp)![1]!.trim()).toBe(`'${sha(styles[0]!)}'`);
    // Chart.js is inlined, nothing is loaded from anywhere.
    expect(scripts.some((s) => s.includes("Chart.js v4"))).toBe(true);
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, "");
    expect(markup).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(eventAttributes(markup)).toEqual([]);
  });

  it("honours the title option, escaped", () => {
    const html = renderHtml(loadFixture("small"), { title: "Q1 <review> & co" });
    expect(html).toContain("<title>Q1 &lt;review&gt; &amp; co</title>");
    expect(html).toContain("<h1>Q1 &lt;review&gt; &amp; co</h1>");
  });

  it("escapes hostile strings everywhere and keeps chart data inert", () => {
    const html = renderHtml(hostileReport(loadFixture("full")), { title: HOSTILE[0] });
    const data = /<script type="application\/json" id="sanction-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toMatch(/[<>&\u2028\u2029]/);
    const parsed = JSON.parse(data) as { charts: { topUsers: { labels: string[] } } };
    expect(parsed.charts.topUsers.labels.some((l) => (HOSTILE as readonly string[]).includes(l))).toBe(true);
    // Outside the two constant scripts and the data block, no hostile markup exists as markup.
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, "").replace(/<script type="application\/json"[\s\S]*?<\/script>/, "");
    expect(markup).not.toContain("<script");
    expect(markup).not.toContain("<img");
    expect(eventAttributes(markup)).toEqual([]);
    expect(markup).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;");
    expect(markup).toContain("&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;");
  });

  it("renders an empty report", () => {
    const html = renderHtml(loadFixture("empty"));
    expect(html).toContain("No app was seen.");
    expect(html).toContain("no records");
  });
});
