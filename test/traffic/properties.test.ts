import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createParseState, detectFormat, isIpLiteral, normHost, parseIsoMs, PARSERS, sampleOf, splitCsv, TRAFFIC_FORMATS, type ParseState, type TrafficFormat } from "@sanction/traffic";
import { sample } from "./support.js";

/** CI sets FC_RUNS=10000; locally the default keeps the suite quick. */
const RUNS = Number(process.env["FC_RUNS"] ?? 1000);

/** A sample file of each format, whose lines are mutated into near-misses. */
const SAMPLE_OF: Record<TrafficFormat, string> = {
  "squid-native": "squid-native.log",
  "squid-common": "squid-common.log",
  "zeek-tsv": "zeek/http.log",
  "zeek-json": "zeek/ssl.json",
  "mde-csv": "mde/DeviceNetworkEvents.csv",
  "mde-json": "mde/DeviceNetworkEvents-stream.ndjson",
  bind: "bind-queries.log",
  dnsmasq: "dnsmasq-syslog.log",
  unbound: "unbound.log",
  csv: "proxy-export.csv",
};

function linesOf(file: string): string[] {
  let buf = readFileSync(sample(file));
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return buf.toString("utf8").split(/\r?\n/).filter(Boolean).slice(0, 60);
}

/** A state that has seen the header lines of the sample, so data lines reach the parser proper. */
function primed(format: TrafficFormat, lines: string[]): ParseState {
  const st = createParseState(format, { year: 2026 });
  const parser = PARSERS[format];
  for (const l of lines.slice(0, 10)) if (l.startsWith("#") || l.startsWith("\ufeff") || l.startsWith("time,")) parser(l, st, 1);
  return st;
}

const PIECES = [" ", "\t", ",", '"', "'", "-", "(empty)", "#", "[", "]", "{", "}", ":", "/", ".", "\\", "\\x09", "\0", "\ufffd", "é", "\u2028", "\r", "NaN", "1e999", "-1", "99999999999999999999", "::", "[::1]", "@", "%", "query[A]", "query: ", " info: ", " reply: ", "dnsmasq[1]: ", "CONNECT", "http://", "xn--", "TCP_MISS/200"];

/** Strings near a real line: pieces cut, doubled, replaced, spliced. */
function mutations(line: string): fc.Arbitrary<string> {
  return fc.tuple(fc.nat(line.length), fc.nat(line.length), fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), { maxLength: 4 })).map(([a, b, ins]) => {
    const [s, e] = a <= b ? [a, b] : [b, a];
    return line.slice(0, s) + ins.join("") + line.slice(e);
  });
}

describe("parsers never throw", () => {
  for (const format of TRAFFIC_FORMATS) {
    const lines = linesOf(SAMPLE_OF[format]);
    const parser = PARSERS[format];

    it(`${format}: arbitrary strings`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 300 }), fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((a) => a.join(""))), (s) => {
          for (const st of [createParseState(format), primed(format, lines)]) {
            const r = parser(s, st, 1);
            expect(r === "skip" || typeof r === "object").toBe(true);
          }
        }),
        { numRuns: RUNS },
      );
    });

    it(`${format}: mutated sample lines`, () => {
      const data = lines.filter((l) => !l.startsWith("#"));
      fc.assert(
        fc.property(fc.constantFrom(...data).chain(mutations), (s) => {
          const r = parser(s, primed(format, lines), 7);
          if (r !== "skip" && !("reason" in r)) {
            // a record that comes out is well-formed
            expect(Number.isFinite(r.time)).toBe(true);
            expect(r.line).toBe(7);
            expect(r.host !== undefined || r.dstIp !== undefined).toBe(true);
            if (r.host !== undefined) expect(normHost(r.host)).toBe(r.host);
            expect(Number.isSafeInteger(r.bytesUp) && r.bytesUp >= 0).toBe(true);
            expect(Number.isSafeInteger(r.bytesDown) && r.bytesDown >= 0).toBe(true);
          } else if (r !== "skip") {
            expect(r.reason.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  it("detectFormat never throws", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", maxLength: 200 }), { maxLength: 20 }), (lines) => {
        const f = detectFormat(lines);
        expect(f === undefined || TRAFFIC_FORMATS.includes(f)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("helpers", () => {
  it("normHost is idempotent and yields lowercase names without port or trailing dot", () => {
    fc.assert(
      fc.property(fc.oneof(fc.domain(), fc.string({ maxLength: 40 }), fc.ipV4(), fc.ipV6()), fc.constantFrom("", ".", ":443", ":8080"), fc.boolean(), (h, suffix, upper) => {
        const raw = (upper ? h.toUpperCase() : h) + suffix;
        const n = normHost(raw);
        if (n === undefined) return;
        expect(normHost(n)).toBe(n);
        expect(n).toBe(n.toLowerCase());
        if (!isIpLiteral(n)) {
          expect(n.endsWith(".")).toBe(false);
          expect(n.includes(":")).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
    expect(normHost("WWW.Dropbox.COM.")).toBe("www.dropbox.com");
    expect(normHost("www.dropbox.com:443")).toBe("www.dropbox.com");
    expect(normHost("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normHost("Bücher.de")).toBe("xn--bcher-kva.de");
    expect(normHost("a..b")).toBeUndefined();
    expect(normHost("a b.com")).toBeUndefined();
    expect(normHost("")).toBeUndefined();
    expect(isIpLiteral("10.0.0.256")).toBe(false);
    expect(isIpLiteral("10.0.0.255")).toBe(true);
    expect(isIpLiteral("1.2.3")).toBe(false);
    expect(isIpLiteral("fe80::1%eth0")).toBe(true);
    expect(isIpLiteral("cafe.com")).toBe(false);
  });

  it("parseIsoMs agrees with Date for every ISO 8601 time Date writes", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        expect(parseIsoMs(iso)).toBe(d.getTime());
        expect(parseIsoMs(iso.replace("T", " ").replace("Z", "+00:00"))).toBe(d.getTime());
        expect(parseIsoMs(iso.replace("Z", "1234Z"))).toBe(d.getTime());
      }),
      { numRuns: RUNS },
    );
    expect(parseIsoMs("2026-11-25T10:00:00+01:30")).toBe(Date.parse("2026-11-25T08:30:00Z"));
    expect(parseIsoMs("2026-11-25")).toBe(Date.parse("2026-11-25T00:00:00Z"));
    expect(parseIsoMs("2026-02-30T10:00:00Z")).toBeNaN();
    expect(parseIsoMs("2026-11-25T10:00:00Q")).toBeNaN();
  });

  it("splitCsv reads back what an RFC 4180 writer wrote", () => {
    const field = fc.string({ unit: "grapheme", maxLength: 12 });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), (fields) => {
        const line = fields.map((f) => (/[",\n\r]/.test(f) || f === "" ? `"${f.replace(/"/g, '""')}"` : f)).join(",");
        const out: string[] = [];
        const n = splitCsv(line, 44, out);
        expect(out.slice(0, n)).toEqual(fields);
      }),
      { numRuns: RUNS },
    );
  });

  it("sampleOf escapes control characters and keeps 200 characters", () => {
    expect(sampleOf("a\tb\0c\x1b\\")).toBe("a\\tb\\0c\\x1b\\\\");
    expect(sampleOf("x".repeat(500))).toHaveLength(200);
  });
});
