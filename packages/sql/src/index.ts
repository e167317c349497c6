export { discovery, TargetError, TARGETS, type Target, type Discovery, type DomainRow, type DiscoveryPolicy, type TagProposal } from "./discovery.js";
export { duckdbScript, renderDuckdb, type SqlScript } from "./duckdb.js";
export { openDuckDb, loadRecords, viewFiles, runDiscovery, TRAFFIC_DDL, type SqlTrafficRecord } from "./duckdb-run.js";
export type { DiscoveryRows, UsageRow, AppUsageRow, MatchRow, TagRow } from "./rows.js";
export { compileTarget } from "./target.js";
export { discoveryReport, matchesFromRows } from "./report.js";
export { kqlQueries, renderKql, type KqlQueries } from "./kql.js";
export { clickhouseQueries, renderClickhouse, type ClickHouseQueries } from "./clickhouse.js";
