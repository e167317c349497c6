import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { serializePlan, compile, type Plan } from "@sanction/compiler";
import { SourceFile } from "@sanction/diagnostics";
import { decide, emptyState, exportTotals, finishReport, mergeTotals, Pass1, Pass2, SinglePass, simulate, type EngineRecord, type EngineState, type SimulationReport } from "@sanction/engine";
import { arbCatalogApps, arbState, arbTraffic, arbWorkspace, runs } from "./generate.js";
import { AS_OF, FILE, prepare, toEngineState } from "./harness.js";
import { utcDay, type RefRecord } from "./reference.js";
import { rec, scenario } from "./scenario.js";

/*
 * Determinism: the same plan and records give byte-identical JSON whatever the batching; the
 * order of records does not change aggregates, matches, alerts or tags; splitting the records
 * into parts (the worker threads of `sanction simulate`) and merging pass one gives the same,
 * and so do the verdicts when the parts' warnings are settled together.
 */

const NUM_RUNS = runs(200, 1000);

const arbCase = arbCatalogApps().chain((apps) =>
  fc.record({
    apps: fc.constant(apps),
    workspace: arbWorkspace(apps),
    records: arbTraffic(40),
    state: arbState(
      apps.map((a) => a.id),
      ["P1 storage", "P2 new"],
    ),
    seed: fc.integer(),
    cuts: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
  }),
);

/** A deterministic shuffle (Fisher–Yates over a small LCG), so failures replay. */
function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Records shuffled within each UTC day, days kept in order. */
function shuffleWithinDays(records: readonly RefRecord[], seed: number): RefRecord[] {
  const days = [...new Set(records.map((r) => utcDay(r.time)))].sort();
  return days.flatMap((d, i) => shuffle(records.filter((r) => utcDay(r.time) === d), seed + i));
}

/** Everything in a report that does not depend on the order requests are replayed in (verdict counts do: warn bypasses). */
function orderFree(r: SimulationReport): unknown {
  return {
    window: r.window,
    totals: r.totals,
    apps: r.apps.map(({ verdicts: _v, ...a }) => a),
    policies: r.policies,
    alerts: r.alerts,
    suppressedAlerts: r.suppressedAlerts,
    tagConflicts: r.tagConflicts,
    indicators: r.indicators,
    unknownDomains: r.unknownDomains,
  };
}

const sim = async (p: Exclude<ReturnType<typeof prepare>, { errors: unknown }>, records: readonly RefRecord[], state: Parameters<typeof toEngineState>[0], batch: number) => {
  const batches: EngineRecord[][] = [];
  for (let i = 0; i < records.length; i += batch) batches.push(records.slice(i, i + batch) as EngineRecord[]);
  const s = toEngineState(state);
  return simulate(p.plan, () => batches, s ? { state: s } : {});
};

describe("determinism", () => {
  it(`the same plan and records give byte-identical reports and states, in any batching (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ apps, workspace, records, state }) => {
        const p = prepare(apps, workspace.text);
        if ("errors" in p) return;
        // compiling twice gives the same plan, byte for byte
        expect(serializePlan(compile(p.model, p.catalog, { sources: [new SourceFile(FILE, workspace.text)], asOf: AS_OF }))).toBe(serializePlan(p.plan));
        const a = await sim(p, records, state, 1);
        const b = await sim(p, records, state, 1000);
        expect(JSON.stringify(b.report)).toBe(JSON.stringify(a.report));
        expect(JSON.stringify(b.state)).toBe(JSON.stringify(a.state));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it(`records in another order give the same aggregates, matches, alerts and tags (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ apps, workspace, records, state, seed }) => {
        const p = prepare(apps, workspace.text);
        if ("errors" in p) return;
        const base = orderFree((await sim(p, records, state, 7)).report);
        expect(orderFree((await sim(p, shuffleWithinDays(records, seed), state, 7)).report)).toEqual(base);
        expect(orderFree((await sim(p, shuffle(records, seed), state, 7)).report)).toEqual(base);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it(`pass one over parts of the records, merged, equals pass one over all of them (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ apps, workspace, records, state, cuts }) => {
        const p = prepare(apps, workspace.text);
        if ("errors" in p) return;
        const whole = new Pass1(p.plan);
        whole.add(records as EngineRecord[]);
        // as the worker threads do: each part in its own Pass1, exported, merged in part order
        const bounds = [0, ...[...cuts].sort((x, y) => x - y).map((c) => Math.min(c, records.length)), records.length];
        const merged = new Pass1(p.plan);
        for (let i = 0; i + 1 < bounds.length; i++) {
          const part = new Pass1(p.plan);
          part.add(records.slice(bounds[i], bounds[i + 1]) as EngineRecord[]);
          merged.merge(structuredClone(part.export()));
        }
        const previous = toEngineState(state) ?? emptyState();
        const d1 = decide(p.plan, whole, previous);
        const d2 = decide(p.plan, merged, previous);
        const p2 = new Pass2(p.plan, d1.tags);
        p2.add(records as EngineRecord[]);
        expect(orderFree(finishReport(p.plan, merged, d2, p2))).toEqual(orderFree(finishReport(p.plan, whole, d1, p2)));
        expect(d2.state).toEqual(d1.state);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("the example hosts of an unknown domain do not depend on record order", async () => {
    // more than the 20 example hosts the report keeps for one registrable domain
    const hosts = Array.from({ length: 25 }, (_, i) => `h${String(i).padStart(2, "0")}.foo.com`);
    const forward = await scenario(`block domain bar.com\n`, hosts.map((h) => rec(h, "2026-03-01T10:00:00Z")));
    const backward = await scenario(`block domain bar.com\n`, [...hosts].reverse().map((h) => rec(h, "2026-03-01T10:00:00Z")));
    expect(forward.report.unknownDomains[0]!.transactions).toBe(25);
    expect(backward.report.unknownDomains).toEqual(forward.report.unknownDomains);
    expect(JSON.stringify(backward.report.unknownDomains)).toBe(JSON.stringify(forward.report.unknownDomains));
  });
});

describe("warn bypasses across parts (the worker threads of `sanction simulate --threads`)", () => {
  /**
   * What simulateParallel does with its threads: every part read by its own SinglePass, pass
   * one merged into the first part's in part order, the tags decided once; each part counts
   * its verdicts but the warnings, which it hands (by name, through a structured clone, as a
   * message between threads) to the first part; the first settles them all in time order.
   */
  async function overParts(plan: Plan, records: readonly RefRecord[], bounds: readonly number[], previous: EngineState) {
    const parts = bounds.slice(1).map((to, i) => {
      const part = new SinglePass(plan);
      part.add(records.slice(bounds[i], to) as EngineRecord[]);
      return part;
    });
    const [first, ...rest] = parts;
    for (const part of rest) first!.p1.merge(structuredClone(part.p1.export()));
    const decided = decide(plan, first!.p1, previous);
    const own = first!.finishExceptWarnings(decided.tags);
    const others = rest.map((part, i) => {
      const t = part.finishExceptWarnings(decided.tags);
      // small batches (1–3 warnings), so a part's warnings come in several
      const held = [...part.heldWarnings(1 + (i % 3))].map((h) => structuredClone(h));
      return { data: exportTotals(t, t.records), held };
    });
    expect(own.records + others.reduce((n, o) => n + o.data.records, 0)).toBeLessThanOrEqual(records.length);
    // the batches as they might arrive from threads: interleaved, the last part's first
    for (let k = 0; others.some((o) => k < o.held.length); k++) {
      for (let i = others.length - 1; i >= 0; i--) {
        const h = others[i]!.held[k];
        if (h !== undefined) first!.adoptWarnings(h, i + 1);
      }
    }
    const settled = first!.settleWarnings();
    const verdicts = mergeTotals([exportTotals(settled, settled.records), ...others.map((o) => o.data)]);
    return finishReport(plan, first!.p1, decided, verdicts);
  }

  it(`parts settled together give the report of one pass over all records, verdicts included (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ apps, workspace, records, state, cuts }) => {
        const p = prepare(apps, workspace.text);
        if ("errors" in p) return;
        const previous = toEngineState(state) ?? emptyState();
        const whole = await sim(p, records, state, 7);
        const bounds = [0, ...[...cuts].sort((x, y) => x - y).map((c) => Math.min(c, records.length)), records.length];
        const report = await overParts(p.plan, records, bounds, previous);
        expect(report.verdicts).toEqual(whole.report.verdicts);
        expect(JSON.stringify(report)).toBe(JSON.stringify(whole.report));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("a user warned in one part is let through in the next part within the bypass", async () => {
    const o = await scenario(`monitor app "Chirp"\n`, [], { reference: false });
    const records = [rec("www.chirp.com", "2026-03-01T10:00:00Z"), rec("www.chirp.com", "2026-03-01T11:00:00Z"), rec("www.chirp.com", "2026-03-02T12:00:00Z")];
    // the later part first: time decides, not which thread read what
    const report = await overParts(o.p.plan, [records[1]!, records[0]!, records[2]!], [0, 1, 2, 3], emptyState());
    expect(report.verdicts.total).toEqual({ allow: 1, audit: 0, warn: 2, block: 0, bypass: 1 });
  });
});
