import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, ensureChromium } from "../../support/chromium.js";
import { generateFrom, generateSample, startHttp, tempDir } from "./helpers.js";

/*
 * Debian's Chromium, headless, with the generated managed policy in
 * /etc/chromium/policies/managed/ (written for the test, removed after). Every host name maps
 * to a local HTTP server (--host-resolver-rules), so a page that loads proves the policy let
 * it through and nothing leaves the machine.
 */

const POLICY_DIR = "/etc/chromium/policies/managed";
const POLICY = path.join(POLICY_DIR, "sanction-e2e-test.json");

describe("Chromium enforces the generated URLBlocklist / URLAllowlist", () => {
  const dir = tempDir("chrome");
  let http: Awaited<ReturnType<typeof startHttp>> | undefined;
  let browser: import("playwright-core").Browser | undefined;

  beforeAll(async () => {
    const executablePath = ensureChromium();
    await generateSample("chrome", path.join(dir, "policy.json"));
    mkdirSync(POLICY_DIR, { recursive: true });
    writeFileSync(POLICY, readFileSync(path.join(dir, "policy.json")));
    http = await startHttp();
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP * 127.0.0.1:${http.port}`] });
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    rmSync(POLICY, { force: true });
    await http?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function visit(url: string): Promise<{ error?: string; text?: string }> {
    const page = await browser!.newPage();
    try {
      await page.goto(url, { timeout: 15_000 });
      return { text: await page.locator("#ok").textContent({ timeout: 5_000 }) ?? "" };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    } finally {
      await page.close();
    }
  }

  it("navigating to a blocked app's host fails with the blocked-by-administrator error", async () => {
    for (const url of ["http://discord.com/", "http://cdn.discordapp.com/x", "http://www.filedropper.com/"]) {
      const r = await visit(url);
      expect(r.error, url).toMatch(/net::ERR_BLOCKED_BY_ADMINISTRATOR/);
    }
    expect(http!.hosts.some((h) => /discord|filedropper/.test(h))).toBe(false);
  });
  it("an allowed page loads", async () => {
    const r = await visit("http://allowed.example/");
    expect(r.error).toBeUndefined();
    expect(r.text).toBe("ok allowed.example");
  });
});

describe("Chromium loads an allowed http and https page under a blocked parent (URLAllowlist)", () => {
  const ws = tempDir("chrome-allow-ws");
  const dir = tempDir("chrome-allow");
  const policyFile = path.join(POLICY_DIR, "sanction-e2e-allowlist.json");
  let http: Awaited<ReturnType<typeof startHttp>> | undefined;
  let https: Awaited<ReturnType<typeof startHttp>> | undefined;
  let browser: import("playwright-core").Browser | undefined;
  // Every name resolves to this machine; the URLs name the servers' ports (a policy pattern
  // without a port matches every port).
  const on = (scheme: "http" | "https", rest: string) => `${scheme}://${rest.replace("/", `:${(scheme === "http" ? http : https)!.port}/`)}`;

  beforeAll(async () => {
    const executablePath = ensureChromium();
    writeFileSync(
      path.join(ws, "p.sanction"),
      'block domain "blocked.example"\nallow url "http://www.blocked.example/open/"\nallow url "https://www.blocked.example/secure/"\n',
    );
    await generateFrom(ws, "chrome", path.join(dir, "policy.json"));
    mkdirSync(POLICY_DIR, { recursive: true });
    writeFileSync(policyFile, readFileSync(path.join(dir, "policy.json")));
    http = await startHttp();
    https = await startHttp({ tls: true });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, "--host-resolver-rules=MAP * 127.0.0.1", "--ignore-certificate-errors"] });
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    rmSync(policyFile, { force: true });
    await http?.close();
    await https?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  });

  async function visit(url: string): Promise<{ error?: string; text?: string }> {
    const page = await browser!.newPage();
    try {
      await page.goto(url, { timeout: 15_000 });
      return { text: (await page.locator("#ok").textContent({ timeout: 5_000 })) ?? "" };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    } finally {
      await page.close();
    }
  }

  it("the policy holds the parent in URLBlocklist and both pages in URLAllowlist", () => {
    const p = JSON.parse(readFileSync(path.join(dir, "policy.json"), "utf8"));
    expect(p).toEqual({ URLBlocklist: ["blocked.example"], URLAllowlist: ["http://www.blocked.example/open/", "https://www.blocked.example/secure/"] });
  });
  it("the allowed pages load, over http and over https", async () => {
    const pages = [on("http", "www.blocked.example/open/page"), on("https", "www.blocked.example/secure/report?id=1")];
    for (const url of pages) {
      const r = await visit(url);
      expect(r.error, url).toBeUndefined();
      expect(r.text, url).toBe(`ok ${new URL(url).host}`);
    }
    // (The browser also asks the allowed site for its icon.)
    expect([...http!.urls, ...https!.urls].filter((u) => !u.endsWith("/favicon.ico"))).toEqual(pages);
  });
  it("the rest of the blocked parent stays blocked, whichever scheme", async () => {
    const pagesSeen = () => [...http!.urls, ...https!.urls].filter((u) => !u.endsWith("/favicon.ico")).length;
    const seen = pagesSeen();
    for (const url of [on("http", "www.blocked.example/other"), on("https", "www.blocked.example/open/"), on("http", "www.blocked.example/secure/"), on("https", "blocked.example/")]) {
      const r = await visit(url);
      expect(r.error, url).toMatch(/net::ERR_BLOCKED_BY_ADMINISTRATOR/);
    }
    expect(pagesSeen()).toBe(seen);
  });
});
