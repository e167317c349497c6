import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { readCsv } from "@sanction/catalog";
import { csvCell, generate, InvalidIndicatorError, MDE_BATCH, MDE_CSV_COLUMNS, TARGETS, uuidV5, type Indicator, type IndicatorSet } from "@sanction/indicators";
import { fakePlan } from "./fake-plan.js";

const ind = (value: string, extra: Partial<Indicator> = {}): Indicator => ({
  kind: "domain",
  value,
  action: "block",
  rule: "test",
  source: "t.sanction:1:1",
  severity: "medium",
  scope: { include: undefined, exclude: [] },
  ...extra,
});
const setOf = (...indicators: Indicator[]): IndicatorSet => ({ indicators, notes: [] });

const HOSTILE = ["evil.com\nx IN A 1.2.3.4", 'evil".com', "evil.com#", "evil.com;", "evil .com", "evil\u0000.com", "evil.com\r\nacl all src all", "-evil.com", "Evil.COM", "evil..com", "*.evil.com"];

describe("injection: every target refuses hostile names", () => {
  for (const t of Object.values(TARGETS)) {
    for (const kind of ["block", "warn", "allow"] as const) {
      it(`${t.name} refuses hostile ${kind} names and lists them`, () => {
        for (const bad of HOSTILE) {
          // Allow is not written by STIX: checking its names there would be moot.
          if (t.name === "stix" && kind === "allow") continue;
          let err: unknown;
          try {
            t.render(setOf(ind("good.example.com"), ind(bad, { action: kind })), { walledGarden: "garden.example.com", walledGardenIp: "10.0.0.1" });
          } catch (e) {
            err = e;
          }
          expect(err, `${t.name} ${JSON.stringify(bad)}`).toBeInstanceOf(InvalidIndicatorError);
          expect((err as Error).message).toContain(JSON.stringify(bad));
        }
      });
    }
    it(`${t.name} refuses hostile URLs, redirects and addresses (where it writes them)`, () => {
      const cases = [
        ind("https://x.example.com/a\nb", { kind: "url" }),
        ind('https://x.example.com/"onload', { kind: "url" }),
        ind("https://x.example.com/a b", { kind: "url" }),
        ind("javascript:alert(1)", { kind: "url" }),
        ind("1.2.3.4\n5.6.7.8", { kind: "ip" }),
        ind("ok.example.com", { action: "warn", redirect: "https://i.example.com/\ndeny_info x" }),
        ind("ok.example.com", { action: "warn", redirect: "https://i.example.com/ x" }),
      ];
      for (const c of cases) {
        let out: unknown;
        try {
          out = t.render(setOf(c), { walledGarden: "garden.example.com", walledGardenIp: "10.0.0.1", issued: "2026-01-01" });
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidIndicatorError);
          continue;
        }
        // Not refused: then the value was not written at all (a target that cannot hold URLs or redirects).
        const text = (out as { files: { content: string }[] }).files.map((f) => f.content).join("");
        expect(text, `${t.name} ${JSON.stringify(c.value)}`).not.toContain(c.redirect ?? c.value);
      }
    });
  }
  it("refuses a hostile walled-garden host, address and issue date", () => {
    expect(() => TARGETS["rpz"]!.render(setOf(ind("a.example.com", { action: "warn" })), { walledGarden: "x.com.\n@ NS evil." })).toThrow(InvalidIndicatorError);
    expect(() => TARGETS["unbound"]!.render(setOf(ind("a.example.com", { action: "warn" })), { walledGardenIp: '10.0.0.1"\nserver:' })).toThrow(InvalidIndicatorError);
    expect(() => TARGETS["stix"]!.render(setOf(ind("a.example.com")), { issued: "2026-01-01'" })).toThrow(InvalidIndicatorError);
  });
});

describe("mde-csv", () => {
  it("writes the columns of the reference, in order", () => {
    expect(MDE_CSV_COLUMNS.join(",")).toBe("indicatorType,indicatorValue,action,title,description,expirationTime,severity,recommendedActions,rbacGroups,category,mitretechniques,GenerateAlert");
    const out = TARGETS["mde-csv"]!.render(setOf(ind("a.example.com", { until: "2027-01-01", note: '=HYPERLINK("x"), "quoted"\nline' })), {});
    const rows = readCsv(out.files[0]!.content).rows.map((r) => r.cells);
    expect(rows[0]).toEqual([...MDE_CSV_COLUMNS]);
    expect(rows[1]![0]).toBe("DomainName");
    expect(rows[1]![5]).toBe("2027-01-01T00:00:00.0Z");
    expect(rows[1]![4]).toContain('"quoted"');
    expect(out.files[0]!.content.endsWith("\r\n")).toBe(true);
  });
  it("quotes per RFC 4180 and neutralises formula cells", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe("\"'\rx\"");
    expect(csvCell("a\nb")).toBe('"a\nb"');
  });
  it("refuses control characters in free text", () => {
    expect(() => TARGETS["mde-csv"]!.render(setOf(ind("a.example.com", { note: "x\u0000y" })), {})).toThrow(InvalidIndicatorError);
  });
});

/** The Defender indicator entity (POST /api/indicators and the import API), written from the reference. */
const MDE_SCHEMA = {
  type: "object",
  required: ["Indicators"],
  additionalProperties: false,
  properties: {
    Indicators: {
      type: "array",
      maxItems: 500,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["indicatorValue", "indicatorType", "action", "title", "description"],
        properties: {
          indicatorValue: { type: "string", minLength: 1 },
          indicatorType: { enum: ["FileSha1", "FileSha256", "FileMd5", "CertificateThumbprint", "IpAddress", "DomainName", "Url"] },
          action: { enum: ["Warn", "Block", "Audit", "Alert", "AlertAndBlock", "BlockAndRemediate", "Allowed"] },
          title: { type: "string", minLength: 1 },
          description: { type: "string", minLength: 1 },
          recommendedActions: { type: "string" },
          severity: { enum: ["Informational", "Low", "Medium", "High"] },
          expirationTime: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$" },
          rbacGroupNames: { type: "array", items: { type: "string" } },
          generateAlert: { type: "boolean" },
          application: { type: "string" },
          educateUrl: { type: "string", pattern: "^https?://" },
        },
        allOf: [
          { if: { properties: { action: { const: "Audit" } } }, then: { required: ["generateAlert"], properties: { generateAlert: { const: true } } } },
          { if: { properties: { indicatorType: { enum: ["DomainName", "Url", "IpAddress"] } } }, then: { properties: { action: { not: { const: "BlockAndRemediate" } } } } },
        ],
      },
    },
  },
};

describe("mde-json", () => {
  const validate = new Ajv({ allErrors: true }).compile(MDE_SCHEMA);
  it("validates against the indicator schema, in batches of at most 500", () => {
    const many = Array.from({ length: 1234 }, (_, i) => ind(`h${i}.example.com`, { action: (["block", "warn", "audit", "allow"] as const)[i % 4], until: "2027-01-01", redirect: "https://i.example.com/apps#x" }));
    const out = TARGETS["mde-json"]!.render(setOf(...many, ind("198.51.100.23", { kind: "ip", action: "audit" }), ind("https://x.example.com/p/", { kind: "url", action: "allow" })), {});
    expect(out.files.map((f) => f.name)).toEqual(["mde-indicators-0001.json", "mde-indicators-0002.json", "mde-indicators-0003.json"]);
    for (const f of out.files) {
      const body = JSON.parse(f.content);
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      expect(body.Indicators.length).toBeLessThanOrEqual(MDE_BATCH);
    }
    const all = out.files.flatMap((f) => JSON.parse(f.content).Indicators);
    expect(all.find((m: { indicatorValue: string }) => m.indicatorValue === "h1.example.com")).toMatchObject({ action: "Warn", educateUrl: "https://i.example.com/apps#x", expirationTime: "2027-01-01T00:00:00Z", generateAlert: false });
    expect(all.find((m: { indicatorValue: string }) => m.indicatorValue === "h2.example.com")).toMatchObject({ action: "Audit", generateAlert: true });
  });
  it("the sample policies' indicators validate", async () => {
    const { loadSamplePlan } = await import("./sample-plan.js");
    const out = TARGETS["mde-json"]!.render(generate(await loadSamplePlan()), {});
    for (const f of out.files) expect(validate(JSON.parse(f.content)), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("stix", () => {
  it("uuid v5 matches the RFC 4122 test vector", () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
    expect(uuidV5("python.org", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
  });
  it("writes domain, url and ip patterns with fixed timestamps from the input", () => {
    const out = TARGETS["stix"]!.render(setOf(ind("a.example.com"), ind("https://x.example.com/p", { kind: "url" }), ind("198.51.100.23", { kind: "ip", action: "audit" }), ind("ok.example.com", { action: "allow" })), { issued: "2026-11-01" });
    const b = JSON.parse(out.files[0]!.content);
    expect(b.type).toBe("bundle");
    expect(b.objects.map((o: { pattern: string }) => o.pattern).sort()).toEqual(["[domain-name:value = 'a.example.com']", "[ipv4-addr:value = '198.51.100.23']", "[url:value = 'https://x.example.com/p']"]);
    for (const o of b.objects) {
      expect(o).toMatchObject({ spec_version: "2.1", created: "2026-11-01T00:00:00.000Z", modified: "2026-11-01T00:00:00.000Z", pattern_type: "stix" });
      expect(o.id).toMatch(/^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe("squid", () => {
  it("writes only the dotted form and drops names a listed parent covers", () => {
    const out = TARGETS["squid"]!.render(setOf(ind("x.example.com"), ind("a.x.example.com"), ind("y.example.com", { action: "warn", redirect: "https://i.example.com/w" })), {});
    expect(out.files[0]!.content).toBe(
      [
        "# generated by sanction indicators; do not edit",
        "acl sanction_block dstdomain .x.example.com",
        "http_access deny sanction_block",
        "acl sanction_warn dstdomain .y.example.com",
        "deny_info https://i.example.com/w sanction_warn",
        "http_access deny sanction_warn",
        "",
      ].join("\n"),
    );
  });
});

describe("the sample policies, every target (golden)", async () => {
  const { loadSamplePlan } = await import("./sample-plan.js");
  const { expectGolden } = await import("../support/golden.js");
  const plan = await loadSamplePlan();
  for (const t of Object.values(TARGETS)) {
    it(t.name, () => {
      const out = t.render(generate(plan), { issued: "2026-11-01", walledGarden: "warn.intranet.example.com", walledGardenIp: "10.9.9.9" });
      const text = out.files.map((f) => `==> ${f.name} <==\n${f.content}`).join("") + `==> notes <==\n${out.notes.map((n) => `${n.kind}: ${n.message}`).join("\n")}\n`;
      expectGolden(text, path.join(__dirname, "golden", `${t.name}.txt`));
    });
  }
});
