/*
 * Every traffic reader against the corpus: each hostile host name and user name in each log
 * format, byte-level damage (NUL, invalid UTF-8, a 10 MB line, CRLF, no final line break, a
 * truncated gzip stream) in each format, and random hostile files (fast-check). A reader never
 * throws, accounts for every line (records + rejected + skipped = lines), reports each rejected
 * line with its number and a reason, and never hands the matcher a host name that holds anything
 * but letters, digits, '-', '_' and dots.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { isIpLiteral, type TrafficRecord } from "@sanction/traffic";
import { fcRunsCapped } from "../support/arbitraries.js";
import { readAll, type ReadResult } from "../traffic/support.js";
import { arbLogFile } from "./arbitraries.js";
import { HOSTNAMES, LOG_TEMPLATES, READER_GAPS, URLS, URL_TEMPLATES, USERS, fillTemplate, type LogTemplate } from "./corpus.js";

const dir = mkdtempSync(path.join(tmpdir(), "sanction-hostile-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: string | Buffer, ext = ".log"): string => {
  const p = path.join(dir, `${n++}${ext}`);
  writeFileSync(p, content);
  return p;
};
/** dnsmasq lines have no year: pin it so that no test depends on the file's date. */
const read = (p: string, t: LogTemplate, extra: { maxLineBytes?: number } = {}): Promise<ReadResult> => readAll(p, { format: t.format, year: 2026, ...extra });

/** A host name the matcher can take: DNS characters only, no empty label, at most 253 characters. */
const SAFE_HOST = /^(?=.{1,253}$)[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

/*
 * `lines` counts physical lines. In CSV (RFC 4180) a quoted field may hold a line break, so one
 * record, rejected line or header can span several lines: there the results are at most the
 * lines, and each result still has a line number inside the file.
 */
function expectAccounted(r: ReadResult, what: string): void {
  const s = r.summary;
  const results = s.records + s.rejected + s.skipped;
  if (s.format === "csv") expect(results, `${what}: ${JSON.stringify(s)}`).toBeLessThanOrEqual(s.lines);
  else expect(results, `${what}: ${JSON.stringify(s)}`).toBe(s.lines);
  expect(r.records.length, what).toBe(s.records);
  expect(r.rejects.length, what).toBe(s.rejected);
  for (const x of r.rejects) {
    expect(x.line, what).toBeGreaterThanOrEqual(1);
    expect(x.line, what).toBeLessThanOrEqual(s.lines);
    expect(x.reason, what).not.toBe("");
    // The sample is for a terminal and a report: no raw control character.
    expect(x.sample, what).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  }
}

function expectSafeHosts(records: readonly TrafficRecord[], what: string): void {
  for (const r of records) if (r.host !== undefined) expect(SAFE_HOST.test(r.host) || isIpLiteral(r.host), `${what}: host ${JSON.stringify(r.host)}`).toBe(true);
}


describe("each corpus host name in each log format", () => {
  for (const t of LOG_TEMPLATES) {
    it(`${t.format}: ${t.exact ? "exactly the normalised name, or the line rejected" : "only safe names reach the matcher"}`, async () => {
      for (const h of HOSTNAMES) {
        const what = `${t.format} ${JSON.stringify(h.value)}`;
        const r = await read(file([...t.header, fillTemplate(t, h.value)].join("\n") + "\n"), t);
        expectAccounted(r, what);
        expectSafeHosts(r.records, what);
        if (!t.exact || READER_GAPS.has(h.value)) continue;
        if (h.readsAs === null) {
          expect(r.records, what).toEqual([]);
          expect(r.rejects.length, what).toBeGreaterThanOrEqual(1);
          expect(r.rejects.map((x) => x.reason).join("; "), what).toMatch(/host|server_name|quoted|NUL/);
        } else if (h.address) {
          // An IP literal is an address, never a name: no host, or (SNI cannot be an address) rejected.
          for (const rec of r.records) expect(rec.host, what).toBeUndefined();
        } else {
          expect(r.records.map((x) => x.host), what).toEqual([h.readsAs]);
        }
      }
    });
  }
});

describe("each corpus URL in the formats that log URLs", () => {
  for (const t of URL_TEMPLATES) {
    it(`${t.format}: the host after any userinfo, normalised, or the line rejected`, async () => {
      for (const u of URLS) {
        const what = `${t.format} ${JSON.stringify(u.value)}`;
        const r = await read(file([...t.header, fillTemplate(t, u.value)].join("\n") + "\n"), t);
        expectAccounted(r, what);
        expectSafeHosts(r.records, what);
        if (READER_GAPS.has(u.value)) continue;
        if (u.readsAs === null) {
          expect(r.records, what).toEqual([]);
          expect(r.rejects.map((x) => x.reason).join("; "), what).toMatch(/host|URL/);
        } else if (u.address) {
          expect(r.records.map((x) => [x.host, x.dstIp]), what).toEqual([[undefined, u.readsAs]]);
        } else {
          expect(r.records.map((x) => x.host), what).toEqual([u.readsAs]);
        }
      }
    });
  }
});

describe("each corpus user name in the formats with a user field", () => {
  for (const t of LOG_TEMPLATES.filter((x) => x.line.includes("{USER}"))) {
    it(`${t.format}: ${t.encode === "raw" ? "a record or a rejected line, never a crash" : "kept exactly, as data"}`, async () => {
      for (const u of USERS) {
        const what = `${t.format} ${JSON.stringify(u.value)}`;
        const r = await read(file([...t.header, fillTemplate(t, "ok.example.com", u.value)].join("\n") + "\n"), t);
        expectAccounted(r, what);
        // Quoted or JSON-escaped, a user name is one field whatever it holds.
        if (t.encode !== "raw") expect(r.records.map((x) => x.user), what).toEqual([u.value]);
      }
    });
  }
});

describe("byte-level damage in each format", () => {
  for (const t of LOG_TEMPLATES) {
    const good = (i: number) => fillTemplate(t, `h${i}.example.com`, `u${i}`);
    const body = (k: number) => Array.from({ length: k }, (_, i) => good(i));
    const headerLines = t.header.length;

    it(`${t.format}: NUL bytes, invalid UTF-8 and a 10 MB line reject their line only`, async () => {
      const lines: Buffer[] = [...t.header, good(0)].map((l) => Buffer.from(l));
      lines.push(Buffer.from(good(1).replace("h1.example.com", "h1\0.example.com")));
      const cut = Buffer.from(good(2));
      lines.push(Buffer.concat([cut.subarray(0, 20), Buffer.from([0xff, 0xfe, 0xc3]), cut.subarray(20)]));
      lines.push(Buffer.from(good(3).slice(0, 10) + "x".repeat(10 * 1024 * 1024)));
      lines.push(Buffer.from(good(4)));
      const r = await read(file(Buffer.concat(lines.flatMap((b) => [b, Buffer.from("\n")]))), t);
      expectAccounted(r, t.format);
      expect(r.summary.lines).toBe(headerLines + 5);
      expect(r.records.map((x) => x.host)).toEqual(["h0.example.com", "h4.example.com"]);
      const rejected = new Map(r.rejects.map((x) => [x.line - headerLines, x.reason]));
      expect(rejected.get(2)).toBe("NUL bytes in the line");
      expect(rejected.get(3)).toBe("invalid UTF-8");
      expect(rejected.get(4)).toMatch(/^line longer than 1048576 bytes/);
    });

    it(`${t.format}: CRLF ends read as LF ends; a last line without a break is read; a cut one is rejected`, async () => {
      const lf = await read(file([...t.header, ...body(20)].join("\n") + "\n"), t);
      const crlf = await read(file([...t.header, ...body(20)].join("\r\n") + "\r\n"), t);
      const nolf = await read(file([...t.header, ...body(20)].join("\n")), t);
      expect(lf.summary.records).toBe(20);
      expect(crlf.records).toEqual(lf.records);
      expect(nolf.records).toEqual(lf.records);
      const cut = await read(file([...t.header, ...body(20), good(20).slice(0, 12)].join("\n")), t);
      expectAccounted(cut, t.format);
      expect(cut.records).toEqual(lf.records);
      expect(cut.rejects.map((x) => x.line)).toEqual([headerLines + 21]);
    });

    it(`${t.format}: a truncated gzip stream ends the file with an error; the lines before it are delivered`, async () => {
      const text = [...t.header, ...body(5000)].join("\n") + "\n";
      const gz = gzipSync(Buffer.from(text));
      const r = await read(file(gz.subarray(0, Math.floor(gz.length * 0.6)), ".log.gz"), t);
      expect(r.summary.error).toMatch(/^truncated or corrupt gzip stream/);
      expectAccounted(r, t.format);
      expect(r.summary.records).toBeGreaterThan(100);
      expect(r.summary.records).toBeLessThan(5000);
      const whole = await read(file(text), t);
      expect(r.records).toEqual(whole.records.slice(0, r.records.length));
    });
  }
});

describe("random hostile files (fast-check)", () => {
  for (const t of LOG_TEMPLATES) {
    it(`${t.format}: never throws, accounts for every line, passes only safe host names`, async () => {
      await fc.assert(
        fc.asyncProperty(arbLogFile(t), async ({ text }) => {
          const r = await read(file(text), t);
          expect(r.summary.error).toBeUndefined();
          expectAccounted(r, t.format);
          expectSafeHosts(r.records, t.format);
        }),
        { numRuns: fcRunsCapped(60, 2000) },
      );
    });
  }
});
