import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/**
 * Headless Chromium for tests that open real pages (the HTML report). Chromium comes from
 * Debian's `chromium` package, installed on demand (`apt-get update` once, then
 * `apt-get install -y chromium`; tests run as root on the project's machines and in CI). The
 * browser is driven with `playwright-core`, whose own browser download is never used.
 */
export const CHROMIUM = "/usr/bin/chromium";

const CANDIDATES = [CHROMIUM, "/usr/bin/chromium-browser"];

let installed: string | undefined;

/** Path of a Chromium executable, installing Debian's package first when there is none. */
export function ensureChromium(): string {
  if (installed) return installed;
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return (installed = found);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args: string[]) => execFileSync("apt-get", args, { env, stdio: ["ignore", "ignore", "inherit"], timeout: 900_000 });
  // A fresh machine may have no package lists, or stale ones: update once, then install.
  run(["update"]);
  run(["install", "-y", "chromium"]);
  const after = CANDIDATES.find((p) => existsSync(p));
  if (!after) throw new Error("apt-get installed chromium but no executable was found at " + CANDIDATES.join(" or "));
  return (installed = after);
}

/** Flags for a quiet, offline, sandbox-less (root) headless run. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

type PlaywrightContext = import("playwright-core").BrowserContext;

/**
 * Launch headless Chromium with a new, empty user-data directory. `close()` shuts the browser
 * down and removes the directory.
 */
export async function launchChromium(opts: { viewport?: { width: number; height: number }; deviceScaleFactor?: number } = {}): Promise<{ context: PlaywrightContext; close: () => Promise<void> }> {
  const executablePath = ensureChromium();
  const { chromium } = await import("playwright-core");
  const userDataDir = mkdtempSync(path.join(tmpdir(), "sanction-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    offline: true,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
