import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDebianPackages } from "../../support/debian.js";
import { generateSample, startHttp, tempDir } from "./helpers.js";

/*
 * Debian's Firefox ESR, headless, with the generated policies.json in its distribution folder
 * (written for the test, any earlier file put back after). The profile sends every request to
 * a local HTTP server acting as the proxy, so the server's log shows which navigations the
 * policy let through; nothing leaves the machine. `--screenshot` loads one page and exits.
 */

const POLICIES = "/usr/lib/firefox-esr/distribution/policies.json";

describe("Firefox ESR enforces the generated WebsiteFilter", () => {
  const dir = tempDir("firefox");
  const backup = POLICIES + ".sanction-test-backup";
  let http: Awaited<ReturnType<typeof startHttp>> | undefined;

  beforeAll(async () => {
    ensureDebianPackages(["firefox-esr"]);
    await generateSample("firefox", path.join(dir, "policies.json"));
    if (existsSync(POLICIES)) renameSync(POLICIES, backup);
    mkdirSync(path.dirname(POLICIES), { recursive: true });
    writeFileSync(POLICIES, readFileSync(path.join(dir, "policies.json")));
    http = await startHttp();
    mkdirSync(path.join(dir, "profile"));
    writeFileSync(
      path.join(dir, "profile", "user.js"),
      [
        `user_pref("network.proxy.type", 1);`,
        `user_pref("network.proxy.http", "127.0.0.1");`,
        `user_pref("network.proxy.http_port", ${http.port});`,
        `user_pref("network.proxy.allow_hijacking_localhost", true);`,
        `user_pref("browser.shell.checkDefaultBrowser", false);`,
        `user_pref("datareporting.policy.dataSubmissionEnabled", false);`,
        `user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);`,
        `user_pref("network.captive-portal-service.enabled", false);`,
        `user_pref("network.connectivity-service.enabled", false);`,
        `user_pref("app.update.enabled", false);`,
        `user_pref("browser.startup.homepage_override.mstone", "ignore");`,
      ].join("\n") + "\n",
    );
  });
  afterAll(async () => {
    rmSync(POLICIES, { force: true });
    if (existsSync(backup)) renameSync(backup, POLICIES);
    await http?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Load one page headless (asynchronously: the test server runs in this process). A blocked
   * navigation can leave `--screenshot` waiting for a load that never comes, so the browser's
   * process group is killed after 20 s; the server's log is the evidence either way.
   */
  function load(url: string): Promise<void> {
    return new Promise((resolve) => {
      const child = spawn("firefox-esr", ["--headless", "--no-remote", "--profile", path.join(dir, "profile"), "--screenshot", path.join(dir, "shot.png"), url], { detached: true, stdio: "ignore" });
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, 20_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  it("an allowed page loads through the policy", async () => {
    await load("http://allowed.example/");
    expect(http!.hosts).toContain("allowed.example");
  });
  it("blocked app hosts (and subdomains) never leave the browser", async () => {
    await load("http://discord.com/");
    await load("http://cdn.discordapp.com/");
    await load("http://allowed-again.example/");
    expect(http!.hosts).toContain("allowed-again.example"); // the browser did run and navigate
    expect(http!.hosts.filter((h) => /discord/.test(h))).toEqual([]);
  });
});
