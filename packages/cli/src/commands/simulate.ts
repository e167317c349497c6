import * as fs from "node:fs";
import * as path from "node:path";
import { simulate, parseState, serializeState, type EngineState } from "@sanction/engine";
import { renderHtml, renderJson, renderMarkdown, renderTable } from "@sanction/reports";
import { TrafficReader, type TrafficFormat } from "@sanction/traffic";
import { parseCommandArgs, oneOf, NO_GLOBAL_OPTIONS, type GlobalOptions } from "../args.js";
import { EXIT_OK, IOFailure, UsageError, type CliIO } from "../io.js";
import { loadAndCompile } from "../pipeline.js";
import { visible } from "@sanction/diagnostics";
import { writeFileAtomic } from "../atomic-write.js";
import { outputRoots, resolveOutput } from "../output-path.js";
import { csvMappingFor, expandTrafficPaths, trafficInput, STDIN, TRAFFIC_FORMATS } from "../traffic-source.js";
import { tempSpill } from "../spill-file.js";
import { progress } from "../progress.js";
import { splitTrafficArgs } from "../traffic-args.js";
import { simulateParallel, defaultThreads, startWorkers, PARALLEL_MIN_BYTES } from "../parallel/run-parallel.js";
import { tuneGcForLogs } from "../gc-tuning.js";
import { displayFrom } from "../paths.js";
import { ENGINE_HELP, ENGINES } from "./simulate-engines.js";

export const simulateHelp = `Usage: sanction simulate [policies...] --traffic <files or folders...> [options]

Replay traffic logs through the policies: which apps are in use, which policies match and
why, the alerts and tags that follow, the indicators that would be generated, the verdict
every request would get, and the traffic no app claims.

Formats are detected from the content (gzip accepted): Squid native and common access.log,
Zeek TSV and JSON (dns, http, ssl, conn), Defender DeviceNetworkEvents CSV and JSON, BIND
query log, dnsmasq log-queries, Unbound log-queries/log-replies, and CSV (columns guessed from the header, or given in a
FILE.mapping.json beside the file).

Options:
  --traffic FILES...        log files or folders (required); - reads one log from standard
                            input. Each log is read once, up to its size when opened: a
                            log still being written to is read up to there, and one that
                            is truncated while read ends where its data stopped (said on
                            standard error); the report counts exactly what was read
  --format FORMAT           force a log format: ${TRAFFIC_FORMATS.join(", ")}
  --report FORMAT           table (default), json, md or html
${ENGINE_HELP}  -o, --output FILE         write the report to FILE (atomically) instead of standard output
  --state FILE              first-seen dates and alert history carried across runs (read if
                            present, then updated)
  --indicators FILE         also write the would-be indicators as JSON
  --year YYYY               year of log timestamps that have none (dnsmasq and syslog lines;
                            default: the year each file was last modified)
  --threads N               worker threads (default: one per core); the logs, in order, are
                            shared out by size, and a log of 16 MiB or more where one
                            thread's share ends is cut there at a line break (except gzip,
                            CSV, Zeek TSV, dnsmasq, unbound and JSON-array logs, whose lines
                            depend on the lines before them); standard input is read by one
                            thread. The report is the same as with --threads 1
  --as-of DATE              date age-based risk attributes are measured at
  --root DIR                folder imports must stay inside (default: the working directory)
  --output-root DIR         also allow writing under DIR (repeatable; default: only under the
                            working directory and --root)
  -h, --help                show this help

Lines that cannot be parsed are counted and reported with file and line; they never stop
the run. Exit codes: 0 simulated, 1 the policies have errors, 2 usage or I/O error.
`;

/** Standard input, touched only when `--traffic -` reads it. */
const processStdin: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() };

export async function simulateCommand(argv: string[], io: CliIO, globals: GlobalOptions = NO_GLOBAL_OPTIONS, stdin: AsyncIterable<Uint8Array> = processStdin): Promise<number> {
  const { rest, traffic } = splitTrafficArgs(argv);
  const { values, positionals } = parseCommandArgs("simulate", rest, {
    format: { type: "string" },
    report: { type: "string" },
    output: { type: "string", short: "o" },
    state: { type: "string" },
    indicators: { type: "string" },
    threads: { type: "string" },
    year: { type: "string" },
    "as-of": { type: "string" },
    root: { type: "string" },
    engine: { type: "string" },
  });
  if (values.help) {
    io.stdout(simulateHelp);
    return EXIT_OK;
  }
  // --engine duckdb: the compiled discovery SQL in embedded DuckDB (commands/simulate-duckdb.ts)
  // Every output checked before any work: a refused path fails fast and nothing is written.
  const roots = outputRoots(io, globals, values.root as string | undefined);
  const outputs = {
    output: values.output ? resolveOutput(io, values.output as string, roots) : undefined,
    indicators: values.indicators ? resolveOutput(io, values.indicators as string, roots) : undefined,
    state: values.state ? resolveOutput(io, values.state as string, roots) : undefined,
  };
  if (oneOf("simulate", "engine", values.engine as string | undefined, ENGINES, "process") === "duckdb") {
    // loaded only here: DuckDB's bindings are not needed by the default engine
    const { simulateDuckdb } = await import("./simulate-duckdb.js");
    return simulateDuckdb(io, positionals, traffic, values, outputs);
  }
  if (traffic.length === 0) throw new UsageError("simulate: --traffic needs at least one log file or folder (see `sanction simulate --help`)");
  const report = oneOf("simulate", "report", values.report as string | undefined, ["table", "json", "md", "html"] as const, "table");
  const format = values.format === undefined ? undefined : oneOf("simulate", "format", values.format as string, TRAFFIC_FORMATS, "csv");
  const files = expandTrafficPaths(io.cwd, traffic, { stdin: true });

  // everything that can fail is checked before worker threads start
  const statePath = outputs.state;
  const state = statePath ? readState(statePath) : undefined;
  const year = values.year === undefined ? undefined : Number(values.year);
  if (year !== undefined && (!Number.isInteger(year) || year < 1970 || year > 9999)) throw new UsageError(`simulate: --year must be a year such as 2026, not '${values.year}'`);
  const threads = values.threads === undefined ? defaultThreads() : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new UsageError(`simulate: --threads must be a whole number from 1 to 256, not '${values.threads}'`);
  const fromStdin = files.includes(STDIN);
  const totalBytes = files.reduce((n, f) => (f === STDIN ? n : n + fs.statSync(f).size), 0);
  // one file is worth worker threads only when it can be cut into ranges
  const parallel = threads > 1 && !fromStdin && totalBytes >= PARALLEL_MIN_BYTES && (files.length > 1 || (await TrafficReader.splitRanges(files[0]!, threads, format ? { format: format as TrafficFormat } : {}).catch(() => undefined)) !== undefined);
  tuneGcForLogs();
  // the workers load while the policies are compiled (the main thread reads a share too)
  const workers = parallel ? startWorkers(Math.min(threads, files.length > 1 ? files.length : threads) - 1) : [];
  const compiled = (() => {
    try {
      return loadAndCompile(io, positionals, {
        ...(values.root ? { root: values.root as string } : {}),
        ...(values["as-of"] ? { asOf: values["as-of"] as string } : {}),
      });
    } catch (e) {
      for (const w of workers) void w.terminate();
      throw e;
    }
  })();
  if ("exit" in compiled) {
    for (const w of workers) void w.terminate();
    return compiled.exit;
  }

  const bar = progress(io, "simulating");
  const result =
    parallel
      ? await simulateParallel(compiled.plan, {
          files: files.map((abs) => {
            const csv = csvMappingFor(abs);
            return { abs, shown: displayFrom(io.cwd, abs), ...(csv ? { csv } : {}) };
          }),
          ...(format ? { format: format as TrafficFormat } : {}),
          ...(state ? { state } : {}),
          threads,
          workers,
          ...(year ? { year } : {}),
          onProgress: bar.update,
        }).catch((e: unknown) => {
          bar.done();
          throw new IOFailure(e instanceof Error ? e.message : String(e));
        })
      : await (async () => {
          const input = trafficInput(io.cwd, files, { ...(format ? { format: format as TrafficFormat } : {}), ...(year ? { year } : {}), stdin });
          return simulate(compiled.plan, input.source, { ...(state ? { state } : {}), inputs: input.summaries, rejected: input.rejected, onProgress: bar.update, spill: tempSpill });
        })();
  bar.done();

  const text =
    report === "json" ? renderJson(result.report)
    : report === "md" ? renderMarkdown(result.report)
    : report === "html" ? renderHtml(result.report)
    : renderTable(result.report, { color: io.color && !values.output, ...(io.columns && !values.output ? { width: Math.max(60, io.columns) } : {}) });
  if (outputs.output) {
    writeFileAtomic(outputs.output, text);
    io.stderr(`wrote ${visible(String(values.output))}\n`);
  } else {
    io.stdout(text);
  }
  if (outputs.indicators) {
    writeFileAtomic(outputs.indicators, JSON.stringify(result.report.indicators, null, 2) + "\n");
    io.stderr(`wrote ${visible(String(values.indicators))} (${result.report.indicators.length} indicators)\n`);
  }
  if (statePath) writeFileAtomic(statePath, serializeState(result.state));

  for (const f of result.report.inputs) if (f.error) io.stderr(`sanction: ${visible(f.file)}: ${visible(f.error)} (${f.records.toLocaleString("en-US")} records read before it)\n`);
  const t = result.report.totals;
  io.stderr(`${t.records.toLocaleString("en-US")} records from ${files.length} file${files.length === 1 ? "" : "s"}: ${result.report.apps.length} apps, ${t.unknown.toLocaleString("en-US")} requests to unknown domains, ${t.rejected.toLocaleString("en-US")} lines rejected\n`);
  const firstRejected = result.report.rejected[0];
  if (firstRejected) io.stderr(`first rejected line: ${visible(firstRejected.file)}:${firstRejected.line}: ${visible(firstRejected.reason)}\n`);
  return EXIT_OK;
}

function readState(file: string): EngineState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return undefined;
    throw new IOFailure(`cannot read state ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return parseState(text);
  } catch (e) {
    throw new IOFailure(`cannot use state ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
