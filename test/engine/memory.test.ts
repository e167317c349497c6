import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { builtinCatalog } from "@sanction/catalog";
import { compile } from "@sanction/compiler";
import { SinglePass, type EngineRecord } from "@sanction/engine";
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
});
