/*
 * The HTML report in a real headless Chromium (Debian's package, installed on demand): every
 * chart draws, nothing logs an error, the tables sort and filter, and hostile strings stay text.
 * Screenshots go to test-output/reports/ (gitignored) for a person to look at.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulationReport } from "@sanction/engine";
import { renderHtml } from "@sanction/reports";
import { launchChromium } from "../support/chromium.js";
import { HOSTILE, hostileReport } from "./hostile.js";
import { loadFixture } from "./load.js";

const root = path.resolve(__dirname, "../..");
const outDir = path.join(root, "test-output", "reports");

let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  browser = await launchChromium({ viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  errors: string[];
  dialogs: string[];
  requests: string[];
}

async function open(name: string, report: SimulationReport, title?: string): Promise<Opened> {
  const file = path.join(outDir, `${name}.html`);
  writeFileSync(file, renderHtml(report, title === undefined ? {} : { title }));
  const page = await browser.context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  await page.waitForFunction(() => {
    const d = (globalThis as Loose).document;
    return d.querySelectorAll("canvas[data-ready]").length === d.querySelectorAll("canvas").length;
  });
  await page.waitForTimeout(100);
  return { page, errors, dialogs, requests };
}

/*
 * Functions passed to page.evaluate run in the page; the tests are type-checked without the DOM
 * library (it would leak browser globals into every test), so they reach the page's globals
 * through `globalThis` with loose types.
 */
type Loose = any;

interface CanvasStat {
  id: string;
  width: number;
  height: number;
  shownWidth: number;
  shownHeight: number;
  inked: number;
  total: number;
  chart: boolean;
  labels: string[];
}

/** Every canvas: its size, whether Chart.js owns it, and how many pixels are not blank. */
async function chartStats(page: Page): Promise<CanvasStat[]> {
  return page.evaluate(() => {
    const g = globalThis as Loose;
    return Array.from(g.document.querySelectorAll("canvas") as Loose[]).map((c: Loose) => {
      const ctx = c.getContext("2d");
      const data: Uint8ClampedArray = ctx.getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
      const chart = g.Chart.getChart(c);
      const rect = c.getBoundingClientRect();
      return { id: c.id, width: c.width, height: c.height, shownWidth: rect.width, shownHeight: rect.height, inked, total: data.length / 4, chart: !!chart, labels: chart ? (chart.data.labels as unknown[]).map(String) : [] };
    });
  });
}

const CHARTS = ["chart-categories", "chart-scores", "chart-users", "chart-traffic", "chart-verdicts", "chart-groups"];

describe("HTML report in Chromium", () => {
  for (const name of ["full", "small", "empty"] as const) {
    it(`draws every chart without errors (${name})`, async () => {
      const { page, errors, dialogs, requests } = await open(name, loadFixture(name));
      const stats = await chartStats(page);
      expect(stats.map((s) => s.id)).toEqual(CHARTS);
      for (const s of stats) {
        expect(s.chart, s.id).toBe(true);
        expect(s.width, s.id).toBeGreaterThan(100);
        expect(s.height, s.id).toBeGreaterThan(100);
        expect(s.shownWidth, s.id).toBeGreaterThan(100);
        // Axes, bars, legends: a drawn chart inks a fair share of its canvas.
        expect(s.inked, `${s.id} inked ${s.inked} of ${s.total}`).toBeGreaterThan(s.total * (name === "empty" ? 0.002 : 0.02));
      }
      await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
      await page.screenshot({ path: path.join(outDir, `${name}-top.png`) });
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    });
  }

  it("shows the report's numbers in the header and the tables", async () => {
    const r = loadFixture("full");
    const { page } = await open("full-numbers", r);
    const rows = await page.locator("#t-apps tbody tr").count();
    expect(rows).toBe(r.apps.length);
    expect(await page.locator("#t-matches tbody tr").count()).toBe(r.policies.reduce((n, p) => n + p.matches.length, 0));
    expect(await page.locator("#t-alerts tbody tr").count()).toBe(r.alerts.length);
    expect(await page.locator("#t-unknown tbody tr").count()).toBe(r.unknownDomains.length);
    expect(await page.locator("#t-rejected tbody tr").count()).toBe(r.rejected.length);
    expect(await page.locator("#t-indicators tbody tr").count()).toBe(r.indicators.length);
    const header = await page.locator("header.top").innerText();
    expect(header).toContain(String(r.apps.length));
    const stats = await chartStats(page);
    expect(stats.find((s) => s.id === "chart-users")!.labels).toEqual(r.apps.slice(0, 15).map((a) => a.name));
    await page.close();
  });

  it("sorts and filters tables", async () => {
    const r = loadFixture("full");
    const { page, errors } = await open("full-interactive", r);
    const names = () => page.locator("#t-apps tbody tr:not([hidden]) td.app .name").allInnerTexts();
    // Sort by users ascending, then descending.
    const usersHeader = page.locator("#t-apps thead th", { hasText: "Users" }).locator("button");
    await usersHeader.click();
    const desc = [...r.apps].sort((a, b) => b.users - a.users);
    expect((await names())[0]).toBe(desc[0]!.name);
    await usersHeader.click();
    const asc = await names();
    expect(r.apps.find((a) => a.name === asc[0])!.users).toBe(Math.min(...r.apps.map((a) => a.users)));
    expect(await page.locator("#t-apps thead th", { hasText: "Users" }).getAttribute("aria-sort")).toBe("ascending");
    // Sort by name.
    await page.locator("#t-apps thead th", { hasText: "App" }).first().locator("button").click();
    const byName = await names();
    expect(byName).toEqual([...byName].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    // Filter by text, then by tag.
    await page.locator('input[data-filter="t-apps"]').fill("drop");
    expect((await names()).sort()).toEqual(r.apps.filter((a) => /drop/i.test(`${a.name} ${a.category} ${a.customTags.join(" ")} ${a.tag?.by ?? ""}`)).map((a) => a.name).sort());
    expect(await page.locator('[data-count="t-apps"]').innerText()).toMatch(/of 49 rows/);
    await page.locator('input[data-filter="t-apps"]').fill("");
    await page.locator('select[data-filter="t-apps"][data-attr="tag"]').selectOption("unsanctioned");
    expect((await names()).sort()).toEqual(r.apps.filter((a) => a.tag?.tag === "unsanctioned").map((a) => a.name).sort());
    await page.locator('select[data-filter="t-apps"][data-attr="tag"]').selectOption("");
    await page.locator('select[data-filter="t-apps"][data-attr="category"]').selectOption("cloud_storage");
    expect((await names()).sort()).toEqual(r.apps.filter((a) => a.category === "cloud_storage").map((a) => a.name).sort());
    await page.screenshot({ path: path.join(outDir, "full-filtered.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("keeps hostile strings as text: nothing runs, nothing is injected", async () => {
    const report = hostileReport(loadFixture("full"));
    const { page, errors, dialogs, requests } = await open("hostile", report, HOSTILE[3]);
    const result = await page.evaluate((hostile) => {
      const w = globalThis as Loose;
      const document = w.document;
      const text: string = (document.querySelector("header").textContent ?? "") + (document.querySelector("main").textContent ?? "");
      const onAttrs: string[] = [];
      for (const el of Array.from(document.querySelectorAll("*")) as Loose[]) for (const a of Array.from(el.attributes) as Loose[]) if (/^on/i.test(a.name)) onAttrs.push(`${el.tagName} ${a.name}`);
      const titles = (Array.from(document.querySelectorAll("[title]")) as Loose[]).map((e) => e.getAttribute("title"));
      return {
        pwned: w.__pwned,
        found: hostile.map((h) => text.includes(h)),
        scripts: document.scripts.length,
        images: document.images.length,
        javascriptLinks: document.querySelectorAll('a[href^="javascript" i]').length,
        onAttrs,
        title: document.title,
        h1: document.querySelector("h1").textContent as string,
        titlesOk: titles.length > 0,
      };
    }, [...HOSTILE]);
    expect(result.pwned).toBeUndefined();
    expect(result.found).toEqual(HOSTILE.map(() => true));
    expect(result.scripts).toBe(3); // data block, Chart.js, the report's own script
    expect(result.images).toBe(0);
    expect(result.javascriptLinks).toBe(0);
    expect(result.onAttrs).toEqual([]);
    expect(result.title).toBe(HOSTILE[3]);
    expect(result.h1).toBe(HOSTILE[3]);
    // Chart labels come through JSON.parse unchanged (drawn on canvas as text).
    const stats = await chartStats(page);
    expect(stats.every((s) => s.chart)).toBe(true);
    expect(stats.find((s) => s.id === "chart-users")!.labels).toEqual(report.apps.slice(0, 15).map((a) => a.name));
    // Filtering with a hostile query is just text matching.
    await page.locator('input[data-filter="t-apps"]').fill(HOSTILE[1]);
    expect(await page.locator("#t-apps tbody tr:not([hidden])").count()).toBe(report.apps.filter((a) => a.name === HOSTILE[1] || a.tag?.by === HOSTILE[1] || a.customTags.includes(HOSTILE[1]) || a.tag?.tag === HOSTILE[1] || a.tag?.mode === HOSTILE[1]).length);
    await page.screenshot({ path: path.join(outDir, "hostile.png"), fullPage: true });
    expect(await page.evaluate(() => (globalThis as Loose).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("is blocked by its own CSP from running injected inline code", async () => {
    const { page, errors } = await open("csp", loadFixture("small"));
    // A script element added after load (as an injection would be) must not run.
    await page.evaluate(() => {
      const d = (globalThis as Loose).document;
      const s = d.createElement("script");
      s.textContent = "window.__pwned = 1";
      d.body.appendChild(s);
    });
    await page.waitForTimeout(50);
    expect(await page.evaluate(() => (globalThis as Loose).__pwned)).toBeUndefined();
    expect(errors.some((e) => /Content Security Policy/i.test(e))).toBe(true);
    await page.close();
  });
});
