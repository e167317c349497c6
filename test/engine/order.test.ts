import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { orderBy, ranks } from "../../packages/engine/src/order.js";
import { fcRuns } from "../support/arbitraries.js";

/*
 * Alerts and the report's policy matches are sorted by day, policy name and app through the
 * ranks of the strings: the order must be the one a stable sort comparing the strings gives,
 * whichever way orderBy sorts (a counting sort per column, or comparisons when the key
 * columns are much wider than the number of records).
 */

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("ordering by ranked string keys", () => {
  it(`equals a stable sort by the strings, then a number (${fcRuns()} runs)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.constantFrom("2026-03-01", "2026-03-02", "2026-02-28", "2025-12-31"), name: fc.string({ maxLength: 3 }), app: fc.nat(5000) }), { maxLength: 300 }),
        (rows) => {
          const days = ranks(rows.map((r) => r.day));
          const names = ranks(rows.map((r) => r.name));
          const got = orderBy(rows.length, [
            { key: days.rank, size: days.count },
            { key: names.rank, size: names.count },
            { key: rows.map((r) => r.app), size: 5001 },
          ]);
          const want = rows.map((_, i) => i).sort((a, b) => cmp(rows[a]!.day, rows[b]!.day) || cmp(rows[a]!.name, rows[b]!.name) || rows[a]!.app - rows[b]!.app);
          expect([...got]).toEqual(want);
        },
      ),
      { numRuns: fcRuns() },
    );
  });

  it("gives equal strings equal ranks, in string order", () => {
    const { rank, count } = ranks(["b", "a", "b", "", "a"]);
    expect([...rank]).toEqual([2, 1, 2, 0, 1]);
    expect(count).toBe(3);
  });
});
