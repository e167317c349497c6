import type { Plan } from "@sanction/compiler";
import { discovery, type Discovery, type DiscoveryPolicy } from "./discovery.js";

/*
 * DuckDB SQL for the discovery part of a plan. The input is a table or view named `traffic`:
 *
 *   traffic(time TIMESTAMP, "user" VARCHAR, device VARCHAR, src_ip VARCHAR, host VARCHAR,
 *           dst_ip VARCHAR, url VARCHAR, bytes_up BIGINT, bytes_down BIGINT)
 *
 * `time` is UTC; `host` is the destination host name (NULL or '' when the row only has a URL
 * or an IP; then the URL's host is used). Hosts are compared lowercased without a trailing
 * dot. Empty strings count as missing users, devices and IPs. Over Parquet or CSV files:
 * `CREATE VIEW traffic AS SELECT * FROM read_parquet('logs/*.parquet')`.
 *
 * The script creates temporary tables, one step each: sanction_app_domains (the compiler's
 * app-domain table), sanction_host_apps (every distinct raw host → its app by longest match: the
 * hosts are split into suffixes and equi-joined to the domains, the longest match kept; an
 * exact pattern beats a `*.` pattern of the same name), sanction_usage (per app per UTC day:
 * distinct users, devices and source IPs, transactions, bytes), sanction_app_usage (per app
 * over the whole window), sanction_matches ((policy, app, day) where every threshold holds
 * that day and, for new-app policies, the day lies in the window after the app was first
 * seen IN THIS DATA: the `--state` file of `sanction simulate` is not available to SQL),
 * sanction_tags (the tag each app ends with: manual decisions over policies, then
 * unsanctioned > monitored > sanctioned), sanction_custom_tags, and sanction_alerts (one per
 * app per policy per 90 days, at most the policy's daily limit a day, from no earlier alerts).
 */

export interface SqlScript {
  /** Statements creating the tables, in order. */
  readonly statements: readonly string[];
  /** Queries reading the results, by name. */
  readonly results: Readonly<Record<ResultName, string>>;
}
export type ResultName = "usage" | "appUsage" | "matches" | "tags" | "customTags" | "alerts" | "window";

export const str = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The raw host of a row: `host`, else the URL's host. Rows are joined on this raw text (cheap
 * per row); lowercasing and the trailing dot are handled once per distinct value, in
 * sanction_host_apps.
 */
const RAW_HOST = `CASE WHEN host <> '' THEN host ELSE regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)', 1) END`;

function values(rows: readonly (readonly string[])[], columns: readonly string[], types: readonly string[]): string {
  if (rows.length === 0) return `SELECT ${columns.map((c, i) => `CAST(NULL AS ${types[i]}) AS ${c}`).join(", ")} WHERE FALSE`;
  const lines = rows.map((r) => `  (${r.join(", ")})`);
  return `SELECT * FROM (VALUES\n${lines.join(",\n")}\n) AS t(${columns.join(", ")})`;
}

export function policyCondition(p: DiscoveryPolicy, col: (c: string) => string, inList: (apps: readonly number[]) => string): string {
  const parts: string[] = [];
  if (p.candidates !== "all") parts.push(p.candidates.length ? inList(p.candidates) : "FALSE");
  for (const t of p.thresholds) parts.push(`${col(t.metric)} ${t.op} ${t.value}`);
  return parts.length ? parts.join(" AND ") : "TRUE";
}

export function duckdbScript(plan: Plan, d: Discovery = discovery(plan)): SqlScript {
  const s: string[] = [];
  s.push(
    `CREATE OR REPLACE TEMP TABLE sanction_app_domains AS\n${values(
      d.domains.map((r) => [str(r.domain), String(r.app), r.subtree ? "TRUE" : "FALSE"]),
      ["domain", "app", "subtree"],
      ["VARCHAR", "INTEGER", "BOOLEAN"],
    )}`,
  );
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_apps AS\n${values(d.apps.map((a) => [String(a.index), str(a.id), str(a.name)]), ["app", "id", "name"], ["INTEGER", "VARCHAR", "VARCHAR"])}`);
  // distinct raw hosts first, in their own table: the optimizer would otherwise push the
  // per-host work below the DISTINCT, onto every row
  // (with the row counts and times the traffic window needs, so that no other scan is needed)
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_raw_hosts AS SELECT ${RAW_HOST} AS raw, count(*) AS n, min(time) AS first_time, max(time) AS last_time FROM traffic GROUP BY ALL`);
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_host_apps AS
WITH hosts AS (
  SELECT raw, rtrim(lower(raw), '.') AS host FROM sanction_raw_hosts
), valid AS (
  -- names the matcher accepts: no empty label, labels of at most 63 characters, at most 253 in all
  SELECT raw, host, string_split(host, '.') AS parts FROM hosts
  WHERE host <> '' AND length(host) <= 253 AND NOT starts_with(host, '.') AND NOT contains(host, '..') AND NOT regexp_matches(host, '[^.]{64}')
), suffixes AS (
  SELECT raw, host, unnest(list_transform(range(1, len(parts) + 1), i -> array_to_string(parts[i:], '.'))) AS suffix FROM valid
)
SELECT s.raw AS raw, arg_max(d.app, length(d.domain) * 2 + CASE WHEN d.subtree THEN 0 ELSE 1 END) AS app
FROM suffixes AS s JOIN sanction_app_domains AS d ON d.domain = s.suffix
WHERE d.subtree OR s.suffix = s.host
GROUP BY s.raw`);
  // one scan for both groupings: per app per day, and per app over the window (distinct
  // users over the window are not the sum of the days')
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_usage_sets AS
SELECT m.app AS app, CAST(t.time AS DATE) AS day, GROUPING(CAST(t.time AS DATE)) AS per_app,
  count(DISTINCT nullif(t."user", '')) AS users,
  count(DISTINCT nullif(t.device, '')) AS devices,
  count(DISTINCT nullif(t.src_ip, '')) AS ips,
  count(*) AS transactions,
  CAST(coalesce(sum(t.bytes_up), 0) AS BIGINT) AS upload,
  CAST(coalesce(sum(t.bytes_down), 0) AS BIGINT) AS download,
  min(t.time) AS first_time, max(t.time) AS last_time,
  count(DISTINCT CAST(t.time AS DATE)) AS days
FROM (SELECT *, ${RAW_HOST} AS h FROM traffic) AS t JOIN sanction_host_apps AS m ON m.raw = t.h
GROUP BY GROUPING SETS ((m.app, CAST(t.time AS DATE)), (m.app))`);
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_usage AS
SELECT app, day, users, devices, ips, transactions, upload, download, upload + download AS traffic, first_time, last_time
FROM sanction_usage_sets WHERE per_app = 0`);
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_app_usage AS
SELECT app, users, devices, ips, transactions, upload, download, first_time, last_time, days
FROM sanction_usage_sets WHERE per_app = 1`);
  const matchSelects = d.policies.map((p) => {
    const cond = policyCondition(p, (c) => `u.${c}`, (apps) => `u.app IN (${apps.join(", ")})`);
    const window = p.firstSeenWithinDays !== undefined ? ` AND u.day < f.first_day + ${p.firstSeenWithinDays}` : "";
    return `SELECT ${p.index} AS policy_index, ${str(p.name)} AS policy, u.app, u.day FROM sanction_usage AS u JOIN sanction_first_seen AS f ON f.app = u.app WHERE ${cond}${window}`;
  });
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_first_seen AS SELECT app, min(day) AS first_day FROM sanction_usage GROUP BY app`);
  s.push(
    `CREATE OR REPLACE TEMP TABLE sanction_matches AS\n${
      matchSelects.length ? matchSelects.join("\nUNION ALL\n") : "SELECT CAST(NULL AS INTEGER) AS policy_index, CAST(NULL AS VARCHAR) AS policy, CAST(NULL AS INTEGER) AS app, CAST(NULL AS DATE) AS day WHERE FALSE"
    }`,
  );
  const policyProps = d.proposals.filter((p) => p.kind === "policy");
  const manualProps = d.proposals.filter((p) => p.kind === "manual");
  const propCols = ["tag", "mode", "kind", "by_name", "source", "priority"];
  const propTypes = ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT"];
  const propRow = (p: (typeof d.proposals)[number]) => [str(p.tag), str(p.mode), str(p.kind), str(p.by), str(p.source), String(p.priority)];
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_tags AS
WITH policy_tags AS (
${values(policyProps.map((p) => [str(p.policy!), ...propRow(p)]), ["policy", ...propCols], ["VARCHAR", ...propTypes])}
), manual_tags AS (
${values(manualProps.map((p) => [String(p.app), p.untilMs === undefined ? "NULL" : String(p.untilMs), ...propRow(p)]), ["app", "until_ms", ...propCols], ["INTEGER", "BIGINT", ...propTypes])}
), proposals AS (
  SELECT DISTINCT m.app, p.tag, p.mode, p.kind, p.by_name, p.source, p.priority FROM sanction_matches AS m JOIN policy_tags AS p ON p.policy = m.policy
  UNION ALL
  -- a manual decision applies until its \`until\`, measured at the end of the traffic window
  SELECT app, tag, mode, kind, by_name, source, priority FROM manual_tags
  WHERE until_ms IS NULL OR until_ms > coalesce((SELECT epoch_ms(max(last_time)) FROM sanction_raw_hosts), 0)
)
SELECT app, arg_min(tag, priority) AS tag, arg_min(mode, priority) AS mode, arg_min(kind, priority) AS kind,
  arg_min(by_name, priority) AS by_name, arg_min(source, priority) AS source
FROM proposals GROUP BY app`);
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_custom_tags AS
SELECT DISTINCT m.app, c.tag FROM sanction_matches AS m JOIN (
${values(d.customTags.map((c) => [str(c.policy), str(c.tag)]), ["policy", "tag"], ["VARCHAR", "VARCHAR"])}
) AS c ON c.policy = m.policy`);
  const alerting = d.policies.filter((p) => p.alertLimit !== undefined);
  // Alerts, exactly as the engine raises them from an empty state: days in order; on each
  // day, per policy, the matched apps not alerted for that policy in the last 90 days, by app,
  // up to the daily limit (an app held back by the limit may alert on a later day). A
  // recursive walk over the days carries the alerts raised so far.
  s.push(`CREATE OR REPLACE TEMP TABLE sanction_alerts AS
WITH RECURSIVE settings AS (
${values(alerting.map((p) => [str(p.name), str(p.severity), String(p.alertLimit)]), ["policy", "severity", "daily_limit"], ["VARCHAR", "VARCHAR", "INTEGER"])}
), cand AS (
  SELECT m.policy, m.app, m.day, s.daily_limit FROM sanction_matches AS m JOIN settings AS s ON s.policy = m.policy
), days AS (
  SELECT day, row_number() OVER (ORDER BY day) AS n FROM (SELECT DISTINCT day FROM cand)
), walk(n, last, alerts) AS (
  -- last: (policy, app) key → day of its last alert; alerts: every alert raised so far
  SELECT CAST(0 AS BIGINT), CAST(MAP() AS MAP(VARCHAR, DATE)), CAST([] AS STRUCT(policy VARCHAR, app INTEGER, day DATE)[])
  UNION ALL
  SELECT w.n + 1, map_concat(w.last, coalesce(today.keys, CAST(MAP() AS MAP(VARCHAR, DATE)))), list_concat(w.alerts, coalesce(today.raised, []))
  FROM walk AS w LEFT JOIN LATERAL (
    SELECT map(list(x.k), list(x.day)) AS keys, list({'policy': x.policy, 'app': x.app, 'day': x.day} ORDER BY x.policy, x.app) AS raised
    FROM (
      SELECT c.policy, c.app, c.day, c.daily_limit, c.policy || chr(0) || CAST(c.app AS VARCHAR) AS k,
        row_number() OVER (PARTITION BY c.policy ORDER BY c.app) AS r
      FROM cand AS c JOIN days AS d ON d.day = c.day
      WHERE d.n = w.n + 1 AND coalesce(c.day - w.last[c.policy || chr(0) || CAST(c.app AS VARCHAR)], 90) >= 90
    ) AS x WHERE x.r <= x.daily_limit
  ) AS today ON TRUE
  WHERE w.n < (SELECT count(*) FROM days)
), raised AS (
  SELECT unnest(alerts, recursive := true) FROM walk WHERE n = (SELECT count(*) FROM days)
)
SELECT r.policy, r.app, r.day, s.severity FROM raised AS r JOIN settings AS s ON s.policy = r.policy`);
  const name = "(SELECT name FROM sanction_apps AS a WHERE a.app = x.app) AS app_name";
  return {
    statements: s,
    results: {
      usage: `SELECT x.app, ${name}, strftime(x.day, '%Y-%m-%d') AS day, x.users, x.devices, x.ips, x.transactions, x.upload, x.download, x.traffic, epoch_ms(x.first_time) AS first_ms, epoch_ms(x.last_time) AS last_ms FROM sanction_usage AS x ORDER BY x.app, x.day`,
      appUsage: `SELECT x.app, ${name}, x.users, x.devices, x.ips, x.transactions, x.upload, x.download, epoch_ms(x.first_time) AS first_ms, epoch_ms(x.last_time) AS last_ms, x.days FROM sanction_app_usage AS x ORDER BY x.app`,
      matches: `SELECT x.policy_index, x.policy, x.app, ${name}, strftime(x.day, '%Y-%m-%d') AS day FROM sanction_matches AS x ORDER BY x.policy_index, x.app, x.day`,
      tags: `SELECT x.app, ${name}, x.tag, x.mode, x.kind, x.by_name, x.source FROM sanction_tags AS x ORDER BY x.app`,
      customTags: `SELECT x.app, ${name}, x.tag FROM sanction_custom_tags AS x ORDER BY x.app, x.tag`,
      alerts: `SELECT x.policy, x.app, ${name}, strftime(x.day, '%Y-%m-%d') AS day, x.severity FROM sanction_alerts AS x ORDER BY x.day, x.policy, x.app`,
      window: `SELECT coalesce(sum(n), 0) AS records, epoch_ms(min(first_time)) AS min_ms, epoch_ms(max(last_time)) AS max_ms,
  coalesce(sum(n) FILTER (WHERE coalesce(rtrim(raw, '.'), '') = ''), 0) AS without_host,
  (SELECT coalesce(sum(transactions), 0) FROM sanction_usage) AS attributed FROM sanction_raw_hosts`,
    },
  };
}

const HEADER = `-- Sanction discovery for DuckDB (generated by \`sanction compile --target duckdb\`; do not edit).
--
-- Input: a table or view named traffic, time in UTC:
--   traffic(time TIMESTAMP, "user" VARCHAR, device VARCHAR, src_ip VARCHAR, host VARCHAR,
--           dst_ip VARCHAR, url VARCHAR, bytes_up BIGINT, bytes_down BIGINT)
-- e.g. CREATE VIEW traffic AS SELECT * FROM read_parquet('logs/*.parquet');
-- host: the destination host (NULL or '' when only the URL is known); empty strings count as
-- missing users, devices and IPs.
--
-- Creates temporary tables sanction_usage (per app per UTC day), sanction_app_usage,
-- sanction_matches (policy, app, day), sanction_tags, sanction_custom_tags and sanction_alerts
-- (the 90-day rule and the daily limit, counting no alerts before this data), then reads them. New-app windows start on the first day an app
-- is seen in this data (the --state file of \`sanction simulate\` is not available here).
`;

/** The script as text: header, statements, then the result queries. */
export function renderDuckdb(plan: Plan): string {
  const sc = duckdbScript(plan);
  const r = sc.results;
  return [HEADER, ...sc.statements.map((x) => x + ";\n"), "-- results", ...[r.usage, r.matches, r.tags, r.customTags, r.alerts].map((x) => x + ";\n")].join("\n");
}
