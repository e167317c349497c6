import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LspClient, repoRoot, sampleWorkspace } from "./client.js";

/*
 * The built entry points as an editor starts them: `sanction lsp --stdio` and
 * `sanction-language-server --stdio`. Each starts the check worker before it loads the server,
 * and the server takes that worker at `initialize` (or stops it when the editor turns the
 * worker off).
 */

const ENTRIES: Record<string, string[]> = {
  "sanction lsp": [path.join(repoRoot, "packages", "cli", "bin", "sanction.js"), "lsp", "--stdio"],
  "sanction-language-server": [path.join(repoRoot, "packages", "language-server", "bin", "sanction-language-server.js"), "--stdio"],
};
let client: LspClient | undefined;
let dir: string | undefined;

afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function firstDiagnostics(entry: string[], options: Record<string, unknown>): Promise<{ codes: unknown[]; checkWorker: boolean }> {
  dir = sampleWorkspace({ "typo.sanction": 'policy "T" {\n  severity low\n  when app.categroy == webmail\n  then alert\n}\n' });
  client = new LspClient([process.execPath, ...entry], dir);
  await client.initialize(dir, options);
  const file = path.join(dir, "typo.sanction");
  const uri = client.open(file, fs.readFileSync(file, "utf8"));
  const d = await client.waitDiagnostics(uri, (p) => p.diagnostics.length > 0);
  const stats = await client.request<{ checkWorker: boolean }>("sanction/stats", {});
  return { codes: d.diagnostics.map((x) => x.code), checkWorker: stats.checkWorker };
}

describe.each(Object.entries(ENTRIES))("%s", (_name, entry) => {
  it("publishes diagnostics computed on the check worker it started early", async () => {
    expect(await firstDiagnostics(entry, {})).toEqual({ codes: ["SAN305"], checkWorker: true });
  });

  it("checks on the server's thread when the editor turns the worker off, and still exits on `exit`", async () => {
    expect(await firstDiagnostics(entry, { checkWorker: false })).toEqual({ codes: ["SAN305"], checkWorker: false });
    const c = client!;
    await c.shutdown();
    client = undefined;
    for (let i = 0; i < 50 && c.exited === undefined; i++) await new Promise((r) => setTimeout(r, 100));
    expect(c.exited).toBe(0);
  });
});
