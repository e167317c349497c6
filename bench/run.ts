/**
 * `npm run bench`: parse and check a generated 10,000-line policy file and compare with named
 * baselines measured in the same run on the same text:
 *   - baseline "lex only": chevrotain tokenizing the text (a floor no parser can beat),
 *   - baseline "JSON.parse of the AST": reading the same policies as a pre-parsed JSON tree.
 * Each figure is the median of repeated runs after warm-up.
 */
import { parse, tokens } from "@sanction/syntax";
import { checkFiles } from "@sanction/semantics";
import { builtinCatalog } from "@sanction/catalog";
import { Lexer } from "chevrotain";
import { cpus } from "node:os";
import { generatePolicyFile } from "./generate-policies.js";

const LINES = Number(process.env["BENCH_LINES"] ?? 10_000);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(label: string, fn: () => unknown): { label: string; ms: number } {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return { label, ms: median(samples) };
}

const text = generatePolicyFile(LINES);
const lineCount = text.split("\n").length - 1;
const catalog = builtinCatalog();
const lexer = new Lexer(tokens.allTokens, { positionTracking: "onlyOffset", ensureOptimizations: false });
const parsed = parse(text, "bench.sanction");
if (parsed.diagnostics.length) throw new Error(`generated file has syntax errors: ${parsed.diagnostics[0]!.message}`);
const checked = checkFiles([parsed.ast], catalog);
const errors = checked.diagnostics.filter((d) => d.severity === "error");
if (errors.length) throw new Error(`generated file has check errors: ${errors[0]!.code} ${errors[0]!.message}`);
const astJson = JSON.stringify(parsed.ast);

const results = [
  time("baseline: lex only", () => lexer.tokenize(text)),
  time("baseline: JSON.parse of the AST", () => JSON.parse(astJson)),
  time("parse", () => parse(text, "bench.sanction")),
  time("check (parsed AST)", () => checkFiles([parsed.ast], catalog)),
  time("parse + check", () => checkFiles([parse(text, "bench.sanction").ast], catalog)),
];

const base = results[0]!.ms;
console.log(`policy file: ${lineCount} lines, ${(text.length / 1024).toFixed(0)} KiB, ${parsed.ast.items.length} items; ${RUNS} runs, median`);
console.log(`machine: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} cores), Node ${process.version}`);
console.log("");
console.log("| step | median ms | lines/s | × lex-only |");
console.log("|---|---:|---:|---:|");
for (const r of results) {
  console.log(`| ${r.label} | ${r.ms.toFixed(1)} | ${Math.round(lineCount / (r.ms / 1000)).toLocaleString("en-US")} | ${(r.ms / base).toFixed(1)} |`);
}
