/*
 * The HTML report of the hostile workspace (workspace.ts: hostile app, policy and vendor names
 * from a policy file, hostile user and host names from a log), made by `sanction simulate
 * --report html` and opened in headless Chromium (Debian's package). No script of the data
 * runs, no dialog opens, nothing is requested from anywhere, and every hostile name is shown
 * as text — in the page, in the tables a filter narrows, and in the chart labels.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium.js";
import { runCli } from "../support/cli.js";
import { NAMES } from "./corpus.js";
import { hostileWorkspace } from "./workspace.js";

let browser: Awaited<ReturnType<typeof launchChromium>>;
let file = "";

beforeAll(async () => {
  const dir = hostileWorkspace();
  const r = await runCli(["simulate", "policies", "--traffic", "traffic.csv", "--report", "html", "-o", "report.html"], dir);
  if (r.code !== 0) throw new Error(r.stderr);
  file = path.join(dir, "report.html");
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/* The page's globals are reached through `globalThis` (tests are type-checked without the DOM library). */
type Loose = any;

describe("the hostile HTML report in Chromium", () => {
  it("runs none of the data, opens no dialog, requests nothing, and shows every name as text", async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (q) => {
      if (!q.url().startsWith("file:")) requests.push(q.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.waitForFunction(() => {
      const d = (globalThis as Loose).document;
      return d.querySelectorAll("canvas[data-ready]").length === d.querySelectorAll("canvas").length;
    });
    // Hover and click through the tables and charts, as a reader would; handlers must stay inert.
    for (const row of await page.locator("#t-apps tbody tr").all()) await row.hover();
    await page.locator("#t-apps thead th button").first().click();
    const seen = await page.evaluate((names) => {
      const w = globalThis as Loose;
      const d = w.document;
      const text: string = d.body.textContent ?? "";
      const handlers: string[] = [];
      for (const el of Array.from(d.querySelectorAll("*")) as Loose[]) for (const a of Array.from(el.attributes) as Loose[]) if (/^on/i.test(a.name)) handlers.push(`${el.tagName} ${a.name}`);
      const hrefs = (Array.from(d.querySelectorAll("a[href]")) as Loose[]).map((a) => a.getAttribute("href") as string);
      return {
        pwned: w.__pwned,
        scripts: d.scripts.length,
        images: d.images.length,
        iframes: d.querySelectorAll("iframe, object, embed").length,
        handlers,
        externalHrefs: hrefs.filter((h) => !h.startsWith("#")),
        shown: names.map((n: string) => text.includes(n)),
      };
    }, NAMES.filter((n) => !/[\u0000-\u001f\u2028]/.test(n.value)).map((n) => n.value));
    expect(seen.pwned).toBeUndefined();
    expect(seen.scripts).toBe(3); // the data block, Chart.js, the report's own script
    expect(seen.images).toBe(0);
    expect(seen.iframes).toBe(0);
    expect(seen.handlers).toEqual([]);
    expect(seen.externalHrefs).toEqual([]);
    expect(seen.shown.every(Boolean)).toBe(true);
    // A filter typed as hostile text is text matching.
    await page.locator('input[data-filter="t-apps"]').fill(NAMES[1]!.value);
    expect(await page.locator("#t-apps tbody tr:not([hidden])").count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as Loose).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(readFileSync(file, "utf8")).toContain("&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;");
    await page.close();
  });
});
