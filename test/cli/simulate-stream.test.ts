import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "@sanction/catalog";
import { compile } from "@sanction/compiler";
import { simulate, type EngineRecord, type RecordSource, type SimulationReport } from "@sanction/engine";
import { analyze, effectiveCatalog, nodeFileHost } from "@sanction/semantics";
import type { CliIO } from "@sanction/cli";
import { simulateCommand } from "../../packages/cli/src/commands/simulate.js";
import { trafficInput } from "../../packages/cli/src/traffic-source.js";
import { runCli } from "../support/cli.js";

/*
 * One read of each log: `--traffic -` takes a log from standard input, and a log that grows or
 * is truncated while it is read ends cleanly with a report of exactly what was read.
 */

const root = path.resolve(__dirname, "../..");
const HOSTS = ["www.dropbox.com", "www.facebook.com", "mail.yahoo.com", "www.chirp.com", "files.example-unknown.org"];

/** Squid native lines, about 110 bytes each. */
function squid(from: number, count: number): string {
  let out = "";
  for (let i = from; i < from + count; i++) {
    const t = (Date.parse("2026-03-01T00:00:00Z") / 1000 + i * 7).toFixed(3);
    out += `${t}     42 10.0.0.${i % 50} TCP_TUNNEL/200 ${1000 + (i % 977)} CONNECT ${HOSTS[i % HOSTS.length]}:443 user${i % 40}@contoso.com HIER_DIRECT/203.0.113.5 -\n`;
  }
  return out;
}

function tempLog(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "sanction-stream-")), "access.log");
  writeFileSync(file, text);
  return file;
}

async function viaStdin(chunks: readonly Uint8Array[]): Promise<{ code: number; report: SimulationReport; stderr: string }> {
  const stdin = new PassThrough();
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => "", cwd: root, color: false };
  const running = simulateCommand(["samples/policies", "--traffic", "-", "--report", "json"], io, undefined, stdin);
  // the log arrives in pieces, with pauses, as from a pipe
  for (const c of chunks) {
    stdin.write(c);
    await new Promise((r) => setTimeout(r, 5));
  }
  stdin.end();
  const code = await running;
  return { code, report: JSON.parse(stdout || "null"), stderr };
}

/** Cut bytes into pieces that do not respect line ends. */
function pieces(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

const verdictSum = (r: SimulationReport) => r.verdicts.total.allow + r.verdicts.total.audit + r.verdicts.total.warn + r.verdicts.total.block;

describe("sanction simulate --traffic -", () => {
  const text = squid(0, 3000);

  it("gives the report the same log gives as a file, named <stdin>", async () => {
    const file = tempLog(text);
    const fromFile = await runCli(["simulate", "samples/policies", "--traffic", file, "--report", "json"], root);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const expected = JSON.parse(fromFile.stdout) as SimulationReport;
    const r = await viaStdin(pieces(Buffer.from(text), 4093));
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.inputs).toEqual([{ ...expected.inputs[0], file: "<stdin>" }]);
    expect({ ...r.report, inputs: [] }).toEqual({ ...expected, inputs: [] });
    expect(r.report.totals.records).toBe(3000);
    expect(r.stderr).toContain("3,000 records from 1 file");
  });

  it("reads a gzip stream", async () => {
    const r = await viaStdin(pieces(gzipSync(Buffer.from(text)), 1000));
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.inputs[0]).toMatchObject({ file: "<stdin>", format: "squid-native", lines: 3000, records: 3000 });
    expect(verdictSum(r.report)).toBe(3000);
  });

  it("is taken once, and mixes with files", async () => {
    const file = tempLog(squid(5000, 100));
    const twice = await runCli(["simulate", "samples/policies", "--traffic", "-", "-"], root);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("standard input (-) more than once");
    const stdin = new PassThrough();
    stdin.end(squid(0, 50));
    let stdout = "";
    const io: CliIO = { stdout: (t) => void (stdout += t), stderr: () => {}, readStdin: async () => "", cwd: root, color: false };
    expect(await simulateCommand(["samples/policies", "--traffic", file, "-", "--report", "json"], io, undefined, stdin)).toBe(0);
    const report = JSON.parse(stdout) as SimulationReport;
    expect(report.inputs.map((f) => [f.file.endsWith("access.log") ? "access.log" : f.file, f.records])).toEqual([
      ["access.log", 100],
      ["<stdin>", 50],
    ]);
    expect(report.totals.records).toBe(150);
  });
});

describe("a named pipe", () => {
  it.skipIf(process.platform === "win32")("is read to its end (it has no size to stop at)", async () => {
    const fifo = path.join(mkdtempSync(path.join(tmpdir(), "sanction-fifo-")), "log");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `cat > '${fifo}'`], { stdio: ["pipe", "ignore", "ignore"] });
    writer.stdin.end(squid(0, 2000));
    const r = await runCli(["simulate", "samples/policies", "--traffic", fifo, "--report", "json"], root);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).inputs[0]).toMatchObject({ lines: 2000, records: 2000 });
  });
});

describe("a log that changes while it is read", () => {
  const a = analyze(["samples/policies"], { root, host: nodeFileHost });
  const plan = compile(a.model, effectiveCatalog(a.model, builtinCatalog(), { sources: a.sources }).catalog, { sources: a.sources, asOf: "2026-11-01" });

  /** The CLI's record source over `file`, counting the records it hands to the engine. */
  function counted(file: string) {
    const input = trafficInput(root, [file]);
    let delivered = 0;
    const source: RecordSource = async function* () {
      for await (const batch of input.source()) {
        delivered += batch.length;
        yield batch as readonly EngineRecord[];
      }
    };
    return { input, source, delivered: () => delivered };
  }

  it("is read up to its size when opened while lines are appended", async () => {
    const lines = 40_000; // several 1 MiB chunks
    const file = tempLog(squid(0, lines));
    const { input, source, delivered } = counted(file);
    let appended = 0;
    const { report } = await simulate(plan, source, {
      inputs: input.summaries,
      rejected: input.rejected,
      onProgress: () => {
        // the writer keeps going while the simulation reads
        appendFileSync(file, squid(lines + appended, 5000));
        appended += 5000;
      },
    });
    expect(appended).toBeGreaterThan(0);
    expect(readFileSync(file, "utf8").split("\n").length - 1).toBe(lines + appended);
    expect(report.inputs).toEqual([expect.objectContaining({ lines, records: lines, rejected: 0 })]);
    expect(report.inputs[0]!.error).toBeUndefined();
    expect(report.totals.records).toBe(lines);
    expect(delivered()).toBe(lines);
    expect(verdictSum(report)).toBe(lines);
  });

  it("finishes the line being written when the read began", async () => {
    const lines = 40_000;
    const half = squid(lines, 1).slice(0, 40);
    const file = tempLog(squid(0, lines) + half);
    const { input, source } = counted(file);
    let appended = false;
    const { report } = await simulate(plan, source, {
      inputs: input.summaries,
      onProgress: () => {
        if (appended) return;
        appended = true;
        appendFileSync(file, squid(lines, 1).slice(40) + squid(lines + 1, 100));
      },
    });
    // the whole lines there when the read began, and the one being written then, complete
    expect(report.inputs).toEqual([expect.objectContaining({ lines: lines + 1, records: lines + 1, rejected: 0 })]);
    expect(verdictSum(report)).toBe(lines + 1);
  });

  it("ends where the data stopped when truncated while read, and says so", async () => {
    const lines = 40_000;
    const file = tempLog(squid(0, lines));
    const { input, source, delivered } = counted(file);
    let cut = false;
    const { report } = await simulate(plan, source, {
      inputs: input.summaries,
      rejected: input.rejected,
      onProgress: () => {
        if (cut) return;
        cut = true;
        truncateSync(file, 0);
      },
    });
    const f = report.inputs[0]!;
    expect(f.error).toMatch(/^the file was truncated while it was read \(\d+ bytes when opened, \d+ read\); the \d+ lines read before were used$/);
    expect(f.records).toBeGreaterThan(0);
    expect(f.records).toBeLessThan(lines);
    // what the report counts is exactly what reached the engine
    expect(report.totals.records).toBe(f.records);
    expect(delivered()).toBe(f.records);
    expect(verdictSum(report)).toBe(f.records);
    // a line cut in the middle is rejected, not read as a shorter line
    expect(f.lines).toBe(f.records + f.rejected);
    for (const r of report.rejected) expect(r.reason).toBe("incomplete line at the end of a file truncated while it was read");
  });
});
