import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LspClient, positionOf, repoRoot, sampleWorkspace } from "./client.js";

/*
 * The server as the VS Code extension ships it: esbuild's single dist/server.cjs (CommonJS,
 * Node 20), started over stdio. Also checks what the bundle reads at run time (Chart.js for
 * the HTML report) is inside the extension folder.
 */

const ext = path.join(repoRoot, "vscode-extension");
const server = path.join(ext, "dist", "server.cjs");
let client: LspClient;
let dir: string;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ext, "build.mjs")], { cwd: ext, stdio: ["ignore", "ignore", "inherit"] });
  dir = sampleWorkspace({ "typo.sanction": 'policy "T" {\n  severity low\n  when app.categroy == webmail\n  then alert\n}\n' });
});
afterAll(async () => {
  await client?.shutdown();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("the bundled server publishes diagnostics, hovers and simulates from its own folder", async () => {
  client = new LspClient([process.execPath, server, "--stdio"], dir);
  await client.initialize(dir, { trafficSamples: [path.join(repoRoot, "samples", "traffic", "squid-native.log")] });
  const text = fs.readFileSync(path.join(dir, "custom-apps.sanction"), "utf8");
  const uri = client.open(path.join(dir, "custom-apps.sanction"), text);
  const typo = await client.waitDiagnostics(uri.replace("custom-apps", "typo"), (d) => d.diagnostics.length > 0);
  expect(typo.diagnostics[0]!.code).toBe("SAN305");
  const h = await client.request<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri }, position: positionOf(text, '"Box"', 2) });
  expect(h.contents.value).toMatch(/\*\*Box\*\*/);
  // Fix the typo so the workspace compiles, then ask for the HTML report (embeds Chart.js).
  const typoUri = uri.replace("custom-apps", "typo");
  client.open(path.join(dir, "typo.sanction"), 'policy "T" {\n  severity low\n  when app.category == webmail\n  then alert\n}\n', 2);
  await client.waitDiagnostics(typoUri, (d) => d.diagnostics.length === 0);
  // The bundle is its own check worker's entry: diagnostics are computed off the server's thread.
  expect((await client.request<{ checkWorker: boolean }>("sanction/stats", {})).checkWorker).toBe(true);
  const sim = await client.request<{ html?: string; error?: string }>("sanction/simulate", {});
  expect(sim.error).toBeUndefined();
  expect(sim.html).toMatch(/Chart\.js|chart\.js/);
});
