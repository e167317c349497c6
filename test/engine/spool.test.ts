import { describe, expect, it } from "vitest";
import { builtinCatalog } from "@sanction/catalog";
import { compile } from "@sanction/compiler";
import { decide, emptyState, Pass2, SinglePass, Spool, SPOOL_CHUNK, SPOOL_MEMORY, type EngineRecord, type SpillFile } from "@sanction/engine";
import { analyze, effectiveCatalog, nodeFileHost } from "@sanction/semantics";
import * as path from "node:path";

/*
 * Requests that may be warned are spooled and replayed after the tags are decided, in time
 * order (equal times in input order); past the memory bound the spool goes to a spill file.
 * Whatever the bound, the verdicts equal the record-by-record VerdictEngine's (Pass2) over the
 * same records sorted by time.
 */

const root = path.resolve(__dirname, "../..");
const a = analyze(["samples/policies"], { root, host: nodeFileHost });
const plan = compile(a.model, effectiveCatalog(a.model, builtinCatalog(), { sources: a.sources }).catalog, { sources: a.sources, asOf: "2026-11-01" });

/** A spill file in memory that counts what went through it. */
function memorySpill() {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let closed = 0;
  const file: SpillFile = {
    write: (b) => {
      chunks.push(Uint8Array.from(b));
      bytes += b.length;
    },
    read: (position, into) => {
      const all = Buffer.concat(chunks);
      into.set(all.subarray(position, position + into.length));
    },
    close: () => void closed++,
  };
  return { factory: () => file, written: () => bytes, closed: () => closed };
}

// Yahoo Webmail is monitored in the samples (warned); Dropbox and Facebook are blocked
const HOSTS = ["mail.yahoo.com", "www.dropbox.com", "mail.yahoo.com", "mail.yahoo.com", "www.facebook.com", "mail.yahoo.com", "unknown.example.org"];
const N = 280_000;
const records: EngineRecord[] = Array.from({ length: N }, (_, i) => ({
  time: Date.parse("2026-03-01T00:00:00Z") + ((i * 7919) % N) * 1_000, // out of time order
  user: `user${i % 97}`,
  srcIp: `10.0.${i % 3}.${i % 200}`,
  host: HOSTS[i % HOSTS.length]!,
  bytesUp: i % 1000,
  bytesDown: 0,
}));

/** A stable sort by time: the order warnings and bypasses happen in. */
function inTimeOrder(rs: readonly EngineRecord[]): EngineRecord[] {
  return rs.map((r, i) => ({ r, i })).sort((a, b) => a.r.time - b.r.time || a.i - b.i).map(({ r }) => r);
}

function run(spill?: ReturnType<typeof memorySpill>, memoryBytes?: number) {
  const pass = new SinglePass(plan, { ...(spill ? { spill: spill.factory } : {}), ...(memoryBytes ? { spoolMemoryBytes: memoryBytes } : {}) });
  for (let i = 0; i < records.length; i += 4096) pass.add(records.slice(i, i + 4096));
  const d = decide(plan, pass.p1, emptyState());
  const spooled = pass.spooled;
  const totals = pass.finish(d.tags);
  return { totals, spooled, tags: d.tags };
}

describe("the spool of requests waiting for the tags", () => {
  it("gives the verdicts of VerdictEngine, in memory and spilled to a file", () => {
    const inMemory = run();
    expect(inMemory.spooled).toBeGreaterThan(65_536 * 2);
    const spill = memorySpill();
    const spilled = run(spill, 1);
    expect(spill.written()).toBeGreaterThan(0);
    expect(spill.closed()).toBe(1);
    const reference = new Pass2(plan, inMemory.tags);
    reference.add(inTimeOrder(records));
    for (const t of [inMemory.totals, spilled.totals]) {
      expect(t.total).toEqual(reference.total);
      expect(Object.fromEntries(t.byGroup)).toEqual(Object.fromEntries(reference.byGroup));
      expect(Object.fromEntries(t.byApp)).toEqual(Object.fromEntries(reference.byApp));
    }
    expect(reference.total.warn).toBeGreaterThan(0);
    expect(reference.total.bypass).toBeGreaterThan(0);
  });

  it("stays in memory below its bound", () => {
    const spill = memorySpill();
    run(spill, SPOOL_MEMORY);
    expect(spill.written()).toBe(0);
  });
});

describe("the spool's replay order", () => {
  const CHUNK = 65_536;
  /** Times for `n` pushes, by pattern. */
  const patterns: Record<string, (n: number) => number[]> = {
    "in time order": (n) => Array.from({ length: n }, (_, i) => 1_000 * i),
    "all at one time": (n) => Array.from({ length: n }, () => 5),
    "two logs, the newer first": (n) => Array.from({ length: n }, (_, i) => (i < n / 2 ? 1_000_000 + i : i)),
    "jitter (a log written at completion)": (n) => Array.from({ length: n }, (_, i) => 10 * i - ((i * 7919) % 97)),
    "no order": (n) => Array.from({ length: n }, (_, i) => (i * 48_271) % 9_973),
  };
  for (const [name, times] of Object.entries(patterns)) {
    for (const where of ["in memory", "spilled"] as const) {
      it(`${name}, ${where}: time order, equal times in push order`, () => {
        const n = 2 * CHUNK + 12_345;
        const t = times(n);
        const spill = memorySpill();
        const spool = where === "spilled" ? new Spool(spill.factory, 1) : new Spool();
        for (let i = 0; i < n; i++) spool.push(t[i]!, i % 7, i, i % 3, i % 5 === 0 ? i % 11 : -1);
        const got: number[] = [];
        let ok = true;
        spool.replay((time, ints, count) => {
          for (let k = 0; k < count; k++) {
            const i = ints[k * 4 + 1]!; // the push index, kept in the subject column
            got.push(i);
            if (time[k] !== t[i] || ints[k * 4] !== i % 7 || ints[k * 4 + 2] !== i % 3 || ints[k * 4 + 3] !== (i % 5 === 0 ? i % 11 : -1)) ok = false;
          }
        });
        spool.close();
        const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
        expect(ok).toBe(true);
        expect(got.length).toBe(n);
        expect(got).toEqual(want);
        if (where === "spilled") expect(spill.written()).toBeGreaterThan(0);
      });
    }
  }
});


describe("records adopted from other threads", () => {
  it("replay in time order, equal times by rank (the threads' share order) whatever the order they came in", () => {
    for (const where of ["in memory", "spilled"] as const) {
      const spool = where === "spilled" ? new Spool(memorySpill().factory, 1) : new Spool();
      // this thread's own records (rank 0), times 0, 10, 20, …
      for (let i = 0; i < 100_000; i++) spool.push(10 * i, 0, i, 0, -1);
      // share 2's chunk arrives before share 1's; both hold times equal to this thread's
      const share = (rank: number, n: number) => {
        const time = Float64Array.from({ length: n }, (_, i) => 10 * i);
        const ints = new Int32Array(n * 4);
        for (let i = 0; i < n; i++) ints.set([rank, i, 0, -1], i * 4);
        spool.adopt(time, ints, n, rank);
      };
      share(2, 70_000);
      share(1, 30_000);
      const got: [number, number, number][] = [];
      spool.replay((time, ints, count) => {
        for (let k = 0; k < count; k++) got.push([time[k]!, ints[k * 4]!, ints[k * 4 + 1]!]);
      });
      spool.close();
      expect(got).toHaveLength(200_000);
      const want = [...Array.from({ length: 100_000 }, (_, i) => [10 * i, 0, i]), ...Array.from({ length: 70_000 }, (_, i) => [10 * i, 2, i]), ...Array.from({ length: 30_000 }, (_, i) => [10 * i, 1, i])].sort(
        (a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!,
      );
      expect(got).toEqual(want);
    }
  });
});

describe("records adopted a few at a time", () => {
  it("fill whole chunks per rank, interleaved or not: the spill file holds the records, not a chunk per call", () => {
    const spill = memorySpill();
    const spool = new Spool(spill.factory, 1);
    const n = 200_000;
    // two threads' records, out of time order between them, arriving 2,048 at a time, interleaved
    const piece = (rank: number, from: number, count: number) => {
      const time = Float64Array.from({ length: count }, (_, i) => 3 * (from + i) + rank);
      const ints = new Int32Array(count * 4);
      for (let i = 0; i < count; i++) ints.set([rank, from + i, 0, -1], i * 4);
      spool.adopt(time, ints, count, rank);
    };
    for (let from = 0; from < n; from += 2048) {
      piece(2, from, Math.min(2048, n - from));
      piece(1, from, Math.min(2048, n - from));
    }
    // each rank's chunks fill up whatever the other rank does in between; one chunk is kept
    // under the bound, and each rank's last, partial chunk stays in memory
    const full = Math.floor(n / SPOOL_CHUNK);
    expect(spill.written()).toBe((2 * full - 1) * 24 * SPOOL_CHUNK);
    const got: number[] = [];
    spool.replay((time, ints, count) => {
      for (let k = 0; k < count; k++) got.push(time[k]!);
    });
    spool.close();
    expect(got).toHaveLength(2 * n);
    expect(got).toEqual([...got].sort((a, b) => a - b));
  });

  it("of one rank at a time take the spill file of pushed records", () => {
    const spill = memorySpill();
    const spool = new Spool(spill.factory, 1);
    const n = 300_000;
    for (let from = 0; from < n; from += 1000) {
      const count = Math.min(1000, n - from);
      const time = Float64Array.from({ length: count }, (_, i) => from + i);
      spool.adopt(time, new Int32Array(count * 4), count, 1);
    }
    // the last, partial chunk stays in memory; the first is the one kept under the bound
    expect(spill.written()).toBe((Math.ceil(n / SPOOL_CHUNK) - 2) * 24 * SPOOL_CHUNK);
    let seen = 0;
    for (const b of spool.batches()) seen += b.count;
    expect(seen).toBe(n);
    spool.close();
  });
});
