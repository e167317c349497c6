import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { createParseState, parseLine, readTraffic, type TrafficFormat, type TrafficRecord } from "@sanction/traffic";
import { readAll, rejectList, sample } from "./support.js";

const dir = mkdtempSync(path.join(tmpdir(), "sanction-traffic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const SQUID = readFileSync(sample("squid-native.log"), "utf8").split("\n").filter(Boolean);
const good = (i: number): string => SQUID[i % 60]!;
/** n squid lines, one per line, varied. */
const squidLines = (n: number): string[] => Array.from({ length: n }, (_, i) => good(i));

describe("hostile input never stops the reader", () => {
  it("a 10 MB line is rejected without being held, the lines around it are read", async () => {
    const big = "1795612042.132 " + "a".repeat(10 * 1024 * 1024);
    const p = file("long.log", [good(0), good(1), big, good(2)].join("\n") + "\n");
    const r = await readAll(p, { format: "squid-native" });
    expect(r.summary).toMatchObject({ lines: 4, records: 3, rejected: 1 });
    expect(r.rejects[0]!.line).toBe(3);
    expect(r.rejects[0]!.reason).toBe(`line longer than 1048576 bytes (${big.length} bytes)`);
    expect(r.rejects[0]!.sample).toBe(big.slice(0, 200));
    expect(r.records.map((x) => x.line)).toEqual([1, 2, 4]);
  });

  it("UTF-16 files (PowerShell Out-File) are transcoded, gzip or not", async () => {
    const text = readFileSync(sample("mde/DeviceNetworkEvents.csv"), "utf8").replace(/^\ufeff/, "");
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    const utf8 = await readAll(sample("mde/DeviceNetworkEvents.csv"));
    for (const [name, content] of [["le.csv", le], ["be.csv", be], ["le.csv.gz", gzipSync(le)]] as const) {
      const r = await readAll(file(name, content));
      expect(r.summary).toMatchObject({ format: "mde-csv", records: 241, rejected: 3 });
      expect(r.records).toEqual(utf8.records);
    }
  });

  it("a 10 MB last line without a line break is rejected too", async () => {
    const p = file("long-end.log", good(0) + "\n" + "x".repeat(10 * 1024 * 1024));
    const r = await readAll(p, { format: "squid-native" });
    expect(r.summary).toMatchObject({ lines: 2, records: 1, rejected: 1 });
    expect(r.rejects[0]!.reason).toMatch(/^line longer than 1048576 bytes/);
  });

  it("maxLineBytes lowers the limit", async () => {
    const p = file("long-small.log", [good(0), good(1) + " " + "y".repeat(3000), good(2)].join("\n"));
    const r = await readAll(p, { format: "squid-native", maxLineBytes: 1000 });
    expect(rejectList(r)).toEqual([`2: line longer than 1000 bytes (${good(1).length + 3001} characters)`]);
    expect(r.summary.records).toBe(2);
  });

  it("NUL bytes reject their line only", async () => {
    const p = file("nul.log", [good(0), good(1).replace("ann", "a\0nn"), "\0\0\0\0", good(2)].join("\n") + "\n");
    const r = await readAll(p);
    expect(r.summary).toMatchObject({ format: "squid-native", lines: 4, records: 2, rejected: 2 });
    expect(rejectList(r)).toEqual(["2: NUL bytes in the line", "3: NUL bytes in the line"]);
    expect(r.rejects[1]!.sample).toBe("\\0\\0\\0\\0");
  });

  it("invalid UTF-8 rejects its line only; valid UTF-8 is read", async () => {
    const lines = [Buffer.from(good(0)), Buffer.concat([Buffer.from(good(1).slice(0, 40)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(good(1).slice(40))]), Buffer.from(good(2))];
    const p = file("utf8.log", Buffer.concat(lines.flatMap((b) => [b, Buffer.from("\n")])));
    const r = await readAll(p);
    expect(rejectList(r)).toEqual(["2: invalid UTF-8"]);
    expect(r.rejects[0]!.sample).toContain("\ufffd");
    expect(r.records.map((x) => x.line)).toEqual([1, 3]);

    const csv = file("idn.csv", "time,user,host,bytes_sent\n2026-11-20T10:00:00Z,zoë,Bücher.DE,12\n2026-11-20T10:00:01Z,ann,xn--bcher-kva.de.,1\n");
    const c = await readAll(csv);
    expect(c.records.map((x) => [x.user, x.host])).toEqual([["zoë", "xn--bcher-kva.de"], ["ann", "xn--bcher-kva.de"]]);
  });

  it("CRLF line ends give the same records as LF", async () => {
    const lf = await readAll(file("lf.log", squidLines(50).join("\n") + "\n"));
    const crlf = await readAll(file("crlf.log", squidLines(50).join("\r\n") + "\r\n"));
    expect(crlf.records).toEqual(lf.records);
    expect(crlf.summary.rejected).toBe(0);
  });

  it("a file that ends mid-line: the cut line is rejected, the rest read", async () => {
    const p = file("cut.log", squidLines(10).join("\n") + "\n" + good(10).slice(0, 40));
    const r = await readAll(p);
    expect(r.summary).toMatchObject({ lines: 11, records: 10, rejected: 1 });
    expect(rejectList(r)).toEqual(["11: expected 10 fields, found 4"]);
    // a last line that is complete but has no line break is a record
    const q = await readAll(file("nolf.log", squidLines(10).join("\n")));
    expect(q.summary).toMatchObject({ lines: 10, records: 10, rejected: 0 });
  });

  it("a truncated gzip stream: an error for the file, everything before it delivered", async () => {
    const lines = squidLines(20000);
    const gz = gzipSync(Buffer.from(lines.join("\n") + "\n"));
    const p = file("truncated.log.gz", gz.subarray(0, Math.floor(gz.length / 2)));
    const full = await readAll(file("full.log", lines.join("\n") + "\n"));
    const r = await readAll(p);
    expect(r.summary.error).toMatch(/^truncated or corrupt gzip stream \(.*\) after \d+ lines$/);
    expect(r.summary.format).toBe("squid-native");
    expect(r.summary.records).toBeGreaterThan(1000);
    expect(r.summary.records).toBeLessThan(20000);
    expect(r.records).toEqual(full.records.slice(0, r.records.length));
    // the line cut by the truncation is reported, not parsed
    expect(r.rejects.at(-1)!.reason).toBe("incomplete line at the end of a truncated gzip stream");
    expect(r.summary.lines).toBe(r.summary.records + r.summary.rejected);
  });

  it("a gzip stream corrupted in the middle: an error, the lines before it delivered", async () => {
    const gz = Buffer.from(gzipSync(Buffer.from(squidLines(20000).join("\n") + "\n")));
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) gz[i] = 0x55;
    const r = await readAll(file("corrupt.log.gz", gz));
    expect(r.summary.error).toMatch(/^truncated or corrupt gzip stream/);
    expect(r.summary.records).toBeGreaterThan(0);
  });

  it("a gzip stream with only a header", async () => {
    const r = await readAll(file("tiny.gz", Buffer.from([0x1f, 0x8b, 0x08, 0x00])));
    expect(r.summary.error).toMatch(/gzip/);
    expect(r.summary.records).toBe(0);
  });

  it("an empty file has no records and no error", async () => {
    const r = await readAll(file("empty.log", ""));
    expect(r.summary).toMatchObject({ lines: 0, records: 0, rejected: 0 });
    expect(r.summary.error).toBeUndefined();
    const g = await readAll(file("empty.log.gz", gzipSync(Buffer.alloc(0))));
    expect(g.summary).toMatchObject({ lines: 0, records: 0 });
  });

  it("an unrecognised file is an error for that file, not an exception", async () => {
    const r = await readAll(file("readme.txt", "This is not a log.\nIt has words.\n"));
    expect(r.summary.error).toBe("unrecognised log format; pass a format");
    expect(r.summary.records).toBe(0);
    const junk = Buffer.alloc(300_000);
    let s = 7;
    for (let i = 0; i < junk.length; i++) junk[i] = s = (s * 1103515245 + 12345) & 0xff;
    const j = await readAll(file("junk.bin", junk));
    expect(j.summary.records).toBe(0);
    // forced: every line is rejected with a reason
    const forced = await readAll(file("junk2.bin", junk), { format: "zeek-tsv" });
    expect(forced.summary.records).toBe(0);
    expect(forced.summary.rejected + forced.summary.skipped).toBe(forced.summary.lines);
  });

  it("I/O errors are thrown", async () => {
    await expect(readAll(path.join(dir, "missing.log"))).rejects.toMatchObject({ code: "ENOENT" });
    mkdirSync(path.join(dir, "sub"));
    await expect(readAll(path.join(dir, "sub"))).rejects.toMatchObject({ code: "EISDIR" });
  });

  it("CSV: an unclosed quote gives up on its line and reads the lines after it", async () => {
    const header = "time,user,host,bytes_sent";
    const rows = Array.from({ length: 5 }, (_, i) => `2026-11-20T10:00:0${i}Z,ann,slack.com,${i}`);
    const p = file("quote.csv", [header, rows[0], '2026-11-20T10:00:09Z,"bob,dropbox.com,1', ...rows.slice(1)].join("\n") + "\n");
    const r = await readAll(p);
    expect(rejectList(r)).toEqual(["3: unterminated quoted field at the end of the file"]);
    expect(r.records.map((x) => x.line)).toEqual([2, 4, 5, 6, 7]);
  });

  it("CSV: a quoted field may hold line breaks (CRLF file)", async () => {
    const p = file("multi.csv", 'time,user,host,url\r\n2026-11-20T10:00:00Z,"ann\r\nsmith",slack.com,\r\n2026-11-20T10:00:01Z,bob,zoom.us,\r\n');
    const r = await readAll(p);
    expect(r.records.map((x) => [x.line, x.user, x.host])).toEqual([[2, "ann\nsmith", "slack.com"], [4, "bob", "zoom.us"]]);
  });

  it("JSON array: an oversized element, a broken element and a missing end", async () => {
    const ev = (i: number, extra = ""): string => `{"Timestamp":"2026-11-20T10:00:0${i}Z","DeviceName":"MKT-LT-0142","RemoteUrl":"slack.com","RemoteIP":"52.85.151.20"${extra}}`;
    const big = ev(1, `,"AdditionalFields":"${"z".repeat(5000)}"`);
    const text = `[${ev(0)},\n${big},\n{"Timestamp": oops},\n"a string",\n${ev(2)},\n${ev(3).slice(0, 50)}`;
    const r = await readAll(file("arr.json", text), { maxLineBytes: 2000 });
    expect(r.summary).toMatchObject({ format: "mde-json", lines: 6, records: 2 });
    expect(r.rejects.map((x) => x.line)).toEqual([2, 3, 4, 6]);
    expect(r.rejects[0]!.reason).toMatch(/^record longer than 2000 bytes/);
    expect(r.rejects[1]!.reason).toMatch(/^invalid JSON/);
    expect(r.rejects[2]!.reason).toBe("not a JSON object");
    expect(r.rejects[3]!.reason).toBe("unterminated record at the end of the file");
    expect(r.records.map((x) => x.line)).toEqual([1, 5]);
  });

  it("JSON array: strings holding brackets, braces and escaped quotes", async () => {
    const e = { Timestamp: "2026-11-20T10:00:00Z", DeviceName: "d", RemoteUrl: "x.com", InitiatingProcessCommandLine: 'a "}]" \\ \\" {[', ActionType: "ConnectionSuccess" };
    const text = JSON.stringify([e, { ...e, RemoteUrl: "y.com" }], null, 1);
    const r = await readAll(file("tricky.json", text));
    expect(r.records.map((x) => x.host)).toEqual(["x.com", "y.com"]);
  });
});

describe("the reader gives what parseLine gives, whatever the chunk boundaries", () => {
  it("a 3 MB file mixing good, bad, CRLF and non-ASCII lines", async () => {
    const lines: string[] = ["time,user,host,bytes_sent,bytes_received"];
    for (let i = 0; lines.length < 40000; i++) {
      const host = ["slack.com", "Bücher.de", "зоом.рф", "www.dropbox.com.", "bad host", "", "twitter.com:443"][i % 7];
      const user = ["ann", "zoë", "李", "bob"][i % 4];
      lines.push(`2026-11-${String(20 + (i % 5))}T10:${String(i % 60).padStart(2, "0")}:00Z,${user},${host},${i},${i * 3}${i % 11 === 0 ? "\r" : ""}` + (i % 13 === 0 ? ",extra," + "p".repeat(i % 300) : ""));
    }
    const text = lines.join("\n") + "\n";
    const p = file("mixed.csv", text);
    const r = await readAll(p);
    const state = createParseState("csv");
    const expected: TrafficRecord[] = [];
    const reasons: string[] = [];
    lines.forEach((l, i) => {
      const res = parseLine("csv", l.endsWith("\r") ? l.slice(0, -1) : l, state, i + 1);
      if (typeof res === "object" && "reason" in res) reasons.push(`${i + 1}: ${res.reason}`);
      else if (res !== "skip") expected.push(res);
    });
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * 1024 * 1024);
    expect(r.records).toEqual(expected);
    expect(rejectList(r)).toEqual(reasons);
    expect(r.batches).toBeGreaterThan(1);
  });

  it("a 3 MB Squid log read in place (megabyte reads, 64 KiB blocks): CRLF, a byte-order mark, blank, long, non-ASCII and bad lines", async () => {
    const lines: string[] = [];
    for (let i = 0; lines.length < 24000; i++) {
      const base = good(i);
      const k = i % 17;
      lines.push(
        k === 0 ? base + "\r" : // CRLF, some of them across a block boundary
        k === 3 ? "" :
        k === 5 ? base.replace("TCP_", "TCP_ü_") : // non-ASCII: the block is decoded as UTF-8
        k === 7 ? base + " " + "x".repeat(400 + (i % 50)) : // over maxLineBytes below
        k === 11 ? "not a squid line " + i :
        k === 13 ? base.replace(/ \S+:443 /, " bad:host:443 ") :
        base,
      );
    }
    lines[0] = "\ufeff" + lines[0];
    const text = lines.join("\n") + "\n";
    const p = file("mixed-squid.log", text);
    const r = await readAll(p, { format: "squid-native", maxLineBytes: 400 });
    const state = createParseState("squid-native");
    const expected: TrafficRecord[] = [];
    const reasons: string[] = [];
    lines.forEach((raw, i) => {
      let l = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (i === 0) l = l.slice(1);
      if (Buffer.byteLength(l) > 400) return void reasons.push(`${i + 1}: line longer than 400 bytes`);
      const res = parseLine("squid-native", l, state, i + 1);
      if (typeof res === "object" && "reason" in res) reasons.push(`${i + 1}: ${res.reason}`);
      else if (res !== "skip") expected.push(res);
    });
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 1024 * 1024);
    expect(expected.length).toBeGreaterThan(10_000);
    expect(r.records).toEqual(expected);
    expect(rejectList(r).map((x) => x.replace(/ \(\d+ (bytes|characters)\)$/, ""))).toEqual(reasons);
  });

  it("every format: reading a sample twice gives the same result", async () => {
    const reader = readTraffic(sample("zeek/dns.log"));
    const first: TrafficRecord[] = [];
    for await (const b of reader) first.push(...b);
    const again: TrafficRecord[] = [];
    for await (const b of reader) again.push(...b);
    expect(again).toEqual(first);
    expect(reader.summary().records).toBe(200);
  });
});

describe("parseLine", () => {
  const cases: [TrafficFormat, string, unknown][] = [
    ["squid-native", "1764064801.123    145 10.0.0.5 TCP_TUNNEL/200 5123 CONNECT www.Dropbox.com:443 ann HIER_DIRECT/162.125.1.18 -", { host: "www.dropbox.com", dstIp: "162.125.1.18", user: "ann", bytesDown: 5123, time: 1764064801123 }],
    ["squid-native", "1764064801.123 5 10.0.0.5 TCP_MISS/200 99 GET http://[2001:db8::1]:8080/x - HIER_DIRECT/2001:db8::1 text/html", { host: undefined, dstIp: "2001:db8::1", url: "http://[2001:db8::1]:8080/x" }],
    ["squid-native", "1764064801.123 5 pc-17.corp 10.0.0.5 TCP_MISS/200", { reason: "expected 10 fields, found 5" }],
    ["squid-common", '10.0.0.5 - ann [25/Nov/2026:10:00:01 +0100] "GET http://www.dropbox.com/ HTTP/1.1" 200 1234 TCP_MISS:HIER_DIRECT', { time: Date.parse("2026-11-25T09:00:01Z"), user: "ann", action: "TCP_MISS/200" }],
    ["squid-common", '10.0.0.5 - - [25/Nov/2026:10:00:01 +0000] "GET http://www.dropbox.com/ HTTP/1.1" 200 1234', { action: "200", user: undefined }],
    ["bind", "25-Nov-2026 10:00:01.123 client 10.0.0.5#53412 (www.example.com): view internal: query: WWW.Example.COM IN A + (10.0.0.1)", { host: "www.example.com", srcIp: "10.0.0.5", time: Date.parse("2026-11-25T10:00:01.123Z") }],
    ["bind", "25-Nov-2026 10:00:01.123 general: info: zone example.com/IN: loaded serial 1", "skip"],
    ["dnsmasq", "Nov  5 10:00:01 dnsmasq[123]: query[AAAA] teams.microsoft.com from 10.0.0.5", { host: "teams.microsoft.com", time: Date.parse("2026-11-05T10:00:01Z") }],
    ["dnsmasq", "2026-11-25T10:00:01.123456+01:00 gw dnsmasq[123]: query[A] slack.com from 10.0.0.5", { host: "slack.com", time: Date.parse("2026-11-25T09:00:01.123Z") }],
    ["dnsmasq", "Nov 25 10:00:01 dnsmasq[123]: reply slack.com is 1.2.3.4", "skip"],
    ["unbound", "[1764064801] unbound[123:0] reply: 10.0.0.5 www.example.com. A IN NOERROR 0.000000 0 45", { host: "www.example.com", action: "NOERROR", time: 1764064801000 }],
    ["unbound", "[1764064801] unbound[123:0] info: 10.0.0.5 www.example.com. A IN", { host: "www.example.com", action: undefined }],
    ["unbound", "[1764064801] unbound[123:0] info: 10.0.0.5 . NS IN", "skip"],
    ["mde-json", '{"Timestamp":"2026-11-25T10:00:01.1234567Z","DeviceName":"MKT-1","RemoteUrl":"https://Zoom.us:443/j/1","RemoteIP":"::ffff:170.114.52.2","ActionType":"ConnectionSuccess","InitiatingProcessAccountName":"dana"}', { host: "zoom.us", url: "https://Zoom.us:443/j/1", dstIp: "170.114.52.2", user: "dana", device: "MKT-1", time: Date.parse("2026-11-25T10:00:01.123Z") }],
    ["mde-json", '{"Timestamp":"2026-11-25T10:00:01Z","DeviceName":"MKT-1","RemoteIP":"0.0.0.0","ActionType":"ListeningConnectionCreated"}', "skip"],
    ["mde-json", "[", "skip"],
    ["zeek-json", '{"ts":"2026-11-25T10:00:01.5Z","uid":"C1","id":{"orig_h":"10.0.0.5","resp_h":"10.1.0.53"},"query":"slack.com","rcode_name":"NOERROR"}', { host: "slack.com", device: "10.0.0.5", time: Date.parse("2026-11-25T10:00:01.500Z") }],
  ];
  it.each(cases)("%s: %s", (format, line, want) => {
    const got = parseLine(format, line, createParseState(format, { year: 2026 }));
    if (typeof want === "string") expect(got).toBe(want);
    else expect(got).toMatchObject(want as object);
  });

  it("zeek-tsv keeps its header between lines, and rejects records before #fields", () => {
    const st = createParseState("zeek-tsv");
    expect(parseLine("zeek-tsv", "1.0\tC\t10.0.0.5", st)).toEqual({ reason: "record before the #fields header" });
    expect(parseLine("zeek-tsv", "#separator \\x7c", st)).toBe("skip");
    expect(parseLine("zeek-tsv", "#fields|ts|id.orig_h|id.resp_h|server_name", st)).toBe("skip");
    expect(parseLine("zeek-tsv", "1764064801.5|10.0.0.5|52.85.151.20|slack.com\\x7cevil", st)).toEqual({ reason: "invalid server_name" });
    expect(parseLine("zeek-tsv", "1764064801.5|10.0.0.5|52.85.151.20|-", st)).toMatchObject({ host: undefined, dstIp: "52.85.151.20" });
    expect(parseLine("zeek-tsv", "1764064801.5|10.0.0.5|52.85.151.20|slack.com", st)).toMatchObject({ host: "slack.com", line: 6 });
  });

  it("dnsmasq without a year rolls over from December to January", () => {
    const st = createParseState("dnsmasq", { year: 2026 });
    const t1 = parseLine("dnsmasq", "Dec 31 23:59:59 dnsmasq[1]: query[A] a.com from 10.0.0.1", st);
    const t2 = parseLine("dnsmasq", "Jan  1 00:00:01 dnsmasq[1]: query[A] a.com from 10.0.0.1", st);
    expect((t1 as TrafficRecord).time).toBe(Date.parse("2026-12-31T23:59:59Z"));
    expect((t2 as TrafficRecord).time).toBe(Date.parse("2027-01-01T00:00:01Z"));
    const guessed = createParseState("dnsmasq", { notAfter: Date.parse("2027-01-02T00:00:00Z") });
    expect((parseLine("dnsmasq", "Dec 31 23:59:59 dnsmasq[1]: query[A] a.com from 10.0.0.1", guessed) as TrafficRecord).time).toBe(Date.parse("2026-12-31T23:59:59Z"));
    expect((parseLine("dnsmasq", "Jan  1 00:00:01 dnsmasq[1]: query[A] a.com from 10.0.0.1", guessed) as TrafficRecord).time).toBe(Date.parse("2027-01-01T00:00:01Z"));
  });
});
