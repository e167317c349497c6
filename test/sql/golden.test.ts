import * as path from "node:path";
import { describe, it } from "vitest";
import { compileTarget } from "@sanction/sql";
import { expectGolden } from "../support/golden.js";
import { elide } from "./elide.js";
import { compileSamples } from "./samples.js";

/* The DuckDB and ClickHouse queries for samples/policies (long inline tables elided; kql.test.ts has the KQL golden). */

const GOLDEN = path.resolve(import.meta.dirname, "golden");

describe("golden queries for the samples", () => {
  const plan = compileSamples();
  it("duckdb", () => expectGolden(elide(compileTarget(plan, "duckdb")), path.join(GOLDEN, "samples.duckdb.sql")));
  it("clickhouse", () => expectGolden(elide(compileTarget(plan, "clickhouse")), path.join(GOLDEN, "samples.clickhouse.sql")));
});
