import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { builtinCatalog } from "@sanction/catalog";
import { compile } from "@sanction/compiler";
import { simulate, type SimulationReport } from "@sanction/engine";
import { analyze, effectiveCatalog, nodeFileHost } from "@sanction/semantics";
import { TrafficReader, type RejectedLine } from "@sanction/traffic";
import { planShares, simulateParallel, startWorkers, MAIN_EXTRA_BYTES, PARALLEL_MIN_BYTES } from "../../packages/cli/src/parallel/run-parallel.js";
import { trafficInput } from "../../packages/cli/src/traffic-source.js";
import { displayFrom } from "../../packages/cli/src/paths.js";
import { HELD_WINDOW } from "../../packages/cli/src/parallel/protocol.js";
import { Credit } from "../../packages/cli/src/parallel/credit.js";

/*
 * Worker threads give the report one thread gives: small files shared out whole, big logs cut
 * into line-aligned byte ranges where the threads' shares end, with rejected lines at their true
 * line numbers.
 */

const root = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "sanction-parallel-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTS = ["www.dropbox.com", "www.facebook.com", "mail.yahoo.com", "www.chirp.com", "files.example-unknown.org", "cdn.other-unknown.net"];

/** Squid native lines; every `badEvery`th line is not a Squid line. */
function squid(count: number, badEvery = 997): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = (Date.parse("2026-03-01T00:00:00Z") / 1000 + i * 3).toFixed(3);
    out.push(
      i % badEvery === 500
        ? `garbage line ${i} that no parser takes`
        : `${t}     42 10.0.${i % 7}.${i % 50} TCP_TUNNEL/200 ${1000 + (i % 977)} CONNECT ${HOSTS[i % HOSTS.length]}:443 user${i % 40}@contoso.com HIER_DIRECT/203.0.113.5 -`,
    );
  }
  return out.join("\n") + "\n";
}

/** `text` with the line that holds byte `at` replaced by a line of the same length that is rejected. */
function breakLineAt(text: string, at: number): string {
  const start = text.lastIndexOf("\n", at - 1) + 1;
  const end = text.indexOf("\n", at);
  return text.slice(0, start) + "#".repeat(3) + "x".repeat(end - start - 3) + text.slice(end);
}

async function readAll(reader: TrafficReader): Promise<{ records: number; rejected: RejectedLine[] }> {
  let records = 0;
  for await (const batch of reader) records += batch.length;
  return { records, rejected: [] };
}

function plan() {
  const a = analyze(["samples/policies"], { root, host: nodeFileHost });
  const merged = effectiveCatalog(a.model, builtinCatalog(), { sources: a.sources });
  return compile(a.model, merged.catalog, { sources: a.sources, asOf: "2026-11-01" });
}

async function oneThread(files: readonly string[]): Promise<SimulationReport> {
  const input = trafficInput(root, files);
  return (await simulate(plan(), input.source, { inputs: input.summaries, rejected: input.rejected })).report;
}

/**
 * The parallel report is the one-thread report, verdicts included: the main thread settles
 * every thread's warnings in time order, so a user warned in one thread's share is let through
 * in another's within the bypass, as in one thread.
 */
function expectSameReport(two: SimulationReport, one: SimulationReport): void {
  expect(two.verdicts).toEqual(one.verdicts);
  expect(JSON.stringify(two)).toBe(JSON.stringify(one));
}

async function workers(files: readonly string[], threads: number, started?: Worker[], heldBatch?: number, partPairs?: number): Promise<SimulationReport> {
  return (await simulateParallel(plan(), { files: files.map((abs) => ({ abs, shown: displayFrom(root, abs) })), threads, ...(started ? { workers: started } : {}), ...(heldBatch ? { heldBatch } : {}), ...(partPairs ? { partPairs } : {}) })).report;
}

describe("byte ranges of one log", () => {
  it("cover the file, end at line breaks, and read every line once with its true line number", async () => {
    let text = squid(40_000);
    // a bad line across each place the file is cut
    for (const k of [1, 2]) text = breakLineAt(text, Math.floor((Buffer.byteLength(text) * k) / 3));
    const file = path.join(dir, "ranges.log");
    writeFileSync(file, text);
    const bytes = readFileSync(file);
    const ranges = await TrafficReader.splitRanges(file, 3);
    expect(ranges).toHaveLength(3);
    expect(ranges![0]!.start).toBe(0);
    expect(ranges![2]!.end).toBe(bytes.length);
    for (let i = 0; i < 3; i++) {
      if (i > 0) expect(ranges![i]!.start).toBe(ranges![i - 1]!.end);
      expect(bytes[ranges![i]!.end - 1]).toBe(10);
    }

    // weighted: the first range about twice the second, still ending at a line break
    const weighted = (await TrafficReader.splitRanges(file, 2, {}, [2, 1]))!;
    expect(weighted[0]!.end / bytes.length).toBeCloseTo(2 / 3, 2);
    expect(bytes[weighted[0]!.end - 1]).toBe(10);

    const wholeRejected: RejectedLine[] = [];
    const whole = new TrafficReader(file, { onReject: (r) => wholeRejected.push(r) });
    const wholeCount = await readAll(whole);
    const partRejected: RejectedLine[] = [];
    let records = 0;
    let lines = 0;
    for (const range of ranges!) {
      const before = lines;
      const part = TrafficReader.range(file, range, { onReject: (r) => partRejected.push({ ...r, line: r.line + before }) });
      records += (await readAll(part)).records;
      expect(part.summary().format).toBe("squid-native");
      lines += part.summary().lines;
    }
    expect(lines).toBe(40_000);
    expect(records).toBe(wholeCount.records);
    expect(partRejected).toEqual(wholeRejected);
    // the two lines cut across range edges are among them, once each
    expect(wholeRejected.filter((r) => r.sample.startsWith("###"))).toHaveLength(2);
  });

  it("read Zeek JSON and BIND logs cut into ranges as the whole file", async () => {
    const zeek: string[] = [];
    const bind: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const host = HOSTS[i % HOSTS.length]!;
      zeek.push(i % 1000 === 3 ? `{"ts": broken ${i}` : JSON.stringify({ ts: 1795158002.5 + i, uid: `C${i}`, "id.orig_h": `10.20.3.${i % 200}`, "id.orig_p": 50000 + (i % 9000), "id.resp_h": "87.248.119.251", "id.resp_p": 443, server_name: host, established: true }));
      bind.push(i % 1000 === 3 ? `not a query ${i}` : `25-Nov-2026 13:07:${String(i % 60).padStart(2, "0")}.205 queries: info: client @0x7f01a8a1a098 10.0.0.${i % 200}#36083 (${host}): query: ${host} IN A +E(0)K (127.0.0.1)`);
    }
    for (const [name, text, format] of [["zeek.json", zeek.join("\n") + "\n", "zeek-json"], ["bind.log", bind.join("\n") + "\n", "bind"]] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      const ranges = await TrafficReader.splitRanges(file, 2);
      expect(ranges, name).toHaveLength(2);
      const wholeRejected: RejectedLine[] = [];
      const whole = new TrafficReader(file, { onReject: (r) => wholeRejected.push(r) });
      const { records } = await readAll(whole);
      const partRejected: RejectedLine[] = [];
      let partRecords = 0;
      let lines = 0;
      for (const range of ranges!) {
        const before = lines;
        const part = TrafficReader.range(file, range, { onReject: (r) => partRejected.push({ ...r, line: r.line + before }) });
        partRecords += (await readAll(part)).records;
        expect(part.summary().format).toBe(format);
        lines += part.summary().lines;
      }
      expect(whole.summary().format).toBe(format);
      expect(records).toBe(30_000 - 30);
      expect(partRecords).toBe(records);
      expect(partRejected).toEqual(wholeRejected);
    }
  });

  it("are refused for logs whose lines depend on the lines before them", async () => {
    const big = squid(40_000);
    const gz = path.join(dir, "ranges.log.gz");
    writeFileSync(gz, (await import("node:zlib")).gzipSync(big));
    const csv = path.join(dir, "ranges.csv");
    writeFileSync(csv, "time,host,user\n" + big.split("\n").slice(0, 60_000).map((_, i) => `2026-03-01T00:00:${String(i % 60).padStart(2, "0")}Z,www.dropbox.com,u${i}`).join("\n") + "\n");
    expect(await TrafficReader.splitRanges(gz, 2)).toBeUndefined();
    expect(await TrafficReader.splitRanges(csv, 2)).toBeUndefined();
  });
});

describe("simulate on worker threads", () => {
  it("gives the one-thread report on the sample logs", async () => {
    const files = ["squid-native.log", "squid-common.log", "bind-queries.log", "dnsmasq.log", "proxy-export.csv", "squid-native-week.log.gz"].map((f) => path.join(root, "samples/traffic", f));
    const [one, two] = await Promise.all([oneThread(files), workers(files, 2)]);
    expect(one.totals.records).toBeGreaterThan(500);
    // warnings let through in a later request (the samples warn on social media and webmail)
    expect(one.verdicts.total.bypass).toBeGreaterThan(0);
    expectSameReport(two, one);
  }, 60_000);

  it("gives the one-thread report on one big log cut into ranges, rejected lines at their true line numbers", async () => {
    const file = path.join(dir, "big.log");
    const lines = Math.ceil((PARALLEL_MIN_BYTES * 1.15) / 140);
    // fewer rejected lines than the report lists, so those of the second range are listed too
    let text = squid(lines, 3001);
    text = breakLineAt(text, Math.floor(Buffer.byteLength(text) / 2));
    writeFileSync(file, text);
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(PARALLEL_MIN_BYTES);
    expect(await TrafficReader.splitRanges(file, 2)).toHaveLength(2);
    const one = await oneThread([file]);
    const two = await workers([file], 2);
    expect(one.rejected.length).toBeGreaterThan(30);
    expect(one.rejected.at(-1)!.line).toBeGreaterThan(lines * 0.9);
    expect(one.rejected.filter((r) => r.sample.startsWith("###"))).toHaveLength(1);
    expect(two.inputs).toEqual(one.inputs);
    expect(two.rejected).toEqual(one.rejected);
    expectSameReport(two, one);
  }, 120_000);

  it("shares several logs as one run of bytes: in order, the main thread's share a few MiB larger, a log cut where a share ends", async () => {
    // two logs of 28 MiB, a small one and a gzipped one between them, on 3 threads: the main
    // thread's share ends inside the first, the first worker's inside the second
    const lines = Math.ceil((28 * 2 ** 20) / 140);
    const a = path.join(dir, "shares-a.log");
    const b = path.join(dir, "shares-b.log");
    const gz = path.join(dir, "shares-c.log.gz");
    writeFileSync(a, squid(lines, 5003));
    writeFileSync(b, squid(lines, 7001).replaceAll("user", "staff"));
    writeFileSync(gz, (await import("node:zlib")).gzipSync(squid(2000)));
    const small = path.join(root, "samples/traffic/squid-native.log");
    const files = [a, small, gz, b];
    const shares = await planShares(files.map((abs) => ({ abs, shown: displayFrom(root, abs) })), 3);
    expect(shares).toHaveLength(3);
    // in the files' order across the shares, each file's ranges back to back from 0 to its end
    const pieces = shares.flat();
    expect([...new Set(pieces.map((p) => p.abs))]).toEqual(files);
    for (const f of files) {
      const mine = pieces.filter((p) => p.abs === f);
      const size = readFileSync(f).length;
      if (mine.length === 1 && mine[0]!.range === undefined) continue;
      expect(mine[0]!.range!.start).toBe(0);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.range!.start).toBe(mine[i - 1]!.range!.end);
      expect(mine.at(-1)!.range!.end).toBe(size);
    }
    expect(pieces.filter((p) => p.abs === gz && p.range === undefined)).toHaveLength(1); // gzip is read whole
    expect(pieces.filter((p) => p.abs === a).length).toBeGreaterThan(1); // the first share ends inside a
    expect(pieces.filter((p) => p.abs === b).length).toBeGreaterThan(1); // the second inside b
    // the workers' shares are equal and the main thread's MAIN_EXTRA_BYTES larger (give or take
    // a line and the small files, which go whole to one thread)
    const load = shares.map((s) => s.reduce((n, p) => n + p.size, 0));
    const slack = 256 * 1024;
    expect(Math.abs(load[1]! - load[2]!)).toBeLessThan(slack);
    expect(Math.abs(load[0]! - load[1]! - MAIN_EXTRA_BYTES)).toBeLessThan(slack);
    // the workers' warnings in chunks of 97: far more chunks than the window lets through
    // before the main thread takes them in, from two workers at once; their aggregates in parts
    // of 53 pairs, so a day comes in many parts, in buffers that go back and forth
    const [one, three] = await Promise.all([oneThread(files), workers(files, 3, undefined, 97, 53)]);
    expect(one.totals.records).toBeGreaterThan(2 * lines * 0.99);
    expect(one.verdicts.total.warn + one.verdicts.total.bypass).toBeGreaterThan(97 * HELD_WINDOW * 10);
    expectSameReport(three, one);
  }, 120_000);

  it("uses workers started beforehand (while the plan compiles) and stops the ones it does not need", async () => {
    const files = ["squid-native.log", "bind-queries.log"].map((f) => path.join(root, "samples/traffic", f));
    const started = startWorkers(3);
    const [one, two] = await Promise.all([oneThread(files), workers(files, 2, started)]);
    expectSameReport(two, one);
    // all three have exited: the one used and the two spare
    await Promise.all(started.map((w) => new Promise((resolve) => (w.threadId === -1 ? resolve(undefined) : w.once("exit", resolve)))));
  }, 60_000);

  it("fails the run clearly when a worker died before it was given its share", async () => {
    const [dead] = startWorkers(1);
    await dead!.terminate();
    const files = ["squid-native.log", "bind-queries.log"].map((f) => path.join(root, "samples/traffic", f));
    await expect(workers(files, 2, [dead!])).rejects.toThrow(/the worker reading samples\/traffic\/(squid-native|bind-queries)\.log exited with code \d+ before finishing/);
  }, 60_000);

  it("fails the run with the byte range named when the worker given part of a log is dead", async () => {
    const file = path.join(dir, "dead-range.log");
    writeFileSync(file, squid(Math.ceil((PARALLEL_MIN_BYTES * 1.15) / 140), 3001));
    const [dead] = startWorkers(1);
    await dead!.terminate();
    await expect(workers([file], 2, [dead!])).rejects.toThrow(/the worker reading \S*dead-range\.log \(bytes \d+-\d+\) exited with code \d+ before finishing/);
  }, 60_000);

  it("fails the run with the file named when a worker cannot read its share", async () => {
    const missing = path.join(dir, "missing.log");
    await expect(workers([path.join(root, "samples/traffic/squid-native.log"), missing], 2)).rejects.toThrow(/missing\.log/);
  }, 60_000);
});

describe("the window of warning chunks in flight", () => {
  it("lets a sender run ahead of the receiver by the window, no more, and keeps the order", async () => {
    const credit = new Credit(3);
    const sent: number[] = [];
    const taken: number[] = [];
    let inFlight = 0;
    let most = 0;
    const sender = (async () => {
      for (let i = 0; i < 20; i++) {
        await credit.take();
        sent.push(i);
        most = Math.max(most, ++inFlight);
      }
    })();
    // the receiver takes one in now and then; the sender waits in between
    while (taken.length < 20) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (taken.length < sent.length) {
        taken.push(sent[taken.length]!);
        inFlight--;
        credit.give();
      }
    }
    await sender;
    expect(most).toBe(3);
    expect(taken).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(credit.available).toBe(3);
  });

  it("refuses a window of no messages", () => {
    expect(() => new Credit(0)).toThrow(RangeError);
  });
});
