import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTraffic } from "@sanction/traffic";

/*
 * The reader streams: batches arrive while the file is being read, none is large, and memory
 * stays flat. The default run reads a 30 MiB log; SANCTION_TRAFFIC_STREAM_MB=200 reads a
 * larger one and checks RSS (bench/traffic.ts does the same in a fresh process).
 */
const dir = mkdtempSync(path.join(tmpdir(), "sanction-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function squidLog(mib: number): Promise<{ file: string; lines: number }> {
  const file = path.join(dir, `access-${mib}.log`);
  const out = createWriteStream(file);
  let bytes = 0;
  let lines = 0;
  let buf = "";
  while (bytes < mib * (1 << 20)) {
    const t = 1795158000 + lines * 0.037;
    const line = `${t.toFixed(3)} ${String(lines % 9000).padStart(6, " ")} 10.20.${lines % 9}.${(lines % 250) + 1} TCP_TUNNEL/200 ${lines % 90000} CONNECT host${lines % 5000}.example.net:443 user${lines % 300} HIER_DIRECT/198.51.100.${lines % 250} -\n`;
    buf += line;
    bytes += line.length;
    lines++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end(buf);
  await once(out, "finish");
  return { file, lines };
}

async function readStreaming(file: string): Promise<{ records: number; batches: number; largest: number; peakGrowth: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  let records = 0;
  let batches = 0;
  let largest = 0;
  for await (const batch of readTraffic(file)) {
    batches++;
    records += batch.length;
    largest = Math.max(largest, batch.length);
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  return { records, batches, largest, peakGrowth: (peak - start) / (1 << 20) };
}

describe("streaming", () => {
  it("a 30 MiB log arrives in many small batches", async () => {
    const { file, lines } = await squidLog(30);
    const r = await readStreaming(file);
    expect(r.records).toBe(lines);
    expect(r.batches).toBeGreaterThan(20);
    expect(r.largest).toBeLessThan(20_000);
  });

  it.skipIf(!process.env["SANCTION_TRAFFIC_STREAM_MB"])("a large log is read with flat memory", async () => {
    const mib = Number(process.env["SANCTION_TRAFFIC_STREAM_MB"]);
    const { file, lines } = await squidLog(mib);
    const r = await readStreaming(file);
    expect(r.records).toBe(lines);
    expect(r.peakGrowth).toBeLessThan(150);
  });
});
