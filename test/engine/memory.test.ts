import { describe, expect, it } from "vitest";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { builtinCatalog } from "@sanction/catalog";
import { compile } from "@sanction/compiler";
import { SinglePass, UsageTable, type EngineRecord, type SpillFile } from "@sanction/engine";
import { analyze, effectiveCatalog, nodeFileHost } from "@sanction/semantics";
import { readTraffic } from "@sanction/traffic";

/*
 * What a run keeps (user names, unknown hosts, example hosts, cache keys, rejected samples) must
 * not keep the text it was read from: a reader slices fields out of a whole block of lines, and
 * V8 keeps a slice as a view of its parent. A log where new users and hosts keep appearing would
 * otherwise hold most of itself in memory, breaking "memory flat in the size of the log".
 */

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** The JS heap and the memory outside it (Node keeps a decoded text of a megabyte or more outside the heap). */
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

/** Collect, let the freed buffers' memory go back (a background task does it), collect again. */
async function settle(): Promise<void> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
}

const root = path.resolve(__dirname, "../..");
const a = analyze(["samples/policies"], { root, host: nodeFileHost });
const plan = compile(a.model, effectiveCatalog(a.model, builtinCatalog(), { sources: a.sources }).catalog, { sources: a.sources, asOf: "2026-11-01" });

describe("memory kept by a run", () => {
  it("does not grow with the log when every block brings new users, hosts and rejected lines", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sanction-memory-"));
    try {
      const file = path.join(dir, "access.log");
      const lines: string[] = [];
      const start = Date.parse("2026-11-01T00:00:00Z") / 1000;
      for (let i = 0; i < 480_000; i++) {
        const t = (start + i * 0.5).toFixed(3);
        // a new user every 400 lines (about one per 64 KiB block read), a new unknown host every 1,000, a bad line every 5,000
        if (i % 5_000 === 4_999) lines.push(`not a squid line, number ${i} of the generated log`);
        const host = i % 1_000 === 0 ? `cdn-${i}.unknown-site-${i}.example` : "www.dropbox.com";
        lines.push(`${t}     42 10.0.${i % 250}.${i % 200} TCP_TUNNEL/200 1234 CONNECT ${host}:443 person.number.${Math.floor(i / 400)}@contoso.example.com HIER_DIRECT/203.0.113.${i % 250} -`);
      }
      writeFileSync(file, lines.join("\n") + "\n");
      lines.length = 0;
      const size = (await import("node:fs")).statSync(file).size;
      expect(size).toBeGreaterThan(64 * 2 ** 20);

      await settle();
      const before = used();
      const pass = new SinglePass(plan);
      const rejected: string[] = [];
      for await (const batch of readTraffic(file, { onReject: (r) => rejected.push(r.sample) })) pass.add(batch as EngineRecord[]);
      await settle();
      const kept = used() - before;
      // what the run needs (1,200 users, 480 hosts, 96 samples, the pass's tables and matchers)
      // is 10-20 MB depending on when V8 collects; pinned blocks would be the whole log (70-90 MB)
      expect(pass.p1.records).toBe(480_000);
      expect(rejected).toHaveLength(96);
      expect(pass.p1.usage.ids.size).toBeGreaterThan(1_200);
      expect(kept, `${(kept / 2 ** 20).toFixed(1)} MiB kept after reading ${(size / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(size / 2);
      pass.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("lets go of a busy day's table an hour after the log has left that day", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sanction-memory-"));
    try {
      let files = 0;
      const spill = (): SpillFile => {
        const fd = openSync(path.join(dir, `spill-${files++}`), "w+");
        let end = 0;
        return {
          write: (b) => void (end += writeSync(fd, b, 0, b.length, end)),
          read: (position, into) => void readSync(fd, into, 0, into.length, position),
          close: () => closeSync(fd),
        };
      };
      // (frozen a small part at a time: the part buffer, 6 MiB by default, is kept for the next day)
      const table = new UsageTable(200, undefined, spill, { partPairs: 1 << 14 });
      const day0 = Date.parse("2026-11-02T00:00:00Z");
      // 500,000 (app, user) pairs on day 0: a table of 2^20 entries, 9 MiB
      for (let i = 0; i < 500_000; i++) table.addIds(i % 200, day0 + Math.floor(i / 10), Math.floor(i / 200), -1, -1, 1, 1);
      // the next day begins: its table starts as big as the day before, and day 0 is still live
      table.addIds(0, day0 + 86_400_000, 0, -1, -1, 1, 1);
      await settle();
      const bothLive = process.memoryUsage().arrayBuffers;
      // an hour and a minute into day 1, day 0 is frozen into the spill file
      for (let m = 1; m <= 61; m++) table.addIds(m % 200, day0 + 86_400_000 + m * 60_000, 1, -1, -1, 1, 1);
      await settle();
      const freed = bothLive - process.memoryUsage().arrayBuffers;
      expect(freed, `${(freed / 2 ** 20).toFixed(1)} MiB freed`).toBeGreaterThan(6 * 2 ** 20);
      // and is counted as before
      expect(table.byApp.get(7)!.size).toBe(2);
      expect(table.byApp.get(7)!.get(Math.floor(day0 / 86_400_000))!.users.size).toBe(2_500);
      table.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
