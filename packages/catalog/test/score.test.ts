import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ATTRIBUTES,
  RISK_FAMILIES,
  builtinCatalog,
  explainScore,
  scoreApp,
  tryScoreApp,
  MIN_KNOWN_ATTRIBUTES,
  type AttributeInfo,
  type AttributeValue,
  type CatalogApp,
  type Importance,
  type ScoreConfig,
} from "../src/index.js";

const prov = { source: "test", date: "2026-01-01" };
const known = (value: boolean | number | string): AttributeValue => ({ known: true, value, provenance: prov });
const ASOF = "2026-11-25";

function app(attributes: Record<string, AttributeValue>, id = "x"): CatalogApp {
  return { id, name: id, vendor: "v", category: "other", domains: ["x.example"], attributes, origin: "curated" };
}

// The arithmetic tests score apps with one or two values, so they lower the minimum of known
// values to 1; the insufficient-data rule has its own tests with the default.
function config(partial: Partial<ScoreConfig> = {}): ScoreConfig {
  return { families: {}, attributes: {}, unknown: "ignored", asOf: ASOF, minKnownAttributes: 1, ...partial };
}

function defaults(partial: Partial<ScoreConfig> = {}): ScoreConfig {
  return { families: {}, attributes: {}, unknown: "ignored", asOf: ASOF, ...partial };
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

describe("scoreApp", () => {
  it("a boolean attribute scores 10 when true and 0 when false", () => {
    expect(scoreApp(app({ "security.mfa": known(true) }), config())).toBe(10);
    expect(scoreApp(app({ "security.mfa": known(false) }), config())).toBe(0);
  });

  it("attributes where true is bad are inverted", () => {
    expect(scoreApp(app({ "security.remember_password": known(true) }), config())).toBe(0);
    expect(scoreApp(app({ "security.drown_vulnerable": known(false) }), config())).toBe(10);
  });

  it("age attributes scale with time: an old domain scores high, a recent breach low", () => {
    expect(scoreApp(app({ "general.domain_registration": known("1995-08-01") }), config())).toBe(10);
    expect(scoreApp(app({ "general.domain_registration": known("2021-11-25") }), config())).toBeCloseTo(5, 2);
    expect(scoreApp(app({ "security.latest_breach": known("2026-10-01") }), config())).toBeLessThan(1);
    expect(scoreApp(app({ "security.latest_breach": known("2012-07-01") }), config())).toBe(10);
    expect(scoreApp(app({ "general.founded": known(2024) }), config())).toBeCloseTo(2, 5);
  });

  it("averages within a family by attribute importance", () => {
    const a = app({ "security.mfa": known(true), "security.saml": known(false) });
    expect(scoreApp(a, config())).toBe(5);
    expect(scoreApp(a, config({ attributes: { "security.mfa": "very_high", "security.saml": "low" } }))).toBeCloseTo(8, 5);
  });

  it("averages the families by family importance", () => {
    const a = app({ "security.mfa": known(true), "compliance.soc2": known(false) });
    expect(scoreApp(a, config())).toBe(5);
    expect(scoreApp(a, config({ families: { security: "high", compliance: "low" } }))).toBeCloseTo(7.5, 5);
    expect(scoreApp(a, config({ families: { compliance: "ignored" } }))).toBe(10);
  });

  it("unknown values are left out, or count as risk", () => {
    const a = app({ "security.mfa": known(true) });
    expect(scoreApp(a, config({ unknown: "ignored" }))).toBe(10);
    const risky = scoreApp(a, config({ unknown: "counts_as_risk" }));
    expect(risky).toBeGreaterThan(0);
    expect(risky).toBeLessThan(1);
  });

  it("an app with nothing known is not scored (score 0, tryScoreApp undefined)", () => {
    const e = explainScore(app({}), config());
    expect(e.scored).toBe(false);
    expect(e.total).toBe(0);
    expect(e.contributions).toEqual([]);
    expect(tryScoreApp(app({}), config())).toBeUndefined();
    expect(explainScore(app({}), config({ unknown: "counts_as_risk" })).scored).toBe(true);
  });

  it("an app with fewer known values than the minimum has insufficient data, and says so", () => {
    expect(MIN_KNOWN_ATTRIBUTES).toBe(3);
    const two = app({ "security.mfa": known(true), "compliance.soc2": known(true), "general.headquarters": known("US") });
    const e = explainScore(two, defaults());
    expect(e.scored).toBe(false);
    expect(e.insufficientData).toEqual({ known: 2, required: 3, reason: "2 known risk attributes, at least 3 needed for a score" });
    expect(e.total).toBe(0);
    expect(scoreApp(two, defaults())).toBe(0);
    expect(tryScoreApp(two, defaults())).toBeUndefined();
    // it still lists what it has, and the provisional sum adds up
    expect(e.knownCount).toBe(2);
    expect(e.contributions.map((c) => c.attribute)).toEqual(["security.mfa", "compliance.soc2"]);
    expect(e.computed).toBe(10);
    expect(sum(e.contributions.map((c) => c.contribution))).toBe(e.computed);
    // informational values do not count toward the minimum
    expect(e.skipped).toContainEqual({ attribute: "general.headquarters", reason: "informational" });
  });

  it("the minimum counts only known values that enter the score", () => {
    const three = app({ "security.mfa": known(true), "compliance.soc2": known(true), "legal.dmca": known(false) });
    expect(explainScore(three, defaults()).scored).toBe(true);
    expect(tryScoreApp(three, defaults())).toBeCloseTo(20 / 3, 5);
    // ignoring one of the three leaves two: insufficient again
    const ignoring = defaults({ attributes: { "legal.dmca": "ignored" } });
    expect(explainScore(three, ignoring).insufficientData?.known).toBe(2);
    expect(explainScore(three, defaults({ families: { legal: "ignored" } })).scored).toBe(false);
    // an invalid value is skipped, not counted
    const invalid = app({ "security.mfa": known(true), "compliance.soc2": known(true), "compliance.fedramp": known("nope") });
    expect(explainScore(invalid, defaults()).insufficientData?.known).toBe(2);
  });

  it("the minimum is configurable, does not apply when unknown values count as risk, and yields to an override", () => {
    const one = app({ "security.mfa": known(true) }, "acme");
    expect(tryScoreApp(one, defaults({ minKnownAttributes: 1 }))).toBe(10);
    expect(tryScoreApp(one, defaults({ minKnownAttributes: 0 }))).toBe(10);
    const risky = explainScore(one, defaults({ unknown: "counts_as_risk" }));
    expect(risky.scored).toBe(true);
    expect(risky.insufficientData).toBeUndefined();
    expect(risky.knownCount).toBe(1);
    const pinned = defaults({ overrides: { acme: { score: 7, note: "reviewed" } } });
    expect(tryScoreApp(one, pinned)).toBe(7);
    expect(explainScore(one, pinned).insufficientData?.known).toBe(1);
    // nothing known at all is "not scored", not "insufficient data"
    expect(explainScore(app({}), defaults()).insufficientData).toBeUndefined();
  });

  it("a per-app override replaces the score and keeps its note", () => {
    const a = app({ "security.mfa": known(false) }, "acme");
    const c = config({ overrides: { acme: { score: 8, note: "reviewed by the security team" } } });
    expect(scoreApp(a, c)).toBe(8);
    const e = explainScore(a, c);
    expect(e.computed).toBe(0);
    expect(e.override).toEqual({ score: 8, note: "reviewed by the security team" });
    expect(tryScoreApp(app({}, "acme"), c)).toBe(8);
  });

  it("explains each contribution with value, score, weight, family and provenance", () => {
    const e = explainScore(app({ "security.mfa": known(true), "legal.dmca": known(false), "general.headquarters": known("US") }), config());
    expect(e.contributions.map((c) => c.attribute)).toEqual(["security.mfa", "legal.dmca"]);
    const mfa = e.contributions[0]!;
    expect(mfa).toMatchObject({ family: "security", value: true, attributeScore: 10, weight: 2, importance: "medium", share: 0.5, contribution: 5, provenance: prov });
    expect(e.families.find((f) => f.family === "security")).toMatchObject({ score: 10, subtotal: 5 });
    expect(e.families.find((f) => f.family === "general")?.score).toBeUndefined();
    expect(e.skipped).toContainEqual({ attribute: "general.headquarters", reason: "informational" });
  });

  it("built-in apps: published attestations score high, apps nobody vouches for are not scored", () => {
    const catalog = builtinCatalog();
    const dropbox = explainScore(catalog.findApp("Dropbox")!, config());
    expect(dropbox.scored).toBe(true);
    expect(dropbox.total).toBeGreaterThan(8);
    const soc2 = dropbox.contributions.find((c) => c.attribute === "compliance.soc2")!;
    expect(soc2.provenance?.source).toMatch(/^https:\/\/www\.dropbox\.com\//);
    expect(tryScoreApp(catalog.findApp("torrentz.cl")!, config())).toBeUndefined();
    // with the default minimum, every built-in app either has no known value, too few, or a score
    for (const a of catalog.apps()) {
      const x = explainScore(a, defaults());
      if (x.scored) expect(x.knownCount).toBeGreaterThanOrEqual(MIN_KNOWN_ATTRIBUTES);
      else expect(x.knownCount === 0 || x.insufficientData !== undefined).toBe(true);
    }
    expect(scoreApp(catalog.findApp("File Dropper")!, config({ unknown: "counts_as_risk" }))).toBe(0);
    // a disclosed breach pulls the security family down
    const okta = explainScore(catalog.findApp("Okta")!, config());
    expect(okta.contributions.find((c) => c.attribute === "security.latest_breach")!.attributeScore).toBeLessThan(10);
  });
});

// ── properties ──────────────────────────────────────────────────────────────
const scored = ATTRIBUTES.filter((a) => a.scoring !== undefined);
const importance = fc.constantFrom<Importance>("ignored", "low", "medium", "high", "very_high");

function valueFor(attr: AttributeInfo): fc.Arbitrary<boolean | number | string> {
  switch (attr.type.kind) {
    case "boolean":
      return fc.boolean();
    case "enum":
      return fc.constantFrom(...attr.type.values);
    case "number":
      return attr.scoring?.kind === "age" ? fc.integer({ min: 1900, max: 2026 }) : fc.double({ min: 0, max: 10, noNaN: true });
    case "date":
      return fc.date({ min: new Date("1990-01-01"), max: new Date("2026-11-25"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case "string":
      return fc.string({ minLength: 1 });
  }
}

const attributeValues = fc
  .subarray(ATTRIBUTES.map((a) => a))
  .chain((attrs) => fc.tuple(...attrs.map((a) => valueFor(a).map((v) => [a.id, known(v)] as const))))
  .map((pairs) => Object.fromEntries(pairs) as Record<string, AttributeValue>);

const configs = fc.record({
  families: fc.dictionary(fc.constantFrom(...RISK_FAMILIES), importance),
  attributes: fc.dictionary(fc.constantFrom(...scored.map((a) => a.id)), importance),
  unknown: fc.constantFrom<"ignored" | "counts_as_risk">("ignored", "counts_as_risk"),
  asOf: fc.constant(ASOF),
  minKnownAttributes: fc.constantFrom(0, 1, 3, 5),
}) as fc.Arbitrary<ScoreConfig>;

const attributeAndValue = fc
  .constantFrom(...scored)
  .chain((attr) => fc.tuple(fc.constant(attr), valueFor(attr)));

describe("score properties", () => {
  it("tryScoreApp, which computes only the total, agrees with explainScore", () => {
    // known values, unknown values, values of the wrong type and ids that are no attribute
    const values = fc
      .tuple(attributeValues, fc.subarray(ATTRIBUTES.map((a) => a.id)), fc.subarray(scored.map((a) => a.id), { maxLength: 3 }), fc.boolean())
      .map(([v, unknown, wrong, stray]) => ({
        ...v,
        ...Object.fromEntries(unknown.map((id) => [id, { known: false } as const])),
        ...Object.fromEntries(wrong.map((id) => [id, known(ATTRIBUTES.find((a) => a.id === id)!.type.kind === "boolean" ? "yes" : true)])),
        ...(stray ? { "general.no_such_attribute": known(true) } : {}),
      }));
    const override = fc.option(fc.record({ score: fc.double({ min: -5, max: 15, noNaN: true }) }), { nil: undefined });
    fc.assert(
      fc.property(values, configs, override, (vals, cfg, ov) => {
        const c: ScoreConfig = ov ? { ...cfg, overrides: { x: ov } } : cfg;
        const e = explainScore(app(vals), c);
        expect(tryScoreApp(app(vals), c)).toBe(e.scored || e.override ? e.total : undefined);
      }),
      { numRuns: 1000 },
    );
    for (const cfg of [defaults(), defaults({ unknown: "counts_as_risk" }), defaults({ families: { security: "very_high", legal: "ignored" } })]) {
      for (const a of builtinCatalog().apps()) {
        const e = explainScore(a, cfg);
        expect(tryScoreApp(a, cfg), a.id).toBe(e.scored || e.override ? e.total : undefined);
      }
    }
  });

  it("the total is within [0, 10] and equals the sum of the contributions exactly", () => {
    fc.assert(
      fc.property(attributeValues, configs, (values, cfg) => {
        const e = explainScore(app(values), cfg);
        expect(e.total).toBeGreaterThanOrEqual(0);
        expect(e.total).toBeLessThanOrEqual(10);
        expect(sum(e.contributions.map((c) => c.contribution))).toBe(e.computed);
        expect(sum([...e.contributions].reverse().map((c) => c.contribution))).toBe(e.computed);
        expect(sum(e.families.map((f) => f.subtotal))).toBe(e.computed);
        // scored: the total is that sum; not scored (nothing known, or too little): 0
        expect(e.total).toBe(e.scored ? e.computed : 0);
        if (e.insufficientData) expect(e.insufficientData.known).toBeLessThan(e.insufficientData.required);
        expect(e.scored).toBe(e.contributions.length > 0 && (cfg.unknown === "counts_as_risk" || e.knownCount >= (cfg.minKnownAttributes ?? 3)));
        expect(scoreApp(app(values), cfg)).toBe(e.total);
        for (const c of e.contributions) {
          expect(c.attributeScore).toBeGreaterThanOrEqual(0);
          expect(c.attributeScore).toBeLessThanOrEqual(10);
        }
        if (e.scored) expect(sum(e.contributions.map((c) => c.share))).toBeCloseTo(1, 9);
      }),
      { numRuns: 300 },
    );
  });

  it("changing or removing an ignored attribute does not change the score", () => {
    fc.assert(
      fc.property(attributeValues, configs, attributeAndValue, fc.boolean(), (values, cfg, [attr, replacement], remove) => {
        const ignoredCfg: ScoreConfig = { ...cfg, attributes: { ...cfg.attributes, [attr.id]: "ignored" } };
        const before = scoreApp(app(values), ignoredCfg);
        const changed = { ...values };
        if (remove) delete changed[attr.id];
        else changed[attr.id] = known(replacement);
        expect(scoreApp(app(changed), ignoredCfg)).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it("an attribute in an ignored family does not change the score", () => {
    fc.assert(
      fc.property(attributeValues, configs, fc.constantFrom(...scored), (values, cfg, attr) => {
        const ignoredCfg: ScoreConfig = { ...cfg, families: { ...cfg.families, [attr.family]: "ignored" } };
        const changed = { ...values };
        delete changed[attr.id];
        expect(scoreApp(app(changed), ignoredCfg)).toBe(scoreApp(app(values), ignoredCfg));
      }),
      { numRuns: 200 },
    );
  });

  it("raising one boolean attribute from false to true never lowers the score (when true is good)", () => {
    const goods = scored.filter((a) => a.scoring?.kind === "boolean" && a.scoring.trueIsGood);
    fc.assert(
      fc.property(attributeValues, configs, fc.constantFrom(...goods), (values, cfg, attr) => {
        const lo = scoreApp(app({ ...values, [attr.id]: known(false) }), cfg);
        const hi = scoreApp(app({ ...values, [attr.id]: known(true) }), cfg);
        expect(hi).toBeGreaterThanOrEqual(lo - 2 ** -19);
      }),
      { numRuns: 200 },
    );
  });
});
