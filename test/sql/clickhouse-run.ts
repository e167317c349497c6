import type { Plan } from "@sanction/compiler";
import { clickhouseQueries, type DiscoveryRows, type SqlTrafficRecord } from "@sanction/sql";
import type { ClickHouse } from "./clickhouse-server.js";

/** Load records into `traffic` (recreated) and run the compiled ClickHouse queries. */

export const CLICKHOUSE_TRAFFIC_DDL = `CREATE TABLE traffic (time DateTime, user String, device String, src_ip String, host String, dst_ip String, url String, bytes_up UInt64, bytes_down UInt64) ENGINE = MergeTree ORDER BY time`;

const fmt = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace("T", " ");

export async function loadClickHouse(ch: ClickHouse, records: readonly SqlTrafficRecord[]): Promise<void> {
  await ch.query("DROP TABLE IF EXISTS traffic");
  await ch.query(CLICKHOUSE_TRAFFIC_DDL);
  for (let i = 0; i < records.length; i += 50_000) {
    const body = records
      .slice(i, i + 50_000)
      .map((r) => JSON.stringify({ time: fmt(r.time), user: r.user ?? "", device: r.device ?? "", src_ip: r.srcIp ?? "", host: r.host ?? "", dst_ip: r.dstIp ?? "", url: r.url ?? "", bytes_up: r.bytesUp, bytes_down: r.bytesDown }))
      .join("\n");
    if (body) await ch.query("INSERT INTO traffic FORMAT JSONEachRow", body);
  }
}

async function rows(ch: ClickHouse, sql: string): Promise<Record<string, unknown>[]> {
  const text = await ch.query(sql + "\nFORMAT JSONEachRow");
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const n = (v: unknown) => Number(v);

export async function runClickHouse(ch: ClickHouse, plan: Plan): Promise<Pick<DiscoveryRows, "usage" | "matches" | "tags" | "customTags">> {
  const q = clickhouseQueries(plan);
  const [usage, matches, tags, customTags] = [await rows(ch, q.usage), await rows(ch, q.matches), await rows(ch, q.tags), await rows(ch, q.customTags)];
  return {
    usage: usage.map((x) => ({ app: n(x["app"]), day: String(x["day_name"]), users: n(x["users"]), devices: n(x["devices"]), ips: n(x["ips"]), transactions: n(x["transactions"]), upload: n(x["upload"]), download: n(x["download"]), firstMs: n(x["first_s"]) * 1000, lastMs: n(x["last_s"]) * 1000 })),
    matches: matches.map((x) => ({ policy: String(x["policy"]), app: n(x["app"]), day: String(x["day_name"]) })),
    tags: tags.map((x) => ({ app: n(x["app"]), tag: String(x["tag"]), mode: String(x["mode"]), kind: String(x["kind"]), by: String(x["by_name"]), source: String(x["source"]) })),
    customTags: customTags.map((x) => ({ app: n(x["app"]), tag: String(x["tag"]) })),
  };
}
