import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

// The samples' simulation, as a reviewer reads it: any change to the engine, the catalog, the
// readers or the samples shows up here as a diff. `--year` pins year-less syslog stamps.
const root = path.resolve(__dirname, "../..");

describe("golden simulation report of the samples", () => {
  for (const [format, ext] of [["md", "md"], ["table", "txt"]] as const) {
    it(format, async () => {
      const r = await runCli(["simulate", "samples/policies", "--traffic", "samples/traffic", "--year", "2026", "--as-of", "2026-11-01", "--report", format], root);
      expect(r.code, r.stderr).toBe(0);
      expectGolden(r.stdout, path.join(root, "test/golden", `samples-report.${ext}`));
    });
  }
});
