import { describe, expect, it } from "vitest";
import { UsageTable, type EngineRecord, type SpillFile } from "@sanction/engine";

/*
 * The usage table counts distinct users, devices and IPs per app per day with integer flags
 * in one hash table per day; days not being written are frozen (into the spill file when there
 * is one) and thawed when a record for them comes back. Whatever the order of the records, the
 * counts equal plain sets of strings.
 */

const DAY = 86_400_000;
const T0 = Date.parse("2026-03-02T00:00:00Z");

/** 6 days × 40 apps × 500 users: 20,000 distinct (app, user) pairs a day, more than a day table keeps unfrozen. */
function records(): EngineRecord[] & { app: number[] } {
  const out: EngineRecord[] = [];
  const apps: number[] = [];
  for (let day = 0; day < 6; day++)
    for (let i = 0; i < 24_000; i++) {
      const app = (i + day) % 40;
      apps.push(app);
      out.push({ time: T0 + day * DAY + (i % 86_000) * 1000, user: `u${Math.floor(i / 40) % 500}`, device: `d${(i * 31 + day) % 300}`, srcIp: `10.0.${day}.${i % 200}`, host: "h", bytesUp: i % 100, bytesDown: 1 });
    }
  return Object.assign(out, { app: apps });
}

/** Blocks of records in an order that keeps going back to earlier days. */
function interleaved<T>(xs: readonly T[], block: number): number[] {
  const blocks: number[][] = [];
  for (let i = 0; i < xs.length; i += block) blocks.push(Array.from({ length: Math.min(block, xs.length - i) }, (_, k) => i + k));
  const order: number[] = [];
  for (let b = 0; b < blocks.length; b++) order.push(...blocks[(b * 17) % blocks.length]!);
  return order;
}

function memorySpill(): { factory: () => SpillFile; bytes: () => number } {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  return {
    bytes: () => bytes,
    factory: () => ({
      write: (b) => {
        chunks.push(Uint8Array.from(b));
        bytes += b.length;
      },
      read: (position, into) => into.set(Buffer.concat(chunks).subarray(position, position + into.length)),
      close: () => {},
    }),
  };
}

describe("usage per app per day", () => {
  const rs = records();
  // the counts as plain sets
  const perDay = new Map<string, { users: Set<string>; devices: Set<string>; ips: Set<string>; tx: number }>();
  const perApp = new Map<number, { users: Set<string>; devices: Set<string>; ips: Set<string> }>();
  rs.forEach((r, i) => {
    const app = rs.app[i]!;
    const key = `${app} ${Math.floor(r.time / DAY)}`;
    const d = perDay.get(key) ?? { users: new Set(), devices: new Set(), ips: new Set(), tx: 0 };
    perDay.set(key, d);
    d.users.add(r.user!);
    d.devices.add(r.device!);
    d.ips.add(r.srcIp!);
    d.tx++;
    const a = perApp.get(app) ?? { users: new Set(), devices: new Set(), ips: new Set() };
    perApp.set(app, a);
    a.users.add(r.user!);
    a.devices.add(r.device!);
    a.ips.add(r.srcIp!);
  });

  for (const [name, order, spill, limits] of [
    ["in time order", rs.map((_, i) => i), undefined],
    ["going back to earlier days, frozen in memory", interleaved(rs, 5000), undefined],
    ["going back to earlier days, frozen in a spill file", interleaved(rs, 5000), memorySpill()],
    // the window-wide counts group a few apps' pairs at a time, reading the days again per group
    ["going back to earlier days, frozen in a spill file, window counted 10,000 pairs at a time", interleaved(rs, 5000), memorySpill(), { windowPairs: 10_000 }],
    ["in time order, window counted one app at a time", rs.map((_, i) => i), undefined, { windowPairs: 1 }],
    // the days still in hash tables spilled before the count, spilled days read back 1,000 pairs at a time
    ["in time order, live days spilled before the count, read back in pieces", rs.map((_, i) => i), memorySpill(), { spillBeforeCount: 100, readBackPairs: 1000 }],
    ["going back to earlier days, live days spilled before the count, read back in pieces", interleaved(rs, 5000), memorySpill(), { spillBeforeCount: 100, readBackPairs: 1000, windowPairs: 10_000 }],
  ] as const) {
    it(`equals sets of strings, ${name}`, () => {
      const table = new UsageTable(40, undefined, spill?.factory, limits);
      for (const i of order) table.add(rs.app[i]!, rs[i]!);
      const got: Record<string, number[]> = {};
      for (const [app, days] of table.byApp) for (const [day, u] of days) got[`${app} ${day}`] = [u.users.size, u.devices.size, u.ips.size, u.transactions];
      const want: Record<string, number[]> = {};
      for (const [key, d] of perDay) want[key] = [d.users.size, d.devices.size, d.ips.size, d.tx];
      expect(got).toEqual(want);
      const totals = table.appTotals();
      for (const [app, a] of perApp) expect([app, totals.get(app)!.users, totals.get(app)!.devices, totals.get(app)!.ips]).toEqual([app, a.users.size, a.devices.size, a.ips.size]);
      if (spill) expect(spill.bytes()).toBeGreaterThan(0);
      // merging an export gives the same counts
      const merged = new UsageTable(40);
      merged.merge(structuredClone(table.export()));
      const again: Record<string, number[]> = {};
      for (const [app, days] of merged.byApp) for (const [day, u] of days) again[`${app} ${day}`] = [u.users.size, u.devices.size, u.ips.size, u.transactions];
      expect(again).toEqual(want);
      table.close();
    });
  }
});
