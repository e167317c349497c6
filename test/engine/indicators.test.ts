import { describe, expect, it } from "vitest";
import { builtinCatalog } from "@sanction/catalog";
import { compile } from "@sanction/compiler";
import { decide, emptyState, Pass2, SinglePass, type EngineRecord } from "@sanction/engine";
import { analyze, effectiveCatalog, nodeFileHost } from "@sanction/semantics";
import * as path from "node:path";

/*
 * A manual domain decision covers the domain and its subdomains, nothing else. With few decided
 * domains the single pass checks a host against each by label suffix before the domain trie;
 * the verdicts must equal the record-by-record VerdictEngine's (Pass2) for hosts at, under,
 * beside and around the decided domain.
 */

const root = path.resolve(__dirname, "../..");
const a = analyze(["samples/policies"], { root, host: nodeFileHost });
const plan = compile(a.model, effectiveCatalog(a.model, builtinCatalog(), { sources: a.sources }).catalog, { sources: a.sources, asOf: "2026-11-01" });

// samples/policies/manual.sanction: block domain "filedropper.com" (until 2027-01-01)
const UNDER = ["filedropper.com", "www.filedropper.com", "a.b.filedropper.com"];
const BESIDE = ["xfiledropper.com", "filedropper.com.example.org", "filedropper.co", "iledropper.com", "com", "mail.yahoo.com", "unknown.example.org"];

function records(hosts: readonly string[]): EngineRecord[] {
  return hosts.flatMap((host, h) =>
    Array.from({ length: 5 }, (_, i) => ({ time: Date.parse("2026-11-20T00:00:00Z") + (h * 5 + i) * 60_000, user: `user${i % 3}`, srcIp: `10.0.0.${i}`, host, bytesUp: 1, bytesDown: 0 })),
  );
}

function verdicts(rs: readonly EngineRecord[]) {
  const pass = new SinglePass(plan);
  pass.add(rs);
  const d = decide(plan, pass.p1, emptyState());
  const totals = pass.finish(d.tags);
  const reference = new Pass2(plan, d.tags);
  reference.add(rs);
  return { totals, reference };
}

describe("manual domain decisions in the single pass", () => {
  it("block the decided domain and its subdomains, as VerdictEngine does", () => {
    const { totals, reference } = verdicts(records(UNDER));
    expect(totals.total).toEqual(reference.total);
    expect(totals.total.block).toBe(UNDER.length * 5);
  });

  it("leave hosts that only share characters with it alone, as VerdictEngine does", () => {
    const { totals, reference } = verdicts(records(BESIDE));
    expect(totals.total).toEqual(reference.total);
    expect(Object.fromEntries(totals.byApp)).toEqual(Object.fromEntries(reference.byApp));
    // nothing here is blocked by the decision: the unknown hosts are allowed
    expect(totals.total.allow).toBeGreaterThanOrEqual(5 * 6);
  });

  it("leave a host with a trailing dot to the domain trie (the readers strip it), as VerdictEngine does", () => {
    const { totals, reference } = verdicts(records(["filedropper.com.", "www.filedropper.com."]));
    expect(totals.total).toEqual(reference.total);
  });
});
