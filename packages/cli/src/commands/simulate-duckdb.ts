import * as fs from "node:fs";
import * as path from "node:path";
import { parseState, serializeState, type EngineState } from "@sanction/engine";
import { renderHtml, renderJson, renderMarkdown, renderTable } from "@sanction/reports";
import { discoveryReport, openDuckDb, runDiscovery, viewFiles } from "@sanction/sql";
import { oneOf } from "../args.js";
import { EXIT_OK, IOFailure, UsageError, type CliIO } from "../io.js";
import { loadAndCompile } from "../pipeline.js";
import { writeFileAtomic } from "../atomic-write.js";

/*
 * `sanction simulate … --engine duckdb --traffic <parquet|csv…>`: the compiled discovery SQL
 * (`sanction compile --target duckdb`) run by embedded DuckDB over Parquet or CSV files with
 * the documented traffic columns, reported like `simulate`: apps with their aggregates,
 * matches, alerts, tags and indicators. SQL runs no second pass, so there are no verdict
 * counts and no unknown-domain list; new-app windows start at the first day in the data.
 */


function trafficFiles(cwd: string, args: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) throw new IOFailure(`simulate: no such file or folder ${p}`);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        const child = path.join(p, e);
        if (fs.statSync(child).isDirectory() || /\.(parquet|csv|csv\.gz)$/i.test(e)) walk(child);
      }
    } else out.push(p);
  };
  for (const a of args) walk(path.resolve(cwd, a));
  if (out.length === 0) throw new UsageError("simulate: --engine duckdb found no .parquet or .csv file in --traffic");
  return out;
}

/** `outputs`: the -o, --indicators and --state paths, already checked by `resolveOutput`. */
export async function simulateDuckdb(io: CliIO, positionals: string[], traffic: string[], values: Record<string, unknown>, outputs: { output?: string | undefined; indicators?: string | undefined; state?: string | undefined }): Promise<number> {
  const report = oneOf("simulate", "report", values["report"] as string | undefined, ["table", "json", "md", "html"] as const, "table");
  const files = trafficFiles(io.cwd, traffic);
  const compiled = loadAndCompile(io, positionals, {
    ...(values["root"] ? { root: values["root"] as string } : {}),
    ...(values["as-of"] ? { asOf: values["as-of"] as string } : {}),
  });
  if ("exit" in compiled) return compiled.exit;
  const statePath = outputs.state;
  let state: EngineState | undefined;
  if (statePath && fs.existsSync(statePath)) state = parseState(fs.readFileSync(statePath, "utf8"));

  const db = await openDuckDb();
  let result;
  try {
    await viewFiles(db.connection, files);
    const rows = await runDiscovery(db.connection, compiled.plan);
    result = discoveryReport(compiled.plan, rows, { ...(state ? { state } : {}), inputs: files.map((f) => ({ file: path.relative(io.cwd, f) || f, format: /\.parquet$/i.test(f) ? "parquet" : "csv", lines: 0, records: 0, rejected: 0 })) });
  } catch (e) {
    throw new IOFailure(`simulate --engine duckdb: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    db.close();
  }
  const text =
    report === "json" ? renderJson(result.report)
    : report === "md" ? renderMarkdown(result.report)
    : report === "html" ? renderHtml(result.report)
    : renderTable(result.report, { color: io.color && !values["output"], ...(io.columns && !values["output"] ? { width: Math.max(60, io.columns) } : {}) });
  if (outputs.output) {
    writeFileAtomic(outputs.output, text);
    io.stderr(`wrote ${values["output"]}\n`);
  } else io.stdout(text);
  if (outputs.indicators) writeFileAtomic(outputs.indicators, JSON.stringify(result.report.indicators, null, 2) + "\n");
  if (statePath) {
    writeFileAtomic(statePath, serializeState(result.state));
    io.stderr("note: with --engine duckdb, new-app windows start at the first day in this data; the state's alert history is applied\n");
  }
  const t = result.report.totals;
  io.stderr(`${t.records.toLocaleString("en-US")} records from ${files.length} file${files.length === 1 ? "" : "s"} (duckdb): ${result.report.apps.length} apps, ${t.unknown.toLocaleString("en-US")} requests to unknown domains\n`);
  return EXIT_OK;
}
