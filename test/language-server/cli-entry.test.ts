import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, expect, it } from "vitest";
import { LspClient, repoRoot, sampleWorkspace } from "./client.js";

/*
 * `sanction lsp --stdio` as an editor starts it from the built CLI. The command starts the
 * check worker before it loads the server, and the server takes that worker at `initialize`
 * (or stops it when the editor turns the worker off).
 */

const bin = path.join(repoRoot, "packages", "cli", "bin", "sanction.js");
let client: LspClient | undefined;
let dir: string | undefined;

afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function firstDiagnostics(options: Record<string, unknown>): Promise<{ codes: unknown[]; checkWorker: boolean }> {
  dir = sampleWorkspace({ "typo.sanction": 'policy "T" {\n  severity low\n  when app.categroy == webmail\n  then alert\n}\n' });
  client = new LspClient([process.execPath, bin, "lsp", "--stdio"], dir);
  await client.initialize(dir, options);
  const file = path.join(dir, "typo.sanction");
  const uri = client.open(file, fs.readFileSync(file, "utf8"));
  const d = await client.waitDiagnostics(uri, (p) => p.diagnostics.length > 0);
  const stats = await client.request<{ checkWorker: boolean }>("sanction/stats", {});
  return { codes: d.diagnostics.map((x) => x.code), checkWorker: stats.checkWorker };
}

it("publishes diagnostics computed on the check worker it started early", async () => {
  expect(await firstDiagnostics({})).toEqual({ codes: ["SAN305"], checkWorker: true });
});

it("checks on the server's thread when the editor turns the worker off, and still exits on `exit`", async () => {
  expect(await firstDiagnostics({ checkWorker: false })).toEqual({ codes: ["SAN305"], checkWorker: false });
  const c = client!;
  await c.shutdown();
  client = undefined;
  for (let i = 0; i < 50 && c.exited === undefined; i++) await new Promise((r) => setTimeout(r, 100));
  expect(c.exited).toBe(0);
});
