/**
 * `npm run build && node --import tsx bench/lsp-large.ts`: the language server over real stdio on
 * a 100,000-line document, against bench/lsp.ts's 5,005-line workspace (five generated files of
 * 1,000 lines, one open) as the baseline, measured in the same run, each by a fresh server.
 * Each workspace also has a small open document. Measured from the client side:
 * - open → first diagnostics of the opened document;
 * - edit → diagnostics: one edit, then wait for the publication of that version; edits 200 ms
 *   apart after each publication;
 * - a hover on the small document 1.55 s after an edit: the server's thread is then re-reading
 *   the large file (it does so once its edits pause for 1.5 s), about the longest wait;
 * - completion and hover on the small document while the user types in the large one (a
 *   keystroke every 50 ms for 3 s, so re-checks are running): request round trips;
 * - peak RSS of the server process (worker thread included), from its `sanction/stats` request.
 * BENCH_ROUNDS (default 10) sets the edits per workspace. The built server runs
 * (packages/language-server/dist/main.js, hence `npm run build` first); BENCH_SERVER=source runs
 * the TypeScript sources through tsx instead (several times slower to parse: tsx wraps every
 * function the parser creates to keep its name).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generatePolicyFile } from "./generate-policies.js";
import { median, p95, sleep } from "./stats.js";
import { LspClient, repoRoot } from "../test/language-server/client.js";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 10);
const BUILT = path.join(repoRoot, "packages", "language-server", "dist", "main.js");
const SERVER = process.env["BENCH_SERVER"] ?? BUILT;
if (SERVER !== "source" && !fs.existsSync(SERVER)) throw new Error(`${SERVER} does not exist: run \`npm run build\` first (or BENCH_SERVER=source)`);
const SMALL = 'policy "Small" {\n  severity high\n  when app.category == cloud_storage\n  then alert\n}\n';


/** Files that check clean together: names suffixed per file, as in bench/lsp.ts. */
function workspaceFiles(files: number, linesPerFile: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    out[`policies-${i}.sanction`] = generatePolicyFile(linesPerFile)
      .replace(/(policy|test|app|alert) "([^"]+)"/g, `$1 "$2 f${i}"`)
      .replace(/(group|except) (team_\d+)/g, `$1 $2_f${i}`)
      .replace(/([a-z0-9-]+)\.example\b/g, `$1-f${i}.example`);
  }
  return out;
}

interface Result {
  name: string;
  lines: number;
  open: number;
  edit: number[];
  afterPause: number;
  during: number[];
  peakRss: number;
}

async function measure(name: string, files: Record<string, string>): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sanction-bench-lsp-large-"));
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  fs.writeFileSync(path.join(dir, "small.sanction"), SMALL);
  const client = new LspClient(SERVER === "source" ? undefined : [process.execPath, SERVER, "--stdio"], dir);
  try {
    await client.initialize(dir);
    const smallUri = client.open(path.join(dir, "small.sanction"), SMALL, 1);
    await client.waitDiagnostics(smallUri, (d) => d.version === 1, 60_000);
    const file = path.join(dir, "policies-0.sanction");
    const text = files["policies-0.sanction"]!;
    const lines = text.split("\n");
    const t0 = performance.now();
    const uri = client.open(file, text, 1);
    await client.waitDiagnostics(uri, (d) => d.version === 1, 120_000);
    const open = performance.now() - t0;
    // Let the server's thread finish reading the new document (it does so once, after opening).
    await client.request("textDocument/hover", { textDocument: { uri: smallUri }, position: { line: 2, character: 24 } });

    let version = 1;
    const keystroke = (i: number) => {
      version++;
      const col = lines[0]!.length;
      client.change(uri, version, [{ range: { start: { line: 0, character: col }, end: { line: 0, character: col + (i % 2) } }, text: i % 2 ? "" : "x" }]);
      return version;
    };
    const edit: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await sleep(200);
      const e0 = performance.now();
      const v = keystroke(i);
      await client.waitDiagnostics(uri, (d) => d.version === v, 120_000);
      edit.push(performance.now() - e0);
    }

    keystroke(ROUNDS);
    await sleep(1550);
    const a0 = performance.now();
    await client.request("textDocument/hover", { textDocument: { uri: smallUri }, position: { line: 2, character: 24 } });
    const afterPause = performance.now() - a0;

    const during: number[] = [];
    let typing = true;
    const typist = (async () => {
      for (let i = 0; i < 60; i++) {
        keystroke(i);
        await sleep(50);
      }
      typing = false;
    })();
    while (typing) {
      for (const [method, position] of [
        ["textDocument/completion", { line: 2, character: 11 }],
        ["textDocument/hover", { line: 2, character: 24 }],
      ] as const) {
        const r0 = performance.now();
        await client.request(method, { textDocument: { uri: smallUri }, position });
        during.push(performance.now() - r0);
      }
      await sleep(10);
    }
    await typist;
    const last = version;
    await client.waitDiagnostics(uri, (d) => d.version === last, 120_000);
    const stats = await client.request<{ peakRssBytes: number }>("sanction/stats", {});
    const total = Object.values(files).reduce((n, t) => n + t.split("\n").length, 0);
    return { name, lines: total, open, edit, afterPause, during, peakRss: stats.peakRssBytes };
  } finally {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results = [await measure("baseline: 5 files × 1,000 lines", workspaceFiles(5, 1000)), await measure("one file of 100,000 lines", workspaceFiles(1, 100_000))];

console.log(`${ROUNDS} edits per workspace; server ${SERVER === "source" ? "from the TypeScript sources (tsx)" : path.relative(repoRoot, SERVER)}; ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}`);
console.log("| workspace | lines | open → diagnostics (ms) | edit → diagnostics p50 / p95 (ms) | small-file hover 1.55 s after an edit (ms) | small-file completion+hover while typing p50 / p95 (ms) | peak RSS (MB) |");
console.log("|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.lines} | ${r.open.toFixed(0)} | ${median(r.edit).toFixed(0)} / ${p95(r.edit).toFixed(0)} | ${r.afterPause.toFixed(0)} | ${median(r.during).toFixed(1)} / ${p95(r.during).toFixed(1)} (${r.during.length} requests) | ${(r.peakRss / 1e6).toFixed(0)} |`,
  );
}
