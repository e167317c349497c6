import type { Plan } from "@sanction/compiler";
import { discovery, type Discovery } from "./discovery.js";

/*
 * ClickHouse SQL for the discovery part of a plan, for old servers (Debian's 18.16) and new
 * ones alike: no CTEs, no window functions, at most one JOIN per SELECT (subqueries nest), only
 * equi-joins (USING), no query parameters, DateTime rather than DateTime64. Every result is
 * one self-contained SELECT over a table named `traffic` (a MergeTree or a Distributed table):
 *
 *   traffic(time DateTime, user String, device String, src_ip String, host String,
 *           dst_ip String, url String, bytes_up UInt64, bytes_down UInt64)
 *
 * `time` is UTC (seconds); empty strings are missing values; `host` may be empty when the URL
 * has it. Days are UTC day numbers (`intDiv(toUInt32(time), 86400)`), whatever the server's
 * time zone; `day_name` gives the date. The app-domain table travels inline as arrays.
 */

export interface ClickHouseQueries {
  readonly usage: string;
  readonly appUsage: string;
  readonly matches: string;
  readonly tags: string;
  readonly customTags: string;
}

/** A string literal: ClickHouse reads backslash escapes in quotes. */
export const chstr = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

const HOST = `replaceRegexpOne(lower(if(host != '', host, extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)'))), '\\\\.+$', '')`;

type ColType = "String" | "UInt32" | "UInt8" | "UInt64" | "Int64";
/** Rows as a SELECT over system.one (ARRAY JOIN of one array per column), typed; an empty set selects nothing. */
function inline(columns: readonly (readonly [string, ColType])[], rows: readonly (readonly (string | number)[])[]): string {
  // signed values are typed one by one: [-1, 1772323200000] has no common type on old servers
  const lit = (v: string | number, t: ColType) => (t === "String" ? chstr(String(v)) : t === "Int64" ? `toInt64(${v})` : String(v));
  if (rows.length === 0) return `SELECT ${columns.map(([c, t]) => `to${t}(${t === "String" ? "''" : "0"}) AS ${c}`).join(", ")} FROM system.one WHERE 0`;
  const arrays = columns.map(([c, t], i) => `[${rows.map((r) => lit(r[i]!, t)).join(", ")}] AS src_${c}`);
  return `SELECT ${columns.map(([c, t]) => `to${t}(src_${c}) AS ${c}`).join(", ")} FROM system.one ARRAY JOIN ${arrays.join(", ")}`;
}

const indent = (s: string, n = 2) => s.replace(/\n/g, "\n" + " ".repeat(n));

export function clickhouseQueries(plan: Plan, d: Discovery = discovery(plan)): ClickHouseQueries {
  const domains = inline(
    [
      ["domain", "String"],
      ["app", "UInt32"],
      ["subtree", "UInt8"],
    ],
    d.domains.map((r) => [r.domain, r.app, r.subtree ? 1 : 0]),
  );
  const hostApps = `SELECT host, argMax(app, key) AS app
FROM (
  SELECT host, app, length(domain) * 2 + (1 - subtree) AS key
  FROM (
    SELECT host, arrayJoin(arrayMap(i -> arrayStringConcat(arraySlice(splitByChar('.', host), i), '.'), arrayEnumerate(splitByChar('.', host)))) AS domain
    FROM (SELECT DISTINCT ${HOST} AS host FROM traffic)
    WHERE host != '' AND length(host) <= 253 AND substring(host, 1, 1) != '.' AND position(host, '..') = 0 AND NOT match(host, '[^.]{64}')
  )
  ALL INNER JOIN (
    ${indent(domains, 4)}
  ) USING domain
  WHERE subtree = 1 OR domain = host
)
GROUP BY host`;
  const attributed = (select: string, groupBy: string) => `SELECT ${select}
FROM (
  SELECT ${HOST} AS host, intDiv(toUInt32(time), 86400) AS day, user, device, src_ip, bytes_up, bytes_down, time
  FROM traffic
)
ALL INNER JOIN (
  ${indent(hostApps)}
) USING host
GROUP BY ${groupBy}`;
  const counts = `uniqExactIf(user, user != '') AS users, uniqExactIf(device, device != '') AS devices, uniqExactIf(src_ip, src_ip != '') AS ips,
  count() AS transactions, sum(bytes_up) AS upload, sum(bytes_down) AS download, toUInt32(min(time)) AS first_s, toUInt32(max(time)) AS last_s`;
  const usage = attributed(`app, day, ${counts}`, "app, day");
  const appUsage = attributed(`app, ${counts}, uniqExact(day) AS days`, "app");

  const windowed = d.policies.some((p) => p.firstSeenWithinDays !== undefined);
  const conds = d.policies.map((p) => {
    const parts: string[] = [];
    if (p.candidates !== "all") parts.push(p.candidates.length ? `app IN (${p.candidates.join(", ")})` : "0");
    for (const t of p.thresholds) parts.push(`${t.metric === "traffic" ? "(upload + download)" : t.metric} ${t.op} ${t.value}`);
    if (p.firstSeenWithinDays !== undefined) parts.push(`day < first_day + ${p.firstSeenWithinDays}`);
    return `if(${parts.length ? parts.join(" AND ") : "1"}, ${chstr(p.name)}, '')`;
  });
  const usageWithFirst = windowed
    ? `SELECT * FROM (
  ${indent(usage)}
)
ALL INNER JOIN (
  SELECT app, min(day) AS first_day FROM (
    ${indent(usage, 4)}
  ) GROUP BY app
) USING app`
    : usage;
  const matches =
    conds.length === 0
      ? "SELECT '' AS policy, toUInt32(0) AS app, toUInt32(0) AS day FROM system.one WHERE 0"
      : `SELECT policy, app, day
FROM (
  SELECT app, day, arrayFilter(x -> x != '', [
    ${conds.join(",\n    ")}
  ]) AS policies
  FROM (
    ${indent(usageWithFirst, 4)}
  )
)
ARRAY JOIN policies AS policy`;
  const matchedPairs = `SELECT DISTINCT policy, app FROM (
    ${indent(matches, 4)}
  )`;
  const policyProps = d.proposals.filter((p) => p.kind === "policy");
  const manualProps = d.proposals.filter((p) => p.kind === "manual");
  const propCols = [
    ["tag", "String"],
    ["mode", "String"],
    ["kind", "String"],
    ["by_name", "String"],
    ["source", "String"],
    ["priority", "UInt64"],
  ] as const;
  const prop = (p: Discovery["proposals"][number]) => [p.tag, p.mode, p.kind, p.by, p.source, p.priority];
  const tags = `SELECT app, argMin(tag, priority) AS tag, argMin(mode, priority) AS mode, argMin(kind, priority) AS kind, argMin(by_name, priority) AS by_name, argMin(source, priority) AS source
FROM (
  SELECT toUInt32(app) AS app, tag, mode, kind, by_name, source, priority
  FROM (
  ${indent(matchedPairs)}
  )
  ALL INNER JOIN (
    ${indent(inline([["policy", "String"], ...propCols], policyProps.map((p) => [p.policy!, ...prop(p)])), 4)}
  ) USING policy
  UNION ALL
  -- a manual decision applies until its \`until\` (ms; -1: none), measured at the end of the traffic window
  SELECT app, tag, mode, kind, by_name, source, priority
  FROM (
    ${indent(inline([["app", "UInt32"], ["until_ms", "Int64"], ...propCols], manualProps.map((p) => [p.app!, p.untilMs ?? -1, ...prop(p)])), 4)}
  )
  WHERE until_ms < 0 OR until_ms > (SELECT toInt64(toUInt32(max(time))) * 1000 FROM traffic)
)
GROUP BY app`;
  const customTags = `SELECT DISTINCT app, tag
FROM (
  ${indent(matchedPairs)}
)
ALL INNER JOIN (
  ${indent(inline([["policy", "String"], ["tag", "String"]], d.customTags.map((c) => [c.policy, c.tag])))}
) USING policy`;
  const dayName = (q: string, cols: string) => `SELECT ${cols}, toString(toDate(toUInt16(day))) AS day_name FROM (\n  ${indent(q)}\n)`;
  return {
    usage: dayName(usage, "*") + "\nORDER BY app, day",
    appUsage: appUsage + "\nORDER BY app",
    matches: dayName(matches, "policy, app, day") + "\nORDER BY policy, app, day",
    tags: tags + "\nORDER BY app",
    customTags: customTags + "\nORDER BY app, tag",
  };
}

const HEADER = `-- Sanction discovery for ClickHouse (generated by \`sanction compile --target clickhouse\`; do not edit).
-- Runs on old (18.16) and new servers: no CTEs, window functions or query parameters, one JOIN
-- per SELECT. Input: a table (or Distributed table) named traffic, time in UTC:
--   traffic(time DateTime, user String, device String, src_ip String, host String,
--           dst_ip String, url String, bytes_up UInt64, bytes_down UInt64)
-- Empty strings are missing values. Each query below is complete; days are UTC day numbers
-- (day_name is the date). New-app windows start at the first day an app is seen in this data.
-- The app-domain table travels inline, so a query can pass the default max_query_size (256 KiB):
-- run them with it raised (clickhouse-client --max_query_size=16777216, or the HTTP parameter).
-- Alerts are not computed here (18.16 has no recursion): apply the 90-day rule and the daily
-- limit to the matches, or use --target duckdb, which computes them.
`;

export function renderClickhouse(plan: Plan): string {
  const q = clickhouseQueries(plan);
  const title: Record<keyof ClickHouseQueries, string> = {
    usage: "usage per app per UTC day",
    appUsage: "usage per app over the whole window",
    matches: "matches: (policy, app, day) where every threshold holds that day",
    tags: "tags: manual decisions over policies, then unsanctioned > monitored > sanctioned",
    customTags: "custom tags from matched policies",
  };
  return [HEADER, ...(Object.keys(title) as (keyof ClickHouseQueries)[]).map((k) => `-- ---- query: ${title[k]} ----\n${q[k]};\n`)].join("\n");
}
