import { readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { detectFormat, type TrafficFormat } from "@sanction/traffic";
import { at, defined, readAll, rejectList, sample, utc } from "./support.js";

const GATEWAY = { time: "Start", user: "Login", srcIp: "Client", host: "Destination", bytesUp: "Out", bytesDown: "In", action: "Verdict", delimiter: ";" } as const;

describe("Squid native (written by Squid 5.7)", () => {
  it("reads CONNECT tunnels, downloads, denials and Squid's own error entries", async () => {
    const r = await readAll(sample("squid-native.log"));
    expect(r.summary).toMatchObject({ format: "squid-native", lines: 61, records: 60, rejected: 0, skipped: 1 });
    expect(defined(at(r, 1))).toEqual({ time: 1795612042132, user: "ann", device: "127.0.0.1", srcIp: "127.0.0.1", host: "www.dropbox.com", dstIp: "127.0.0.1", bytesUp: 0, bytesDown: 14126, action: "TCP_TUNNEL/200", line: 1 });
    expect(defined(at(r, 2))).toEqual({
      time: 1795612042145, user: "ann", device: "127.0.0.1", srcIp: "127.0.0.1", host: "dl.dropboxusercontent.com", dstIp: "127.0.0.1",
      url: "http://dl.dropboxusercontent.com/size/2500000/report.pdf", bytesUp: 0, bytesDown: 2500322, action: "TCP_MISS/200", line: 2,
    });
    expect(at(r, 21)).toMatchObject({ host: "www.filedropper.com", action: "TCP_DENIED/403", dstIp: undefined, user: "ann" });
    expect(at(r, 22)).toMatchObject({ host: "torrentz.cl", action: "TCP_DENIED/403", user: "chen" });
    expect(at(r, 25)).toMatchObject({ host: "www.dropbox.com", action: "TCP_DENIED/407", user: undefined });
    expect(r.records.find((x) => x.line === 61)).toBeUndefined(); // BREW error:invalid-request
    expect(new Set(r.records.map((x) => x.user))).toEqual(new Set(["ann", "bob", "chen", "dana", "eve", undefined]));
  });
});

describe("Squid common (written by Squid 5.7)", () => {
  it("matches the native log of the same requests", async () => {
    const common = await readAll(sample("squid-common.log"));
    const native = await readAll(sample("squid-native.log"));
    expect(common.summary).toMatchObject({ format: "squid-common", lines: 61, records: 60, rejected: 0, skipped: 1 });
    expect(defined(at(common, 1))).toEqual({ time: utc("2026-11-25T13:07:22Z"), user: "ann", device: "127.0.0.1", srcIp: "127.0.0.1", host: "www.dropbox.com", bytesUp: 0, bytesDown: 14126, action: "TCP_TUNNEL/200", line: 1 });
    expect(at(common, 25)).toMatchObject({ host: "www.dropbox.com", user: undefined, action: "TCP_DENIED/407", url: "http://www.dropbox.com/" });
    // same hosts, bytes and users, line for line; times agree to the second
    expect(common.records.map((x) => [x.line, x.host, x.bytesDown, x.user, x.action])).toEqual(native.records.map((x) => [x.line, x.host, x.bytesDown, x.user, x.action]));
    for (let i = 0; i < common.records.length; i++) expect(Math.floor(native.records[i]!.time / 1000) * 1000).toBe(common.records[i]!.time);
  });
});

describe("Squid native over five days (synthetic, gzip)", () => {
  it("reads 300 records and reports three malformed lines", async () => {
    const r = await readAll(sample("squid-native-week.log.gz"));
    expect(r.summary).toMatchObject({ format: "squid-native", lines: 303, records: 300, rejected: 3, skipped: 0 });
    expect(rejectList(r)).toEqual(["77: expected 10 fields, found 3", "155: invalid byte count", "232: expected 10 fields, found 2"]);
    expect(r.rejects[2]!.sample).toBe("\\x07\\x01\\x7f\\x03 garbage");
    expect(r.rejects[0]).toMatchObject({ file: sample("squid-native-week.log.gz"), sample: "1795261679.146 883 10.20.9.1" });
    const days = new Set(r.records.map((x) => new Date(x.time).toISOString().slice(0, 10)));
    expect([...days].sort()).toEqual(["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"]);
    expect(r.records.filter((x) => x.device?.startsWith("10.20.1.")).length).toBeGreaterThan(0);
  });
});

describe("dnsmasq", () => {
  it("takes query lines of the log-facility file as records (written by dnsmasq 2.90)", async () => {
    const r = await readAll(sample("dnsmasq.log"), { year: 2026 });
    expect(r.summary).toMatchObject({ format: "dnsmasq", lines: 83, records: 38, rejected: 0, skipped: 45 });
    expect(defined(at(r, 5))).toEqual({ time: utc("2026-11-25T13:07:45Z"), device: "127.0.0.1", srcIp: "127.0.0.1", host: "www.dropbox.com", bytesUp: 0, bytesDown: 0, line: 5 });
    expect(at(r, 43).host).toBe("torrentz.cl");
    expect(r.records.some((x) => x.host === "intranet")).toBe(false);
  });

  it("reads syslog lines with a host name and log-queries=extra, over five days without a year", async () => {
    const r = await readAll(sample("dnsmasq-syslog.log"), { year: 2026 });
    expect(r.summary).toMatchObject({ format: "dnsmasq", lines: 394, records: 150, rejected: 2, skipped: 242 });
    expect(rejectList(r)).toEqual(["122: not a dnsmasq line", "203: no syslog timestamp"]);
    expect(defined(r.records[0]!)).toEqual({ time: utc("2026-11-20T07:23:56Z"), device: "10.20.3.101", srcIp: "10.20.3.101", host: "app.box.com", bytesUp: 0, bytesDown: 0, line: 1 });
  });

  it("guesses the year from the file's modification time when none is given", async () => {
    const r = await readAll(sample("dnsmasq-syslog.log"));
    const mtimeYear = new Date(statSync(sample("dnsmasq-syslog.log")).mtimeMs).getUTCFullYear();
    const y = new Date(r.records[0]!.time).getUTCFullYear();
    expect([mtimeYear, mtimeYear - 1]).toContain(y);
  });
});

describe("Unbound (written by Unbound 1.17.1)", () => {
  it("counts reply lines (with rcode) and skips their query lines", async () => {
    const r = await readAll(sample("unbound.log"));
    expect(r.summary).toMatchObject({ format: "unbound", lines: 76, records: 35, rejected: 0, skipped: 41 });
    expect(defined(at(r, 3))).toEqual({ time: 1795612068000, device: "127.0.0.1", srcIp: "127.0.0.1", host: "files.slack.com", bytesUp: 0, bytesDown: 0, action: "NOERROR", line: 3 });
    expect(at(r, 15)).toMatchObject({ host: "torrentz.cl", action: "NXDOMAIN" });
    expect(r.records.every((x) => x.action !== undefined)).toBe(true);
  });

  it("counts query lines when the log has no replies (log-time-ascii, gzip)", async () => {
    const r = await readAll(sample("unbound-queries.log.gz"), { year: 2026 });
    expect(r.summary).toMatchObject({ format: "unbound", lines: 41, records: 38, rejected: 0, skipped: 3 });
    expect(defined(at(r, 2))).toEqual({ time: utc("2026-11-25T13:07:50Z"), device: "127.0.0.1", srcIp: "127.0.0.1", host: "files.slack.com", bytesUp: 0, bytesDown: 0, line: 2 });
  });
});

describe("BIND query log (written by BIND 9.18)", () => {
  it("reads lines with and without the category prefix alike", async () => {
    const full = await readAll(sample("bind-queries.log"));
    const plain = await readAll(sample("bind-queries-plain.log.gz"));
    expect(full.summary).toMatchObject({ format: "bind", lines: 39, records: 38, rejected: 0, skipped: 1 });
    expect(plain.summary).toMatchObject({ format: "bind", lines: 39, records: 38, rejected: 0, skipped: 1 });
    expect(defined(at(full, 1))).toEqual({ time: utc("2026-11-25T13:07:53.205Z"), device: "127.0.0.1", srcIp: "127.0.0.1", host: "www.box.com", bytesUp: 0, bytesDown: 0, line: 1 });
    expect(plain.records).toEqual(full.records);
  });

  it("applies the UTC offset of local times", async () => {
    const r = await readAll(sample("bind-queries.log"), { utcOffsetMinutes: 60 });
    expect(r.records[0]!.time).toBe(utc("2026-11-25T12:07:53.205Z"));
  });
});

describe("Zeek TSV (synthetic)", () => {
  it("dns.log: query → host, rcode → action; a cut line and a bad ts are rejected", async () => {
    const r = await readAll(sample("zeek/dns.log"));
    expect(r.summary).toMatchObject({ format: "zeek-tsv", lines: 211, records: 200, rejected: 2, skipped: 9 });
    expect(rejectList(r)).toEqual(["20: expected 24 fields, found 9", "42: invalid ts"]);
    expect(defined(at(r, 9))).toEqual({ time: 1795158909532, device: "10.20.3.101", srcIp: "10.20.3.101", host: "www.box.com", bytesUp: 0, bytesDown: 0, action: "NOERROR", line: 9 });
    expect(r.records.some((x) => x.host === "torrentz.cl" && x.action === "NXDOMAIN")).toBe(true);
  });

  it("http.log: host, url, body lengths, status and username", async () => {
    const r = await readAll(sample("zeek/http.log"));
    expect(r.summary).toMatchObject({ format: "zeek-tsv", lines: 131, records: 121, rejected: 1, skipped: 9 });
    expect(rejectList(r)).toEqual(["31: invalid body length"]);
    expect(defined(at(r, 9))).toEqual({
      time: 1795158665180, user: "henry", device: "10.20.9.1", srcIp: "10.20.9.1", host: "www.msn.com", dstIp: "204.79.197.203",
      url: "http://www.msn.com/static/app.js", bytesUp: 0, bytesDown: 213824, action: "200", line: 9,
    });
    const uploads = r.records.filter((x) => x.bytesUp > 0);
    expect(uploads.length).toBeGreaterThan(0);
    expect(uploads.every((x) => x.url?.includes("/upload?session="))).toBe(true);
    const ported = r.records.filter((x) => x.url?.includes(":8080/"));
    expect(ported.length).toBeGreaterThan(0);
    expect(ported.every((x) => x.host !== undefined && !x.host.includes(":"))).toBe(true);
    const noHost = r.records.filter((x) => x.host === undefined);
    expect(noHost).toHaveLength(1);
    expect(noHost[0]).toMatchObject({ dstIp: "198.51.100.23", bytesDown: 612 });
  });

  it("ssl.log: server_name → host, dstIp only without SNI", async () => {
    const r = await readAll(sample("zeek/ssl.log"));
    expect(r.summary).toMatchObject({ records: 200, rejected: 0, skipped: 9 });
    expect(defined(at(r, 9))).toEqual({ time: 1795158529895, device: "10.20.1.42", srcIp: "10.20.1.42", host: "www.dropbox.com", dstIp: "162.125.1.18", bytesUp: 0, bytesDown: 0, line: 9 });
    expect(r.records.filter((x) => x.host === undefined).every((x) => x.dstIp !== undefined)).toBe(true);
  });

  it("conn.log.gz: no host, orig/resp bytes, conn_state", async () => {
    const r = await readAll(sample("zeek/conn.log.gz"));
    expect(r.summary).toMatchObject({ format: "zeek-tsv", records: 220, rejected: 0 });
    expect(defined(at(r, 9))).toEqual({ time: 1795158334536, device: "10.30.0.7", srcIp: "10.30.0.7", dstIp: "123.126.104.68", bytesUp: 702, bytesDown: 65853, action: "SF", line: 9 });
    expect(r.records.every((x) => x.host === undefined)).toBe(true);
    expect(r.records.filter((x) => x.action === "S0").every((x) => x.bytesUp === 0 && x.bytesDown === 0)).toBe(true);
  });
});

describe("Zeek JSON (synthetic)", () => {
  it("reads ssl records; a cut record and a stray line are rejected", async () => {
    const r = await readAll(sample("zeek/ssl.json"));
    expect(r.summary).toMatchObject({ format: "zeek-json", lines: 152, records: 150, rejected: 2, skipped: 0 });
    expect(r.rejects.map((x) => x.line)).toEqual([50, 91]);
    expect(r.rejects[0]!.reason).toMatch(/^invalid JSON: /);
    expect(r.rejects[1]!.reason).toBe("not a JSON object");
    expect(defined(at(r, 1))).toEqual({ time: 1795158002585, device: "10.20.3.101", srcIp: "10.20.3.101", host: "mail.yahoo.com", dstIp: "87.248.119.251", bytesUp: 0, bytesDown: 0, line: 1 });
  });
});

describe("Defender for Endpoint DeviceNetworkEvents", () => {
  it("CSV: BOM, CRLF, RFC 4180 quoting, a record spanning two lines, malformed rows", async () => {
    const r = await readAll(sample("mde/DeviceNetworkEvents.csv"));
    expect(r.summary).toMatchObject({ format: "mde-csv", lines: 247, records: 241, rejected: 3, skipped: 2 });
    expect(rejectList(r)).toEqual(["102: expected 40 columns, found 12", "153: invalid Timestamp", "204: no destination: RemoteUrl and RemoteIP are empty"]);
    expect(defined(at(r, 2))).toEqual({
      time: utc("2026-11-20T07:09:12.859Z"), user: "bob@contoso.com", device: "eng-ws-1101.contoso.com", srcIp: "10.20.3.101",
      host: "www.box.com", dstIp: "74.112.186.144", bytesUp: 0, bytesDown: 0, action: "ConnectionSuccess", line: 2,
    });
    // line 62 opens a quoted command line that closes on line 63: one record
    expect(at(r, 62)).toMatchObject({ host: "www.filedropper.com", dstIp: "104.21.48.10" });
    expect(r.records.some((x) => x.line === 63)).toBe(false);
    // the build server runs as SYSTEM: no UPN, the account name instead
    expect(r.records.filter((x) => x.device === "bld-srv-07.contoso.com").every((x) => x.user === "system")).toBe(true);
    expect(r.records.filter((x) => x.device?.startsWith("mkt-")).length).toBeGreaterThan(10);
    // full URLs for inspected HTTP, bare hosts otherwise, IP only when RemoteUrl is empty
    expect(r.records.filter((x) => x.action === "HttpConnectionInspected").every((x) => x.url?.startsWith("http://"))).toBe(true);
    expect(r.records.filter((x) => x.host === undefined).every((x) => x.dstIp !== undefined)).toBe(true);
  });

  it("JSON array, pretty-printed: elements are numbered", async () => {
    const r = await readAll(sample("mde/DeviceNetworkEvents.json"));
    expect(r.summary).toMatchObject({ format: "mde-json", lines: 40, records: 38, rejected: 2, skipped: 0 });
    expect(rejectList(r)).toEqual(["11: invalid Timestamp", "21: invalid RemoteUrl"]);
    expect(defined(at(r, 1))).toEqual({
      time: utc("2026-11-20T07:19:39.300Z"), user: "frank@contoso.com", device: "mkt-lt-0178.contoso.com", srcIp: "10.20.1.78",
      host: "cdn.discordapp.com", dstIp: "162.159.129.233", bytesUp: 0, bytesDown: 0, action: "ConnectionSuccess", line: 1,
    });
  });

  it("JSON array on one line, gzip", async () => {
    const r = await readAll(sample("mde/DeviceNetworkEvents-compact.json.gz"));
    expect(r.summary).toMatchObject({ format: "mde-json", lines: 200, records: 200, rejected: 0 });
    const text = gunzipSync(readFileSync(sample("mde/DeviceNetworkEvents-compact.json.gz"))).toString();
    const events = JSON.parse(text) as Record<string, string>[];
    expect(r.records.map((x) => x.device)).toEqual(events.map((e) => e["DeviceName"]));
  });

  it("one object per line, Streaming API envelope, file cut in the last record", async () => {
    const r = await readAll(sample("mde/DeviceNetworkEvents-stream.ndjson"));
    expect(r.summary).toMatchObject({ format: "mde-json", lines: 120, records: 119, rejected: 1 });
    expect(r.rejects[0]!.line).toBe(120);
    expect(r.rejects[0]!.reason).toMatch(/^invalid JSON/);
    expect(r.records[0]).toMatchObject({ user: "ann@contoso.com", device: "fin-lt-0207.contoso.com", host: "twitter.com", line: 1 });
  });
});

describe("generic CSV", () => {
  it("guesses the columns from the header", async () => {
    const r = await readAll(sample("proxy-export.csv"));
    expect(r.summary).toMatchObject({ format: "csv", lines: 123, records: 120, rejected: 2, skipped: 1 });
    expect(rejectList(r)).toEqual(["60: invalid byte count", "91: no destination: host, url and dstIp are empty"]);
    expect(defined(at(r, 2))).toEqual({
      time: 1795159516441, user: "ann@contoso.com", device: "FIN-LT-0207", srcIp: "10.20.2.7", host: "slack.com", dstIp: "52.85.151.20",
      url: "https://slack.com/watch?v=BZEqwl", bytesUp: 7202, bytesDown: 72649, action: "allowed", line: 2,
    });
  });

  it("uses a mapping: named columns, ';', epoch seconds", async () => {
    const r = await readAll(sample("gateway-export.csv"), { csv: GATEWAY });
    expect(r.summary).toMatchObject({ format: "csv", lines: 61, records: 60, rejected: 0, skipped: 1 });
    expect(defined(at(r, 2))).toEqual({ time: 1795158345000, user: "ann", device: "10.20.2.7", srcIp: "10.20.2.7", host: "www.box.com", bytesUp: 5797, bytesDown: 356718, action: "PERMIT", line: 2 });
  });

  it("rejects every line, with the reason, when the mapping names a missing column", async () => {
    const r = await readAll(sample("gateway-export.csv"), { csv: { ...GATEWAY, host: "Dest" } });
    expect(r.summary.records).toBe(0);
    expect(r.summary.rejected).toBe(60);
    expect(r.rejects[0]!.reason).toBe('csv mapping: column "Dest" for host is not in the header');
  });
});

const DETECTED: [string, TrafficFormat][] = [
  ["squid-native.log", "squid-native"],
  ["squid-native-week.log.gz", "squid-native"],
  ["squid-common.log", "squid-common"],
  ["dnsmasq.log", "dnsmasq"],
  ["dnsmasq-syslog.log", "dnsmasq"],
  ["unbound.log", "unbound"],
  ["unbound-queries.log.gz", "unbound"],
  ["bind-queries.log", "bind"],
  ["bind-queries-plain.log.gz", "bind"],
  ["zeek/dns.log", "zeek-tsv"],
  ["zeek/http.log", "zeek-tsv"],
  ["zeek/ssl.log", "zeek-tsv"],
  ["zeek/conn.log.gz", "zeek-tsv"],
  ["zeek/ssl.json", "zeek-json"],
  ["mde/DeviceNetworkEvents.csv", "mde-csv"],
  ["mde/DeviceNetworkEvents.json", "mde-json"],
  ["mde/DeviceNetworkEvents-compact.json.gz", "mde-json"],
  ["mde/DeviceNetworkEvents-stream.ndjson", "mde-json"],
  ["proxy-export.csv", "csv"],
];

function firstLines(file: string): string[] {
  let buf = readFileSync(sample(file));
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return buf.subarray(0, 65536).toString("utf8").split("\n").slice(0, 50);
}

describe("format detection", () => {
  it.each(DETECTED)("%s is %s", async (file, format) => {
    expect(detectFormat(firstLines(file))).toBe(format);
    const r = await readAll(sample(file), { year: 2026 });
    expect(r.summary.format).toBe(format);
  });

  it("does not recognise text that is no log", () => {
    expect(detectFormat(["hello world", "this is a README"])).toBeUndefined();
    expect(detectFormat([])).toBeUndefined();
    expect(detectFormat(["", "  "])).toBeUndefined();
  });

  it("a few malformed first lines do not change the answer", () => {
    const lines = firstLines("squid-native.log");
    expect(detectFormat(["garbage", "more garbage", ...lines])).toBe("squid-native");
  });

  it("a forced format is used as is", async () => {
    // the same BIND file read as dnsmasq: every line rejected, nothing thrown
    const r = await readAll(sample("bind-queries.log"), { format: "dnsmasq" });
    expect(r.summary).toMatchObject({ format: "dnsmasq", records: 0, rejected: 39 });
    expect(r.rejects[0]!.reason).toBe("no syslog timestamp");
    const ok = await readAll(sample("squid-native.log"), { format: "squid-native" });
    expect(ok.summary.records).toBe(60);
  });

  it("a csv mapping implies the csv format", async () => {
    const r = await readAll(sample("gateway-export.csv"), { csv: GATEWAY });
    expect(r.summary.format).toBe("csv");
  });
});
