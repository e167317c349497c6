import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { UsageTable, type EngineRecord, type SpillFile } from "@sanction/engine";
import { fcRuns } from "../support/arbitraries.js";

/*
 * Worker threads each fill a usage table over their part of the log and export it; the main
 * thread merges the exports into the table of its own part. Whatever the cuts, the order of
 * the records, the days the parts share, a spill file or the size of the window-wide groups,
 * the merged table must count what one table over all the records counts, and must keep
 * counting right when records come after the merge.
 */

const DAY = 86_400_000;
const T0 = Date.parse("2026-03-02T00:00:00Z");

interface Rec {
  readonly app: number;
  readonly unknownHost: string | undefined;
  readonly r: EngineRecord;
}

const arbRec: fc.Arbitrary<Rec> = fc
  .record({
    app: fc.integer({ min: 0, max: 5 }),
    unknown: fc.boolean(),
    day: fc.integer({ min: 0, max: 4 }),
    second: fc.integer({ min: 0, max: 86_399 }),
    // few values, so ids repeat across apps, days and kinds (a user name that is also a device)
    user: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    device: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    ip: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    domain: fc.integer({ min: 0, max: 3 }),
    bytes: fc.integer({ min: 0, max: 1000 }),
  })
  .map((x) => ({
    app: x.app,
    unknownHost: x.unknown ? `h${x.bytes % 3}.d${x.domain}.com` : undefined,
    r: {
      time: T0 + x.day * DAY + x.second * 1000,
      user: x.user === undefined ? undefined : `n${x.user}`,
      device: x.device === undefined ? undefined : `n${x.device}`,
      srcIp: x.ip === undefined ? undefined : x.ip === 0 ? "n0" : `10.0.0.${x.ip}`,
      host: "h",
      bytesUp: x.bytes,
      bytesDown: 1,
    },
  }));

function memorySpill(): () => SpillFile {
  const chunks: Uint8Array[] = [];
  return () => ({
    write: (b) => void chunks.push(Uint8Array.from(b)),
    read: (position, into) => into.set(Buffer.concat(chunks).subarray(position, position + into.length)),
    close: () => {},
  });
}

function fill(table: UsageTable, recs: readonly Rec[]): void {
  for (const x of recs) {
    if (x.unknownHost === undefined) table.add(x.app, x.r);
    else table.addUnknown(x.unknownHost, x.r);
  }
}

/** Everything a report or a policy reads from the table. */
function counts(t: UsageTable): unknown {
  const days: Record<string, unknown> = {};
  for (const [app, ds] of t.byApp) for (const [day, u] of ds) days[`${app} ${day}`] = [u.users.size, u.devices.size, u.ips.size, u.transactions, u.upload, u.download, u.first, u.last];
  const daily = t.daily();
  const flat: unknown[] = [];
  for (let app = 0; app + 1 < daily.start.length; app++)
    for (let e = daily.start[app]!; e < daily.start[app + 1]!; e++) flat.push([app, daily.day[e], ...daily.values.subarray(e * 6, e * 6 + 6)]);
  const unknown = Object.fromEntries([...t.unknown].map(([d, u]) => [d, [u.users.size, u.devices.size, u.transactions, u.bytes, [...u.hosts].sort()]]));
  return { days, daily: flat, totals: Object.fromEntries(t.appTotals()), unknown, firstSeen: Object.fromEntries(t.firstSeen()) };
}

describe("usage tables merged across threads", () => {
  it(`merging exports (whole or in parts) into the table of the first part equals one table over all records (${fcRuns(100)} runs)`, () => {
    fc.assert(
      fc.property(
        fc.array(arbRec, { maxLength: 120 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(arbRec, { maxLength: 20 }),
        fc.boolean(),
        fc.constantFrom(
          { windowPairs: 1 },
          { windowPairs: 3 },
          {},
          { spillBeforeCount: 0, readBackPairs: 1 },
          { spillBeforeCount: 4, readBackPairs: 5, windowPairs: 3 },
          // days frozen however small, left behind an hour after they end, a few pairs at a time
          { freezePairs: 1, partPairs: 2 },
          { freezePairs: 2, partPairs: 1, spillBeforeCount: 3, readBackPairs: 2 },
        ),
        fc.boolean(),
        // the export whole, or its day pairs sent in parts of at most this many pairs (as worker threads do)
        fc.constantFrom(0, 1, 2, 7),
        (recs, cuts, after, sorted, limits, spill, partPairs) => {
          // in time order (a log cut into byte ranges) or not (several files)
          const all = sorted ? [...recs].sort((a, b) => a.r.time - b.r.time) : recs;
          const bounds = [0, ...cuts.map((c) => c % (all.length + 1)).sort((a, b) => a - b), all.length];
          const table = (): UsageTable => new UsageTable(6, undefined, spill ? memorySpill() : undefined, limits);
          const whole = table();
          fill(whole, all);
          const merged = table();
          fill(merged, all.slice(bounds[0], bounds[1]));
          for (let i = 1; i + 1 < bounds.length; i++) {
            const part = table();
            fill(part, all.slice(bounds[i], bounds[i + 1]));
            if (partPairs === 0) merged.merge(structuredClone(part.export()));
            else {
              const m = merged.mergeHead(structuredClone(part.exportHead()));
              for (const p of part.exportParts(partPairs)) {
                expect(p.triples.length).toBeLessThanOrEqual(partPairs * 3);
                merged.mergePart(m, structuredClone(p));
              }
              merged.mergeEnd();
            }
          }
          expect(counts(merged)).toEqual(counts(whole));
          // records after the merge: days taken whole from an export are thawed and counted on
          fill(whole, after);
          fill(merged, after);
          expect(counts(merged)).toEqual(counts(whole));
        },
      ),
      { numRuns: fcRuns(100) },
    );
  });
});
