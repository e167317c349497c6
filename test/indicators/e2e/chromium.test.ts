import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, ensureChromium } from "../../support/chromium.js";
import { generateSample, startHttp, tempDir } from "./helpers.js";

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
