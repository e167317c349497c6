import * as path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "@sanction/compiler";
import { compileTarget, kqlQueries, TargetError } from "@sanction/sql";
import { arbCatalogApps, arbWorkspace, runs } from "../engine/generate.js";
import { prepare } from "../engine/harness.js";
import { expectGolden } from "../support/golden.js";
import { kqlDiagnostics } from "./kusto.js";
import { compileSamples } from "./samples.js";
import { elide } from "./elide.js";

/*
 * Every generated KQL query has zero diagnostics from the Kusto language service against the
 * DeviceNetworkEvents schema (kusto.ts); goldens show the queries for the samples (long
 * datatables elided); byte thresholds are a compile error naming the policy and the target.
 */

const GOLDEN = path.resolve(import.meta.dirname, "golden");
const BYTES = new Set(["upload", "download", "traffic"]);
const withoutByteThresholds = (plan: Plan): Plan => ({ ...plan, policies: plan.policies.filter((p) => !p.thresholds.some((t) => BYTES.has(t.metric))) });

let samples: Plan;
beforeAll(() => {
  samples = compileSamples();
});

function expectClean(plan: Plan): void {
  const q = kqlQueries(plan);
  for (const name of ["usage", "matches", "tags"] as const) expect(kqlDiagnostics(`${q.prelude}\n${q[name]}`), name).toEqual([]);
}

describe("KQL for Defender Advanced Hunting", () => {
  it("the language service catches a wrong column (the check is live)", () => {
    expect(kqlDiagnostics("DeviceNetworkEvents | where RemoteURL == 'x'").join()).toMatch(/RemoteURL/);
    expect(kqlDiagnostics("DeviceNetworkEvents | summarize count_distinctif(DeviceName, isnotempty(DeviceName)) by bin(Timestamp, 1d)")).toEqual([]);
  });

  it("samples (without their byte-threshold policies): zero diagnostics, and the golden queries", () => {
    const plan = withoutByteThresholds(samples);
    expect(plan.policies.length).toBeGreaterThan(5);
    expectClean(plan);
    expectGolden(elide(compileTarget(plan, "kql")), path.join(GOLDEN, "samples.kql"));
  });

  it("samples with byte thresholds: a compile error naming the policy, the construct and the target", () => {
    let err: unknown;
    try {
      compileTarget(samples, "kql");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TargetError);
    const e = err as TargetError;
    expect(e.target).toBe("kql");
    expect(samples.policies.some((p) => p.name === e.policy)).toBe(true);
    expect(e.message).toMatch(/^policy ".+" \(.+:\d+:\d+\): the byte threshold `(upload|download|traffic) [<>]=? \d+ per day` cannot be expressed for --target kql: DeviceNetworkEvents has no byte counts/);
  });

  it(`random plans: zero diagnostics, or the byte-threshold error (${runs(60, 300)} runs)`, () => {
    let checked = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        arbCatalogApps().chain((apps) => fc.record({ apps: fc.constant(apps), workspace: arbWorkspace(apps, { observer: false }) })),
        ({ apps, workspace }) => {
          const p = prepare(apps, workspace.text);
          if ("errors" in p) return;
          if (p.plan.policies.some((x) => x.thresholds.some((t) => BYTES.has(t.metric)))) {
            expect(() => kqlQueries(p.plan)).toThrow(TargetError);
            rejected++;
            return;
          }
          expectClean(p.plan);
          checked++;
        },
      ),
      { numRuns: runs(60, 300) },
    );
    expect(checked).toBeGreaterThan(5);
    expect(rejected).toBeGreaterThan(0);
  });
});
