import type { DuckDBConnection } from "@duckdb/node-api";
import type { Plan } from "@sanction/compiler";
import { duckdbScript } from "./duckdb.js";
import type { DiscoveryRows } from "./rows.js";

/*
 * Embedded DuckDB: create the `traffic` table or view, run the compiled script, read the
 * results as plain rows (numbers, not bigints: counts and bytes stay below 2^53).
 */

export const TRAFFIC_DDL = `CREATE OR REPLACE TABLE traffic (time TIMESTAMP, "user" VARCHAR, device VARCHAR, src_ip VARCHAR, host VARCHAR, dst_ip VARCHAR, url VARCHAR, bytes_up BIGINT, bytes_down BIGINT)`;

/** A record as the engine and the readers have it (only the fields discovery reads). */
export interface SqlTrafficRecord {
  readonly time: number;
  readonly user?: string | undefined;
  readonly device?: string | undefined;
  readonly srcIp?: string | undefined;
  readonly host?: string | undefined;
  readonly dstIp?: string | undefined;
  readonly url?: string | undefined;
  readonly bytesUp: number;
  readonly bytesDown: number;
}

/**
 * DuckDB's native module, loaded on first use: importing this package (for the SQL text of
 * `compile --target`) must not pay for opening a shared library it will not call.
 */
let api: Promise<typeof import("@duckdb/node-api")> | undefined;
const duckdb = (): Promise<typeof import("@duckdb/node-api")> => (api ??= import("@duckdb/node-api"));

export async function openDuckDb(): Promise<{ connection: DuckDBConnection; close: () => void }> {
  const { DuckDBInstance } = await duckdb();
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Load records into a `traffic` table through the appender. */
export async function loadRecords(c: DuckDBConnection, records: Iterable<SqlTrafficRecord> | AsyncIterable<readonly SqlTrafficRecord[]>): Promise<number> {
  const { timestampValue } = await duckdb();
  await c.run(TRAFFIC_DDL);
  const a = await c.createAppender("traffic");
  let n = 0;
  const opt = (v: string | undefined) => (v === undefined ? a.appendNull() : a.appendVarchar(v));
  const one = (r: SqlTrafficRecord) => {
    a.appendTimestamp(timestampValue(BigInt(Math.round(r.time)) * 1000n));
    opt(r.user);
    opt(r.device);
    opt(r.srcIp);
    opt(r.host);
    opt(r.dstIp);
    opt(r.url);
    a.appendBigInt(BigInt(r.bytesUp));
    a.appendBigInt(BigInt(r.bytesDown));
    a.endRow();
    n++;
  };
  if (Symbol.asyncIterator in records) {
    for await (const batch of records as AsyncIterable<readonly SqlTrafficRecord[]>) for (const r of batch) one(r);
  } else for (const r of records as Iterable<SqlTrafficRecord>) one(r);
  a.closeSync();
  return n;
}

/** Use Parquet or CSV files as the `traffic` view (columns as documented; CSV with a header row). */
export async function viewFiles(c: DuckDBConnection, files: readonly string[]): Promise<void> {
  const list = `[${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(", ")}]`;
  const parquet = files.every((f) => /\.parquet$/i.test(f));
  const csv = files.every((f) => /\.(csv|tsv)(\.gz)?$/i.test(f));
  if (!parquet && !csv) throw new Error("--engine duckdb reads Parquet (.parquet) or CSV (.csv, .csv.gz) files with the documented traffic columns, not a mix");
  const source = parquet
    ? `read_parquet(${list})`
    : `read_csv(${list}, header = true, columns = {'time': 'TIMESTAMP', 'user': 'VARCHAR', 'device': 'VARCHAR', 'src_ip': 'VARCHAR', 'host': 'VARCHAR', 'dst_ip': 'VARCHAR', 'url': 'VARCHAR', 'bytes_up': 'BIGINT', 'bytes_down': 'BIGINT'})`;
  await c.run(`CREATE OR REPLACE VIEW traffic AS SELECT * FROM ${source}`);
}

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : Number(v));
const text = (v: unknown): string => String(v);

async function rows(c: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Run the compiled script over the `traffic` table or view already in `c`. */
export async function runDiscovery(c: DuckDBConnection, plan: Plan, onStatement?: (sql: string, ms: number) => void): Promise<DiscoveryRows> {
  const script = duckdbScript(plan);
  for (const s of script.statements) {
    const t0 = performance.now();
    await c.run(s);
    onStatement?.(s, performance.now() - t0);
  }
  const r = script.results;
  const [usage, appUsage, matches, tags, customTags, alerts, window] = await Promise.all([r.usage, r.appUsage, r.matches, r.tags, r.customTags, r.alerts, r.window].map((q) => rows(c, q)));
  const w = window![0]!;
  return {
    usage: usage!.map((x) => ({ app: num(x["app"]), day: text(x["day"]), users: num(x["users"]), devices: num(x["devices"]), ips: num(x["ips"]), transactions: num(x["transactions"]), upload: num(x["upload"]), download: num(x["download"]), firstMs: num(x["first_ms"]), lastMs: num(x["last_ms"]) })),
    appUsage: appUsage!.map((x) => ({ app: num(x["app"]), users: num(x["users"]), devices: num(x["devices"]), ips: num(x["ips"]), transactions: num(x["transactions"]), upload: num(x["upload"]), download: num(x["download"]), firstMs: num(x["first_ms"]), lastMs: num(x["last_ms"]), days: num(x["days"]) })),
    matches: matches!.map((x) => ({ policy: text(x["policy"]), app: num(x["app"]), day: text(x["day"]) })),
    tags: tags!.map((x) => ({ app: num(x["app"]), tag: text(x["tag"]), mode: text(x["mode"]), kind: text(x["kind"]), by: text(x["by_name"]), source: text(x["source"]) })),
    customTags: customTags!.map((x) => ({ app: num(x["app"]), tag: text(x["tag"]) })),
    alerts: alerts!.map((x) => ({ policy: text(x["policy"]), app: num(x["app"]), day: text(x["day"]), severity: text(x["severity"]) })),
    window: { records: num(w["records"]), minMs: w["min_ms"] == null ? null : num(w["min_ms"]), maxMs: w["max_ms"] == null ? null : num(w["max_ms"]), withoutHost: num(w["without_host"]), attributed: num(w["attributed"]) },
  };
}
