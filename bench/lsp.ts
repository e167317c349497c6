/**
 * `npm run build && node --import tsx bench/lsp.ts`: the language server over real stdio on
 * a 5,000-line workspace (five generated files of 1,000 lines, one open in the editor).
 * Measured from the client side, as an editor sees it:
 * - diagnostics: time from sending an edit (didChange) to receiving its publishDiagnostics,
 *   edits spaced 200 ms apart (isolated keystrokes: the first edit after a quiet period is
 *   checked at once; a burst is coalesced into one publication per 150 ms);
 * - completion and hover: request round trip at positions inside a policy.
 * Targets (issue 6): diagnostics ≤ 50 ms, completion ≤ 20 ms, hover ≤ 20 ms, at p95.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generatePolicyFile } from "./generate-policies.js";
import { median, p95, sleep } from "./stats.js";
import { LspClient, repoRoot } from "../test/language-server/client.js";

const FILES = 5;
const LINES_PER_FILE = 1000;
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 100);


const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sanction-bench-lsp-"));
let total = 0;
for (let i = 0; i < FILES; i++) {
  // Names must be unique across the workspace: suffix each file's declarations and the
  // references to them, so the workspace checks clean, as a maintained policy repository does.
  const text = generatePolicyFile(LINES_PER_FILE)
    .replace(/(policy|test|app|alert) "([^"]+)"/g, `$1 "$2 f${i}"`)
    .replace(/(group|except) (team_\d+)/g, `$1 $2_f${i}`)
    .replace(/([a-z0-9-]+)\.example\b/g, `$1-f${i}.example`);
  fs.writeFileSync(path.join(dir, `policies-${i}.sanction`), text);
  total += text.split("\n").length;
}
const file = path.join(dir, "policies-0.sanction");
const text = fs.readFileSync(file, "utf8");

// The built server (packages/language-server/dist, hence `npm run build`); BENCH_SERVER=source runs
// the TypeScript sources through tsx, BENCH_SERVER=<file> another build.
const SERVER = process.env["BENCH_SERVER"] ?? path.join(repoRoot, "packages", "language-server", "dist", "main.js");
if (SERVER !== "source" && !fs.existsSync(SERVER)) throw new Error(`${SERVER} does not exist: run \`npm run build\` first (or BENCH_SERVER=source)`);
const client = new LspClient(SERVER === "source" ? undefined : [process.execPath, SERVER, "--stdio"], dir);
// BENCH_CHECK_WORKER=0: diagnostics computed on the server's thread (the fallback), to compare.
const checkWorker = process.env["BENCH_CHECK_WORKER"] !== "0";
await client.initialize(dir, { checkWorker });
const uri = client.open(file, text, 1);
await client.waitDiagnostics(uri, () => true, 60_000);

const lines = text.split("\n");
const policyLine = lines.findIndex((l) => /^\s*when app\./.test(l));
const whenCol = lines[policyLine]!.indexOf("app.") + 4;
const hoverLine = lines.findIndex((l) => /^policy "/.test(l));

// Warm-up.
for (let i = 0; i < 10; i++) {
  await client.request("textDocument/completion", { textDocument: { uri }, position: { line: policyLine, character: whenCol } });
  await client.request("textDocument/hover", { textDocument: { uri }, position: { line: hoverLine, character: 9 } });
}

const diag: number[] = [];
let version = 1;
for (let i = 0; i < ROUNDS; i++) {
  await sleep(200);
  version++;
  const v = version;
  const t0 = performance.now();
  const done = client.waitDiagnostics(uri, (d) => d.version === v, 10_000);
  // Type (or delete) a comment character at the end of the first line.
  client.change(uri, v, [{ range: { start: { line: 0, character: lines[0]!.length }, end: { line: 0, character: lines[0]!.length + (i % 2) } }, text: i % 2 ? "" : "x" }]);
  await done;
  diag.push(performance.now() - t0);
}
const time = async (method: string, position: { line: number; character: number }) => {
  const xs: number[] = [];
  for (let i = 0; i < ROUNDS * 2; i++) {
    const t0 = performance.now();
    await client.request(method, { textDocument: { uri }, position });
    xs.push(performance.now() - t0);
  }
  return xs;
};
const compl = await time("textDocument/completion", { line: policyLine, character: whenCol });
const hov = await time("textDocument/hover", { line: hoverLine, character: 9 });
// Completion right after an edit (the workspace must be re-checked first).
const complAfterEdit: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  version++;
  client.change(uri, version, [{ range: { start: { line: 0, character: lines[0]!.length }, end: { line: 0, character: lines[0]!.length + (i % 2) } }, text: i % 2 ? "" : "x" }]);
  const t0 = performance.now();
  await client.request("textDocument/completion", { textDocument: { uri }, position: { line: policyLine, character: whenCol } });
  complAfterEdit.push(performance.now() - t0);
}
await client.shutdown();
fs.rmSync(dir, { recursive: true, force: true });

const row = (name: string, xs: number[], target: number) => `| ${name} | ${median(xs).toFixed(1)} | ${p95(xs).toFixed(1)} | ≤ ${target} | ${p95(xs) <= target ? "ok" : "MISSED"} |`;
console.log(`diagnostics ${checkWorker ? "on the check worker" : "on the server's thread"}; workspace: ${FILES} files, ${total} lines; ${ROUNDS} edits, ${ROUNDS * 2} completion and hover requests; ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, Node ${process.version}`);
console.log("| measure (ms) | median | p95 | target | |");
console.log("|---|---|---|---|---|");
console.log(row("edit → diagnostics published", diag, 50));
console.log(row("completion", compl, 20));
console.log(row("completion right after an edit", complAfterEdit, 20));
console.log(row("hover (app card)", hov, 20));
