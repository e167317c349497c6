/**
 * The parsers read the common case in place (no intermediate slices, no lowercasing, no
 * JSON.parse); everything else goes through the general code. These properties check that both
 * give the same answers, on random, near-miss and hostile input.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createParseState, type LineResult, type ParseState } from "@sanction/traffic";
import { fcRuns } from "../support/arbitraries.js";
import { sample } from "./support.js";
import {
  countAt,
  epochMsAt,
  epochSecondsToMs,
  hostIn,
  hostPortIn,
  isIpLiteral,
  makeRecord,
  monthIndex,
  normHost,
  normHostGeneral,
  parseBytes,
  reject,
  splitSpaces,
  tokenize,
  urlHost,
  urlHostPart,
  utcMs,
} from "../../packages/traffic/src/util.js";
import { parseSquidNative, parseSquidNativeIn } from "../../packages/traffic/src/formats/squid-native.js";
import { parseZeekTsv, parseZeekTsvBytes, parseZeekTsvGeneral } from "../../packages/traffic/src/formats/zeek-tsv.js";
import { parseUnbound } from "../../packages/traffic/src/formats/unbound.js";
import { parseSquidCommon } from "../../packages/traffic/src/formats/squid-common.js";
import { mdeRecord } from "../../packages/traffic/src/formats/mde-common.js";
import { syslogTime } from "../../packages/traffic/src/formats/dnsmasq.js";
import { dnsRecord } from "../../packages/traffic/src/formats/dns-common.js";

const RUNS = fcRuns(500);

/** Pieces of host names, near misses and hostile characters. */
const HOST_PIECES = [
  "a", "b", "z", "www", "dropbox", "com", "co", "uk", "xn--bcher-kva", "0", "1", "255", "10", "-", "_", ".", ".", ".", "..", ":", ":443", ":8080",
  "A", "WWW", "Com", "[", "]", "::1", "2001:db8::", "%eth0", "@", "user:pw@", "/", "?", "#", "ü", "Bücher", "\u00df", "\u0130", "\u212a", "é",
  "\ufffd", "\u0000", " ", "\t", "\\", "\\x2e", "*", "a".repeat(63), "a".repeat(64), "b".repeat(200), "1.2.3.4", "256.1.1.1", "::ffff:10.0.0.1",
];
const arbHostText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.array(fc.constantFrom(...HOST_PIECES), { maxLength: 12 }).map((p) => p.join("")),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(..."abc.-_:[]AZ09@/ü"), maxLength: 300 }),
  );

describe("host names: in-place fast paths agree with normHostGeneral", () => {
  it("normHost(s) === normHostGeneral(s)", () => {
    fc.assert(
      fc.property(arbHostText(), (s) => {
        expect(normHost(s)).toBe(normHostGeneral(s));
      }),
      { numRuns: RUNS },
    );
  });

  it("hostIn and hostPortIn read s[from, to) as normHost(s.slice(from, to)) does", () => {
    fc.assert(
      fc.property(arbHostText(), arbHostText(), arbHostText(), (before, host, after) => {
        const s = before + host + after;
        const from = before.length;
        const to = from + host.length;
        const expected = normHostGeneral(host);
        expect(hostIn(s, from, to)).toBe(expected);
        expect(hostPortIn(s, from, to)).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it("urlHost reads the authority of a URL as normHost(urlHostPart(url)) does", () => {
    const arbUrl = fc.tuple(fc.constantFrom("http", "https", "ftp", "x"), arbHostText(), fc.constantFrom("", "/", "/a/b?c=d", "?q=1", "#top", "/x@y", "/:80"));
    fc.assert(
      fc.property(arbUrl, arbHostText(), ([scheme, authority, rest], tail) => {
        const url = `${scheme}://${authority}${rest}`;
        const line = `${url} ${tail}`;
        expect(urlHost(line, scheme.length + 3, url.length)).toBe(normHostGeneral(urlHostPart(url)!));
      }),
      { numRuns: RUNS },
    );
  });

  it("keeps the strict cases", () => {
    expect(normHost("www.dropbox.com")).toBe("www.dropbox.com");
    expect(normHost("www.dropbox.com.")).toBe("www.dropbox.com");
    expect(normHost("www.dropbox.com..")).toBe("www.dropbox.com"); // every trailing dot goes
    expect(normHost(".dropbox.com")).toBeUndefined();
    expect(normHost("a..b")).toBeUndefined();
    expect(normHost(".")).toBeUndefined();
    const longest = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)].join("."); // 253 characters
    expect(normHost(longest)).toBe(longest);
    expect(normHost(longest + ".")).toBe(longest);
    expect(normHost(longest + "d")).toBeUndefined(); // 254
    expect(normHost("a".repeat(63) + ".example.com")).toBe("a".repeat(63) + ".example.com");
    expect(normHost("a".repeat(64) + ".example.com")).toBeUndefined(); // a label holds 63 octets
    expect(normHost("A".repeat(64) + ".example.com")).toBeUndefined(); // also on the general path
    expect(normHost("javascript:alert(1)")).toBeUndefined(); // what follows one colon must be a port
    expect(normHost("server:")).toBeUndefined();
    expect(normHost("Example.com:65535")).toBe("example.com");
    expect(normHost("example.com:65536")).toBeUndefined();
    expect(normHost("[2001:db8::1]junk")).toBeUndefined();
    expect(hostPortIn("x www.dropbox.com:44a y", 2, 21)).toBeUndefined();
    expect(hostPortIn("x www.Dropbox.com:443 y", 2, 21)).toBe("www.dropbox.com");
    expect(hostPortIn("x [2001:DB8::1]:443 y", 2, 19)).toBe("2001:db8::1");
    expect(hostPortIn("x a:b:z y", 2, 7)).toBeUndefined(); // two colons: an IPv6 literal or nothing
    expect(urlHost("http://user@evil.com@good.com/x", 7, 31)).toBe("good.com");
    // the one-scan case and its edges: a port of 5 digits at most 65535, then the end or a path
    expect(hostPortIn("x files.example.com:443 y", 2, 23)).toBe("files.example.com");
    expect(hostPortIn("x files.example.com.:443 y", 2, 24)).toBe("files.example.com");
    expect(hostPortIn("x files.example.com:65536 y", 2, 25)).toBeUndefined();
    expect(hostPortIn("x files.example.com:004430 y", 2, 26)).toBeUndefined();
    expect(hostPortIn("x files.example.com:443/x y", 2, 25)).toBeUndefined(); // a CONNECT target has no path
    expect(urlHost("http://files.example.com:8080/a?b#c", 7, 35)).toBe("files.example.com");
    expect(urlHost("http://files.example.com?q", 7, 26)).toBe("files.example.com");
    expect(urlHost("http://files.example.com:/a", 7, 27)).toBeUndefined(); // an empty port is not a port
    expect(urlHost("http://files.example.com:80@evil.com/", 7, 37)).toBe("evil.com");
  });
});

/** isIpLiteral as it was before its early exit on the first character: the reference. */
function isIpLiteralReference(h: string): boolean {
  const n = h.length;
  if (n === 0 || n > 64) return false;
  if (h.indexOf(":") >= 0) {
    for (let i = 0; i < n; i++) {
      const c = h.charCodeAt(i);
      if (c === 37) return i > 1;
      if (!((c >= 48 && c <= 58) || c === 46 || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
    }
    return true;
  }
  const parts = h.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

describe("isIpLiteral answers names at their first character, and literals as before", () => {
  it("agrees with the full check", () => {
    const arbIpText = fc.oneof(
      arbHostText(),
      fc.array(fc.constantFrom("1", "25", "255", "256", "0", ".", ":", "::", "a", "F", "g", "%", "%eth0", "ffff"), { maxLength: 12 }).map((p) => p.join("")),
    );
    fc.assert(
      fc.property(arbIpText, (s) => {
        expect(isIpLiteral(s)).toBe(isIpLiteralReference(s));
      }),
      { numRuns: RUNS },
    );
  });
});

/** Epoch seconds as text → ms, spelled out: the first three fraction digits, half up on the fourth. */
function epochMsReference(s: string): number {
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(s);
  if (m === null) return NaN;
  const frac = m[2] ?? "";
  return Number(m[1]) * 1000 + Number((frac + "000").slice(0, 3)) + (frac.length > 3 && frac[3]! >= "5" ? 1 : 0);
}

describe("epochMsAt", () => {
  it("reads integer and fractional epoch seconds exactly", () => {
    const arbEpoch = fc.oneof(
      fc.tuple(fc.stringMatching(/^\d{1,13}$/), fc.stringMatching(/^\d{0,9}$/)).map(([a, b]) => `${a}.${b}`),
      fc.stringMatching(/^\d{1,13}$/),
      fc.string({ unit: fc.constantFrom(..."0123456789.-e+ x"), maxLength: 20 }),
    );
    fc.assert(
      fc.property(arbEpoch, (s) => {
        const got = epochMsAt(`[${s}]`, 1, s.length + 1);
        const want = epochMsReference(s);
        if (Number.isNaN(want)) expect(got).toBeNaN();
        else expect(got).toBe(want);
      }),
      { numRuns: RUNS },
    );
    expect(epochMsAt("1764064801.1235", 0, 15)).toBe(1764064801124);
    expect(epochMsAt("1764064801.9996", 0, 15)).toBe(1764064802000);
    expect(epochMsAt("1764064801.5", 0, 12)).toBe(1764064801500);
    expect(epochMsAt("1764064801.", 0, 11)).toBeNaN();
  });
});

/**
 * Squid native parsed the general way: slice every field, split the URL with urlHostPart and
 * normalise with normHostGeneral (how the parser read lines before its in-place fast path).
 */
function squidReference(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  const s = st.starts;
  const e = st.ends;
  const count = tokenize(line, s, e, 11);
  if (count < 10) return count === 0 ? "skip" : reject(`expected 10 fields, found ${count}`);
  const time = epochMsAt(line, s[0]!, e[0]!);
  if (time !== time) return reject("invalid timestamp");
  const action = line.slice(s[3]!, e[3]!);
  if (action.indexOf("/") < 0) return reject("invalid result code, expected CODE/status");
  const bytes = countAt(line, s[4]!, e[4]!);
  if (bytes < 0) return reject("invalid byte count");
  const rawUrl = line.slice(s[6]!, e[6]!);
  if (rawUrl.startsWith("error:")) return "skip";
  let url: string | undefined;
  let rawHost: string | undefined;
  if (rawUrl.indexOf("://") > 0) {
    url = rawUrl;
    rawHost = urlHostPart(rawUrl);
  } else if (e[5]! - s[5]! === 7 && line.startsWith("CONNECT", s[5]!)) rawHost = rawUrl;
  else if (rawUrl.indexOf(":") > 0 && rawUrl.indexOf("/") < 0) rawHost = rawUrl;
  else return reject("URL has no host");
  const host = rawHost === undefined ? undefined : normHostGeneral(rawHost);
  if (host === undefined) return reject("invalid host in URL");
  const client = line.slice(s[2]!, e[2]!);
  const clientIp = isIpLiteralReference(client) ? client : undefined;
  const user = e[7]! - s[7]! === 1 && line.charCodeAt(s[7]!) === 45 ? undefined : line.slice(s[7]!, e[7]!);
  let dstIp: string | undefined;
  const slash = line.indexOf("/", s[8]!);
  if (slash >= 0 && slash < e[8]! - 1) {
    const peer = line.slice(slash + 1, e[8]!);
    if (isIpLiteralReference(peer)) dstIp = peer;
  }
  if (isIpLiteralReference(host)) return makeRecord(time, user, client, clientIp, undefined, host, url, 0, bytes, action, n);
  return makeRecord(time, user, client, clientIp, host, dstIp, url, 0, bytes, action, n);
}

const SQUID = readFileSync(sample("squid-native.log"), "utf8").split("\n").filter(Boolean);
const PIECES = [" ", "  ", "\t", "-", ":", "::", "/", "//", "://", "@", "?", "#", ".", "..", "[", "]", "CONNECT", "GET", "error:", "http://", "HTTP://", "Www.Box.COM", "xn--", "ü", "\u0000", "\ufffd", ":443", "[::1]:443", "1.2.3.4", "a".repeat(64) + ".com"];

/** Strings near a real line: pieces cut, doubled, replaced, spliced. */
function mutations(line: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat(line.length), fc.nat(line.length), fc.array(fc.oneof(fc.constantFrom(...PIECES), arbHostText()), { maxLength: 4 }))
    .map(([a, b, ins]) => {
      const [s, e] = a <= b ? [a, b] : [b, a];
      return line.slice(0, s) + ins.join("") + line.slice(e);
    });
}

/** A squid line whose URL field is `target` (CONNECT host:port or a URL) with a given method. */
const arbSquidLine = fc
  .tuple(fc.constantFrom("CONNECT", "GET", "POST", "-"), fc.oneof(arbHostText(), arbHostText().map((h) => `${h}:443`), fc.tuple(fc.constantFrom("http://", "https://", "ftp://"), arbHostText(), fc.constantFrom("", "/", "/p?q=1")).map((p) => p.join(""))))
  .map(([method, target]) => `1764064801.123     12 10.0.0.5 TCP_MISS/200 123 ${method} ${target} ann HIER_DIRECT/1.2.3.4 -`);

describe("Squid native: the in-place parser agrees with the general one", () => {
  it("on the sample's lines", () => {
    const a = createParseState("squid-native");
    const b = createParseState("squid-native");
    SQUID.forEach((line, i) => expect(parseSquidNative(line, a, i + 1)).toEqual(squidReference(line, b, i + 1)));
  });

  it("on mutated lines and hostile URL fields", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...SQUID).chain(mutations), arbSquidLine), (line) => {
        expect(parseSquidNative(line, createParseState("squid-native"), 7)).toEqual(squidReference(line, createParseState("squid-native"), 7));
      }),
      { numRuns: RUNS },
    );
  });

  it("read in place inside a block of text, as on the line alone", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...SQUID).chain(mutations), arbSquidLine), fc.constantFrom("", "x", "1764064801.000 1 10.0.0.9 TCP_MISS/200 1 GET http://a.example/ u HIER_DIRECT/1.2.3.4 -\n"), fc.constantFrom("", " tail", "\n1764064802.000 1 10.0.0.9 TCP_MISS/200 1 GET http://b.example/ v HIER_DIRECT/1.2.3.4 -"), (line, before, after) => {
        const text = before + line + after;
        expect(parseSquidNativeIn(text, before.length, before.length + line.length, createParseState("squid-native"), 7)).toEqual(parseSquidNative(line, createParseState("squid-native"), 7));
      }),
      { numRuns: RUNS },
    );
  });

  it("on runs of lines through one state (fields kept from the line before: same, longer, shorter, not an address)", () => {
    const peers = ["HIER_DIRECT/1.2.3.4", "HIER_DIRECT/5.6.7.8", "PARENT_HIT/abc.def", "HIER_DIRECT/1.2.3.45", "HIER_DIRECT/1.2.3", "HIER_NONE/-", "FIRSTUP_PARENT/proxy.example.com", "HIER_DIRECT/2001:db8::1"];
    const arbLine = fc
      .tuple(fc.constantFrom("TCP_MISS/200", "TCP_MISS/2000", "TCP_DENIED/403", "TCP_MISS"), fc.constantFrom("ann", "anne", "an", "-", "ANN"), fc.constantFrom(...peers), fc.constantFrom("www.dropbox.com:443", "www.dropbox.co:443", "slack.com:443"))
      .map(([code, user, peer, target]) => `1764064801.123     12 10.0.0.5 ${code} 123 CONNECT ${target} ${user} ${peer} -`);
    fc.assert(
      fc.property(fc.array(arbLine, { minLength: 2, maxLength: 12 }), (lines) => {
        const shared = createParseState("squid-native");
        lines.forEach((line, i) => expect(parseSquidNative(line, shared, i + 1)).toEqual(squidReference(line, createParseState("squid-native"), i + 1)));
      }),
      { numRuns: RUNS },
    );
  });
});

const ZEEK_DNS = readFileSync(sample("zeek/dns.log"), "utf8").split("\n").filter(Boolean);
const ZEEK_HEADERS = ZEEK_DNS.filter((l) => l.startsWith("#"));
const ZEEK_RECORDS = ZEEK_DNS.filter((l) => !l.startsWith("#"));

function zeekState(separator?: string): ParseState {
  const st = createParseState("zeek-tsv");
  for (const h of ZEEK_HEADERS) {
    const header = separator === undefined ? h : h.startsWith("#separator") ? "#separator \\x7c" : h.replaceAll("\t", separator);
    parseZeekTsvGeneral(header, st, 1);
  }
  return st;
}

describe("Zeek dns.log: the in-place parser agrees with the general one", () => {
  it("on the sample's records", () => {
    const a = zeekState();
    const b = zeekState();
    ZEEK_RECORDS.forEach((line, i) => expect(parseZeekTsv(line, a, i + 1)).toEqual(parseZeekTsvGeneral(line, b, i + 1)));
  });

  it("on mutated records (fields added, cut, escaped, unset)", () => {
    const zeekPieces = fc.constantFrom("\t", "\t\t", "-", "(empty)", "\\x2e", "\\x41", "\\x", "WWW.", ".", "..", "1e3", "2026-11-25T10:00:01Z", "ü", "\u0000", ":53", "[::1]");
    fc.assert(
      fc.property(fc.constantFrom(...ZEEK_RECORDS), fc.nat(), fc.nat(), fc.array(fc.oneof(zeekPieces, arbHostText()), { maxLength: 4 }), (line, a, b, ins) => {
        const [s, e] = [a % (line.length + 1), b % (line.length + 1)].sort((x, y) => x - y) as [number, number];
        const mutated = line.slice(0, s) + ins.join("") + line.slice(e);
        expect(parseZeekTsv(mutated, zeekState(), 3)).toEqual(parseZeekTsvGeneral(mutated, zeekState(), 3));
      }),
      { numRuns: RUNS },
    );
  });

  it("with another separator (the general path)", () => {
    const line = ZEEK_RECORDS[0]!.replaceAll("\t", "|");
    expect(parseZeekTsv(line, zeekState("|"), 1)).toEqual(parseZeekTsv(ZEEK_RECORDS[0]!, zeekState(), 1));
  });
});

/** What the reader does with an ASCII line without NUL: the bytes parser, or the text parser for a line the bytes one leaves. */
function zeekFromBytes(line: string, st: ParseState, n: number) {
  const bytes = Buffer.concat([Buffer.from("xx"), Buffer.from(line, "latin1"), Buffer.from("\n")]); // not at offset 0
  const r = parseZeekTsvBytes(bytes, 2, 2 + line.length, st, n);
  return r === undefined ? parseZeekTsv(line, st, n) : r;
}
const isAsciiText = (s: string) => /^[\x01-\x09\x0b-\x7f]*$/.test(s);

describe("Zeek dns.log: the bytes parser agrees with the text parser", () => {
  it("on the sample, headers included", () => {
    const a = createParseState("zeek-tsv");
    const b = createParseState("zeek-tsv");
    ZEEK_DNS.forEach((line, i) => expect(zeekFromBytes(line, a, i + 1)).toEqual(parseZeekTsv(line, b, i + 1)));
  });

  it("with each field replaced by an unset or almost unset value", () => {
    const values = ["", "-", "--", "(empty)", "(emptY)", "(emptyx", "[empty)", "(empty", "(empty)x", "\\x41", "x"];
    for (const line of ZEEK_RECORDS.slice(0, 3)) {
      const fields = line.split("\t");
      for (let f = 0; f < fields.length; f++) {
        for (const v of values) {
          const mutated = fields.map((x, i) => (i === f ? v : x)).join("\t");
          expect(zeekFromBytes(mutated, zeekState(), 3)).toEqual(parseZeekTsv(mutated, zeekState(), 3));
        }
      }
    }
  });

  it("on mutated ASCII records (fields added, cut, escaped, unset)", () => {
    const zeekPieces = fc.constantFrom("\t", "\t\t", "-", "(empty)", "(empty", "(emptY)", "\\x2e", "\\x41", "\\x", "WWW.", ".", "..", "1e3", "2026-11-25T10:00:01Z", ":53", "[::1]", "#");
    let compared = 0;
    fc.assert(
      fc.property(fc.constantFrom(...ZEEK_RECORDS), fc.nat(), fc.nat(), fc.array(fc.oneof(zeekPieces, arbHostText()), { maxLength: 4 }), (line, a, b, ins) => {
        const [s, e] = [a % (line.length + 1), b % (line.length + 1)].sort((x, y) => x - y) as [number, number];
        const mutated = line.slice(0, s) + ins.join("") + line.slice(e);
        if (!isAsciiText(mutated)) return;
        compared++;
        expect(zeekFromBytes(mutated, zeekState(), 3)).toEqual(parseZeekTsv(mutated, zeekState(), 3));
      }),
      { numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS / 2);
  });
});

/** utcMs as it was: Date.UTC, then a Date to see whether the day moved. */
function utcMsReference(year: number, month0: number, day: number, h: number, mi: number, sec: number, ms: number): number {
  if (year < 1970 || year > 9999 || month0 < 0 || month0 > 11 || day < 1 || day > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || ms < 0) return NaN;
  const t = Date.UTC(year, month0, day, h, mi, sec, ms);
  if (day > 28 && new Date(t).getUTCDate() !== day) return NaN;
  return t;
}

describe("utcMs checks the end of the month by arithmetic", () => {
  it("agrees with a Date round trip, leap years and leap seconds included", () => {
    const arbYear = fc.oneof(fc.integer({ min: 1960, max: 10_001 }), fc.constantFrom(1970, 2000, 2024, 2026, 2100, 2400, 9999));
    fc.assert(
      fc.property(arbYear, fc.integer({ min: -1, max: 12 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 22, max: 24 }), fc.integer({ min: 58, max: 60 }), fc.integer({ min: 58, max: 61 }), fc.integer({ min: 0, max: 2000 }), (y, m, d, h, mi, s, ms) => {
        const got = utcMs(y, m, d, h, mi, s, ms);
        const want = utcMsReference(y, m, d, h, mi, s, ms);
        if (Number.isNaN(want)) expect(got).toBeNaN();
        else expect(got).toBe(want);
      }),
      { numRuns: RUNS },
    );
    expect(utcMs(2024, 1, 29, 0, 0, 0, 0)).toBe(Date.UTC(2024, 1, 29));
    expect(utcMs(2026, 1, 29, 0, 0, 0, 0)).toBeNaN();
    expect(utcMs(2026, 10, 31, 0, 0, 0, 0)).toBeNaN();
    expect(utcMs(2026, 11, 31, 23, 59, 60, 0)).toBeNaN(); // rolls into the next year
  });
});

/** Unbound parsed the general way: slice the fields after the tag, as the parser did before reading them in place. */
function unboundReference(line: string, st: ParseState, n: number): LineResult {
  if (line.length === 0) return "skip";
  let time: number;
  if (line.charCodeAt(0) === 91) {
    const close = line.indexOf("]");
    time = close < 0 ? NaN : epochSecondsToMs(line.slice(1, close));
  } else time = syslogTime(line, st, { end: 0 });
  if (time !== time) return reject("no [epoch] or syslog timestamp");
  let m = line.indexOf(" info: ");
  let skip = 7;
  if (m < 0) {
    m = line.indexOf(" reply: ");
    skip = 8;
    if (m < 0) return line.indexOf("unbound") >= 0 ? "skip" : reject("not an unbound line");
  }
  const f: string[] = [];
  const count = splitSpaces(line.slice(m + skip), f, 9);
  const isRcode = (s: string): boolean => /^[A-Z]{4,12}$/.test(s);
  if (count < 4 || !isIpLiteralReference(f[0]!)) return skip === 8 ? reject("reply line without client, name, type and class") : "skip";
  if (count === 4) return st.unboundReplies ? "skip" : dnsRecord(time, f[0]!, f[1]!, undefined, n);
  if (count >= 5 && isRcode(f[4]!)) return dnsRecord(time, f[0]!, f[1]!, f[4]!, n);
  return skip === 8 ? reject("reply line without an rcode") : "skip";
}

const UNBOUND = readFileSync(sample("unbound.log"), "utf8").split("\n").filter(Boolean);

describe("Unbound: the in-place parser agrees with the general one", () => {
  const state = (replies: boolean): ParseState => Object.assign(createParseState("unbound", { year: 2026 }), { unboundReplies: replies });
  it("on the sample's lines and on mutated lines, with and without reply lines", () => {
    UNBOUND.forEach((line, i) => expect(parseUnbound(line, state(true), i + 1)).toEqual(unboundReference(line, state(true), i + 1)));
    const unboundPieces = fc.constantFrom(" ", "  ", ".", "..", " info: ", " reply: ", "NOERROR", "nxdomain", "A IN", "[", "]", "0x10", "1e3", "1.5", "Www.Example.COM.", "10.0.0.5", "::1");
    fc.assert(
      fc.property(fc.constantFrom(...UNBOUND), fc.nat(), fc.nat(), fc.array(fc.oneof(unboundPieces, arbHostText()), { maxLength: 4 }), fc.boolean(), (line, a, b, ins, replies) => {
        const [s, e] = [a % (line.length + 1), b % (line.length + 1)].sort((x, y) => x - y) as [number, number];
        const mutated = line.slice(0, s) + ins.join("") + line.slice(e);
        expect(parseUnbound(mutated, state(replies), 3)).toEqual(unboundReference(mutated, state(replies), 3));
      }),
      { numRuns: RUNS },
    );
  });
});

/** Squid common parsed the general way: every field sliced and split (the parser before it read fields in place). */
function squidCommonReference(line: string, n: number): LineResult {
  if (line.length === 0) return "skip";
  const open = line.indexOf(" [");
  const close = open < 0 ? -1 : line.indexOf("] ", open + 2);
  if (open < 0 || close < 0) return reject("no [time] field");
  const f: string[] = [];
  const pre = splitSpaces(line.slice(0, open), f, 4);
  if (pre !== 3) return reject(`expected client, ident and user before the time, found ${pre} fields`);
  const [client, ident, userField] = f as [string, string, string];
  const t = line.slice(open + 2, close);
  // as parseClfTime checks it: the separators between hours, minutes and seconds are not looked at
  const m = /^(\d\d)\/([^]{3})\/(\d{4}):(\d\d)[^](\d\d)[^](\d\d)(?: ([+-])(\d\d)(\d\d))?$/.exec(t);
  const month = m === null ? -1 : monthIndex(m[2]!);
  const time = m === null || month < 0 ? NaN : utcMs(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), 0) - (m[7] === undefined ? 0 : (m[7] === "+" ? 1 : -1) * (Number(m[8]) * 60 + Number(m[9]))) * 60_000;
  if (time !== time) return reject("invalid timestamp");
  const q1 = line.indexOf('"', close + 1);
  const q2 = q1 < 0 ? -1 : line.indexOf('"', q1 + 1);
  if (q1 < 0 || q2 < 0) return reject('no "request" field');
  const r: string[] = [];
  if (splitSpaces(line.slice(q1 + 1, q2), r, 4) < 2) return reject("request has no URL");
  const [method, rawUrl] = r as [string, string];
  const p: string[] = [];
  const tc = splitSpaces(line.slice(q2 + 1), p, 4);
  if (tc < 2) return reject("expected status and bytes after the request");
  const status = p[0]!;
  const bytes = parseBytes(p[1]!);
  if (bytes < 0) return reject("invalid byte count");
  if (!/^\d{3}$/.test(status) && status !== "-") return reject("invalid status");
  const action = tc >= 3 ? p[2]!.split(":")[0] + "/" + status : status;
  if (rawUrl.startsWith("error:")) return "skip";
  let url: string | undefined;
  let rawHost: string | undefined;
  if (rawUrl.indexOf("://") > 0) {
    url = rawUrl;
    rawHost = urlHostPart(rawUrl);
  } else if (method === "CONNECT" || (rawUrl.indexOf(":") > 0 && rawUrl.indexOf("/") < 0)) rawHost = rawUrl;
  else return reject("URL has no host");
  const host = rawHost === undefined ? undefined : normHostGeneral(rawHost);
  if (host === undefined) return reject("invalid host in URL");
  const user = userField !== "-" ? userField : ident !== "-" ? ident : undefined;
  const clientIp = isIpLiteralReference(client) ? client : undefined;
  if (isIpLiteralReference(host)) return makeRecord(time, user, client, clientIp, undefined, host, url, 0, bytes, action, n);
  return makeRecord(time, user, client, clientIp, host, undefined, url, 0, bytes, action, n);
}

const SQUID_COMMON = readFileSync(sample("squid-common.log"), "utf8").split("\n").filter(Boolean);

describe("Squid common: the in-place parser agrees with the general one", () => {
  it("on the sample's lines and on mutated lines", () => {
    SQUID_COMMON.forEach((line, i) => expect(parseSquidCommon(line, createParseState("squid-common"), i + 1)).toEqual(squidCommonReference(line, i + 1)));
    const clfPieces = fc.constantFrom(" ", "  ", "x", "\r", "\u2028", '"', "[", "]", "] ", " [", "Nov", "nov", "NOV", "Nvo", "+0100", "-0000", ":", "-", "(empty)", "CONNECT", "GET", "http://", "error:x", "TCP_MISS:HIER_NONE", "99999999999999999");
    fc.assert(
      fc.property(fc.constantFrom(...SQUID_COMMON), fc.nat(), fc.nat(), fc.array(fc.oneof(clfPieces, arbHostText()), { maxLength: 4 }), (line, a, b, ins) => {
        const [s, e] = [a % (line.length + 1), b % (line.length + 1)].sort((x, y) => x - y) as [number, number];
        const mutated = line.slice(0, s) + ins.join("") + line.slice(e);
        expect(parseSquidCommon(mutated, createParseState("squid-common"), 3)).toEqual(squidCommonReference(mutated, 3));
      }),
      { numRuns: RUNS },
    );
  });
});

/** The RemoteUrl handling of mdeRecord as it was: urlHostPart or the text before the first slash, then normHost. */
function mdeReference(remoteIp: string | undefined, remoteUrl: string | undefined): LineResult {
  let dstIp = remoteIp;
  let host: string | undefined;
  let url: string | undefined;
  if (remoteUrl !== undefined) {
    let raw: string | undefined;
    if (remoteUrl.indexOf("://") > 0) {
      url = remoteUrl;
      raw = urlHostPart(remoteUrl);
    } else {
      const slash = remoteUrl.indexOf("/");
      raw = slash >= 0 ? remoteUrl.slice(0, slash) : remoteUrl;
    }
    host = raw === undefined ? undefined : normHostGeneral(raw);
    if (host === undefined) return reject("invalid RemoteUrl");
    if (isIpLiteralReference(host)) {
      if (dstIp === undefined) dstIp = host;
      host = undefined;
    }
  }
  if (host === undefined && dstIp === undefined) return reject("no destination: RemoteUrl and RemoteIP are empty");
  return makeRecord(5, "u", "d", "10.0.0.1", host, dstIp, url, 0, 0, "ConnectionSuccess", 9);
}

describe("Defender RemoteUrl: the host read in place agrees with the general reading", () => {
  it("on URLs, host[:port][/path] and hostile text", () => {
    const arbRemoteUrl = fc.oneof(
      arbHostText(),
      fc.tuple(arbHostText(), fc.constantFrom("", "/", "/x/y", ":443", ":443/p", "?q", "#f")).map(([h, rest]) => h + rest),
      fc.tuple(fc.constantFrom("https://", "http://", "x://", "://"), arbHostText(), fc.constantFrom("", "/", "/a?b", "@c/d")).map((p) => p.join("")),
    );
    fc.assert(
      fc.property(fc.option(fc.constantFrom("1.2.3.4", "::1"), { nil: undefined }), arbRemoteUrl, (remoteIp, remoteUrl) => {
        expect(mdeRecord(5, "u", undefined, "d", "10.0.0.1", remoteIp, remoteUrl, "ConnectionSuccess", 9)).toEqual(mdeReference(remoteIp, remoteUrl));
      }),
      { numRuns: RUNS },
    );
  });
});
