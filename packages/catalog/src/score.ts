import { ATTRIBUTES, RISK_FAMILIES, type AttributeInfo, type AttributeScoring } from "./attributes.js";
import type { CatalogApp, Importance, Provenance, RiskFamily, ScoreConfig } from "./types.js";

/**
 * Risk score, 0 (high risk) to 10 (low risk), after the Defender for Cloud Apps method:
 * every scored attribute gets a 0..10 attribute score, attributes are averaged within their
 * family with their importance as weight, and the four family subscores are averaged with
 * the families' importance as weight.
 *
 * MDCA does not publish the numeric weight behind each importance level. These are ours:
 * ignored 0, low 1, medium 2, high 3, very high 4. Families and attributes default to medium.
 *
 * Unknown values: `ignored` leaves them out of both averages (a family with nothing known
 * drops out); `counts_as_risk` scores them 0. An app with nothing to score (every value
 * unknown and ignored, or every weight 0) is *not scored*: `explainScore` says `scored:
 * false` and the score is 0 — no evidence is treated as highest risk. `tryScoreApp` returns
 * undefined instead.
 *
 * Insufficient data: when unknown values are ignored, an app whose *known* values that count
 * toward the score are fewer than `MIN_KNOWN_ATTRIBUTES` (3; `config.minKnownAttributes`
 * changes it) is not scored either: with unknowns left out, one or two values would decide
 * the whole score (a lone `security.mfa = true` is a perfect 10). `explainScore` still lists
 * those contributions and their provisional sum (`computed`), with `insufficientData` saying
 * how many were known and how many are needed. Under `counts_as_risk` every unknown value is
 * scored (as 0), so the score is defined by the user's own rule and the minimum does not apply.
 *
 * Exactness: each contribution is a multiple of 2^-20 (about 1e-6), apportioned with the
 * largest-remainder method, so the contributions add up to the total exactly in any order.
 */

export const IMPORTANCE_WEIGHTS: Readonly<Record<Importance, number>> = {
  ignored: 0,
  low: 1,
  medium: 2,
  high: 3,
  very_high: 4,
};

export const DEFAULT_IMPORTANCE: Importance = "medium";

export const DEFAULT_SCORE_CONFIG: ScoreConfig = { families: {}, attributes: {}, unknown: "ignored" };

/**
 * Fewest known, counted attribute values for a precise score when unknown values are
 * ignored. A judgment call (MDCA publishes no such threshold): with one value the score is
 * that value's 0 or 10; with two booleans of equal weight it can only be 0, 5 or 10. The thin
 * records in the built-in data are two general facts from one encyclopedia entry (founding
 * year and public/private holding: 29 apps), which say nothing about security yet would score
 * as high as a reviewed app; three asks for evidence beyond one source page.
 */
export const MIN_KNOWN_ATTRIBUTES = 3;

/** The grid contributions are quantized to. */
export const SCORE_QUANTUM = 2 ** -20;

export interface AttributeContribution {
  readonly attribute: string;
  readonly family: RiskFamily;
  readonly label: string;
  /** The known value, or undefined when unknown (then it counts as risk, scored 0). */
  readonly value: boolean | number | string | undefined;
  readonly known: boolean;
  readonly provenance?: Provenance;
  /** The attribute's own score, 0..10. */
  readonly attributeScore: number;
  readonly importance: Importance;
  /** Attribute weight within its family (from importance). */
  readonly weight: number;
  /** Fraction of the total this attribute carries: family share × share within the family. */
  readonly share: number;
  /** Points this attribute adds to the total (share × attribute score, quantized). */
  readonly contribution: number;
}

export interface FamilyExplanation {
  readonly family: RiskFamily;
  readonly importance: Importance;
  readonly weight: number;
  /** Family subscore 0..10 (weighted average of its attribute scores); undefined when it drops out. */
  readonly score: number | undefined;
  /** Sum of this family's contributions to the total. */
  readonly subtotal: number;
  readonly contributions: readonly AttributeContribution[];
}

export type SkipReason = "attribute_ignored" | "family_ignored" | "unknown_ignored" | "informational" | "invalid_value" | "not_an_attribute";

export interface SkippedAttribute {
  readonly attribute: string;
  readonly reason: SkipReason;
}

/** Why an app with a few known values gets no precise score. */
export interface InsufficientData {
  /** Known values that count toward the score. */
  readonly known: number;
  /** The minimum in force (`MIN_KNOWN_ATTRIBUTES` unless configured). */
  readonly required: number;
  /** One line for people: `2 known risk attributes, at least 3 needed for a score`. */
  readonly reason: string;
}

export interface ScoreExplanation {
  readonly appId: string;
  /**
   * The app's score: the override when there is one, else the computed score when the app is
   * scored, else 0 (no score: highest risk).
   */
  readonly total: number;
  /**
   * The score from the attributes: the sum of all contributions, exactly. When the app has
   * insufficient data this is the provisional value, not the app's score.
   */
  readonly computed: number;
  /** False when nothing could be scored or the data is insufficient (see `insufficientData`). */
  readonly scored: boolean;
  /** Set when some values are known but fewer than the minimum (unknown values ignored). */
  readonly insufficientData?: InsufficientData;
  /** Known values counted in the contributions. */
  readonly knownCount: number;
  readonly override?: { readonly score: number; readonly note?: string };
  readonly unknown: ScoreConfig["unknown"];
  readonly families: readonly FamilyExplanation[];
  /** All contributions, family by family. */
  readonly contributions: readonly AttributeContribution[];
  /** Known values that were not counted, and why (unknown values left out are only counted). */
  readonly skipped: readonly SkippedAttribute[];
  /** Scored attributes whose value is unknown. */
  readonly unknownCount: number;
}

/** The 0..10 score of one known value, or undefined when the value does not fit the scoring. */
export function scoreAttributeValue(
  scoring: AttributeScoring,
  value: boolean | number | string,
  asOf: Date,
): number | undefined {
  switch (scoring.kind) {
    case "boolean":
      if (typeof value !== "boolean") return undefined;
      return value === scoring.trueIsGood ? 10 : 0;
    case "enum": {
      if (typeof value !== "string") return undefined;
      const s = scoring.scores[value];
      return s === undefined ? undefined : s;
    }
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
      return clamp(value, 0, 10);
    case "age": {
      const years = yearsSince(value, asOf);
      if (years === undefined) return undefined;
      return clamp(((years - scoring.zeroAt) / (scoring.tenAt - scoring.zeroAt)) * 10, 0, 10);
    }
  }
}

function yearsSince(value: boolean | number | string, asOf: Date): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return asOf.getUTCFullYear() - value;
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const t = Date.parse(value + "T00:00:00Z");
    if (Number.isNaN(t)) return undefined;
    return (asOf.getTime() - t) / (365.25 * 24 * 3600 * 1000);
  }
  return undefined;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function importanceOf(map: Readonly<Record<string, Importance | undefined>>, key: string): Importance {
  return Object.prototype.hasOwnProperty.call(map, key) ? (map[key] ?? DEFAULT_IMPORTANCE) : DEFAULT_IMPORTANCE;
}

interface Pending {
  attr: AttributeInfo;
  value: boolean | number | string | undefined;
  provenance?: Provenance;
  attributeScore: number;
  importance: Importance;
  weight: number;
}

/** How one attribute is weighed under a configuration: everything that does not depend on the app. */
interface AttributeRule {
  readonly attr: AttributeInfo;
  /** Index of the attribute's family in RISK_FAMILIES (-1: not a risk family, never counted). */
  readonly family: number;
  readonly importance: Importance;
  readonly weight: number;
  /** Why a known value is not counted whatever it is, or undefined when it is scored. */
  readonly skip: SkipReason | undefined;
}

interface ScoringRules {
  readonly rules: readonly AttributeRule[];
  readonly ids: ReadonlySet<string>;
  /** Per family of RISK_FAMILIES: its weight. */
  readonly familyWeights: readonly number[];
}

/**
 * Rules per configuration and attribute list. A compile scores every catalog app (thousands)
 * under one configuration; resolving importances per app and attribute was most of the time.
 * Configurations are read-only values, so a rule set is kept for as long as its configuration.
 */
const rulesCache = new WeakMap<ScoreConfig, WeakMap<readonly AttributeInfo[], ScoringRules>>();

function scoringRules(config: ScoreConfig, attributes: readonly AttributeInfo[]): ScoringRules {
  let byAttributes = rulesCache.get(config);
  if (!byAttributes) rulesCache.set(config, (byAttributes = new WeakMap()));
  const cached = byAttributes.get(attributes);
  if (cached) return cached;
  const rules = attributes.map((attr): AttributeRule => {
    const familyWeight = IMPORTANCE_WEIGHTS[importanceOf(config.families, attr.family)];
    const importance = importanceOf(config.attributes, attr.id);
    const weight = IMPORTANCE_WEIGHTS[importance];
    const skip = !attr.scoring ? "informational" : familyWeight === 0 ? "family_ignored" : weight === 0 ? "attribute_ignored" : undefined;
    return { attr, family: RISK_FAMILIES.indexOf(attr.family), importance, weight, skip };
  });
  const familyWeights = RISK_FAMILIES.map((f) => IMPORTANCE_WEIGHTS[importanceOf(config.families, f)]);
  const made: ScoringRules = { rules, ids: new Set(attributes.map((a) => a.id)), familyWeights };
  byAttributes.set(attributes, made);
  return made;
}

function referenceDate(config: ScoreConfig): Date {
  return config.asOf ? new Date(config.asOf + "T00:00:00Z") : new Date();
}

/** Explains an app's score attribute by attribute. */
export function explainScore(
  app: CatalogApp,
  config: ScoreConfig = DEFAULT_SCORE_CONFIG,
  attributes: readonly AttributeInfo[] = ATTRIBUTES,
): ScoreExplanation {
  const asOf = referenceDate(config);
  const { rules, ids, familyWeights } = scoringRules(config, attributes);
  const skipped: SkippedAttribute[] = [];
  let unknownCount = 0;
  const byFamily = new Map<RiskFamily, Pending[]>();
  for (const id of Object.keys(app.attributes)) {
    if (!ids.has(id) && app.attributes[id]?.known) skipped.push({ attribute: id, reason: "not_an_attribute" });
  }

  for (const { attr, importance, weight, skip } of rules) {
    const v = app.attributes[attr.id];
    const isKnown = v !== undefined && v.known;
    if (skip !== undefined) {
      if (isKnown) skipped.push({ attribute: attr.id, reason: skip });
      continue;
    }
    let value: boolean | number | string | undefined;
    let provenance: Provenance | undefined;
    let attributeScore: number | undefined;
    if (isKnown) {
      attributeScore = scoreAttributeValue(attr.scoring!, v.value, asOf);
      if (attributeScore === undefined) {
        skipped.push({ attribute: attr.id, reason: "invalid_value" });
        continue;
      }
      value = v.value;
      provenance = v.provenance;
    } else {
      unknownCount++;
      if (config.unknown === "ignored") continue;
      attributeScore = 0;
    }
    let list = byFamily.get(attr.family);
    if (!list) byFamily.set(attr.family, (list = []));
    const p: Pending = { attr, value, attributeScore, importance, weight };
    if (provenance) p.provenance = provenance;
    list.push(p);
  }

  // family weights over the families that have something to score
  let familyWeightSum = 0;
  RISK_FAMILIES.forEach((f, i) => {
    if ((byFamily.get(f)?.length ?? 0) > 0) familyWeightSum += familyWeights[i]!;
  });

  // exact shares and raw contributions, then quantize with largest remainders
  const flat: { p: Pending; share: number; raw: number }[] = [];
  RISK_FAMILIES.forEach((f, i) => {
    const list = byFamily.get(f) ?? [];
    const wSum = list.reduce((s, p) => s + p.weight, 0);
    const fw = familyWeights[i]!;
    for (const p of list) {
      const share = (fw / familyWeightSum) * (p.weight / wSum);
      flat.push({ p, share, raw: share * p.attributeScore });
    }
  });
  const units = apportion(flat.map((x) => x.raw));

  const contributions: AttributeContribution[] = flat.map((x, i) => {
    const c: AttributeContribution = {
      attribute: x.p.attr.id,
      family: x.p.attr.family,
      label: x.p.attr.label,
      value: x.p.value,
      known: x.p.value !== undefined,
      attributeScore: x.p.attributeScore,
      importance: x.p.importance,
      weight: x.p.weight,
      share: x.share,
      contribution: units[i]! * SCORE_QUANTUM,
    };
    return x.p.provenance ? { ...c, provenance: x.p.provenance } : c;
  });

  const families: FamilyExplanation[] = RISK_FAMILIES.map((f) => {
    const importance = importanceOf(config.families, f);
    const mine = contributions.filter((c) => c.family === f);
    const wSum = mine.reduce((s, c) => s + c.weight, 0);
    return {
      family: f,
      importance,
      weight: IMPORTANCE_WEIGHTS[importance],
      score: mine.length > 0 ? mine.reduce((s, c) => s + c.weight * c.attributeScore, 0) / wSum : undefined,
      subtotal: mine.reduce((s, c) => s + c.contribution, 0),
      contributions: mine,
    };
  });

  const computed = units.reduce((s, u) => s + u, 0) * SCORE_QUANTUM;
  const knownCount = contributions.filter((c) => c.known).length;
  const required = Math.max(0, config.minKnownAttributes ?? MIN_KNOWN_ATTRIBUTES);
  const insufficient =
    config.unknown === "ignored" && knownCount > 0 && knownCount < required
      ? {
          known: knownCount,
          required,
          reason: `${knownCount} known risk attribute${knownCount === 1 ? "" : "s"}, at least ${required} needed for a score`,
        }
      : undefined;
  const scored = contributions.length > 0 && insufficient === undefined;
  const ov = config.overrides?.[app.id];
  const base = {
    appId: app.id,
    computed,
    scored,
    ...(insufficient ? { insufficientData: insufficient } : {}),
    knownCount,
    unknown: config.unknown,
    families,
    contributions,
    skipped,
    unknownCount,
  };
  if (ov) {
    const override = ov.note !== undefined ? { score: clamp(ov.score, 0, 10), note: ov.note } : { score: clamp(ov.score, 0, 10) };
    return { ...base, total: override.score, override };
  }
  return { ...base, total: scored ? computed : 0 };
}

/**
 * Splits the raw contributions into integer units of SCORE_QUANTUM whose sum is the rounded
 * raw total, clamped to [0, 10]: floors first, then the largest remainders get one unit more.
 */
function apportion(raw: readonly number[]): number[] {
  const scale = 1 / SCORE_QUANTUM;
  const exact = raw.map((r) => Math.max(0, r) * scale);
  const floors = exact.map(Math.floor);
  const rawTotal = exact.reduce((s, x) => s + x, 0);
  const target = Math.min(10 * scale, Math.max(0, Math.round(rawTotal)));
  let diff = target - floors.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => ({ i, rem: x - Math.floor(x) }));
  if (diff > 0) {
    order.sort((a, b) => b.rem - a.rem || a.i - b.i);
    for (let k = 0; diff > 0 && order.length > 0; k = (k + 1) % order.length, diff--) floors[order[k]!.i]!++;
  } else if (diff < 0) {
    order.sort((a, b) => a.rem - b.rem || b.i - a.i);
    for (let k = 0; diff < 0 && order.length > 0; k = (k + 1) % order.length) {
      const i = order[k]!.i;
      if (floors[i]! > 0) {
        floors[i]!--;
        diff++;
      }
    }
  }
  return floors;
}

/** The app's risk score, 0..10; 0 when it is not scored or has insufficient data (see `tryScoreApp`). */
export function scoreApp(app: CatalogApp, config: ScoreConfig = DEFAULT_SCORE_CONFIG): number {
  return explainScore(app, config).total;
}

/** Scratch for `tryScoreApp`: per counted attribute, its family index, weight and score. */
let scratchFamily = new Int32Array(128);
let scratchWeight = new Float64Array(128);
let scratchScore = new Float64Array(128);

/**
 * Like `scoreApp`, but undefined when the app is not scored (no data, or insufficient data) and
 * has no override. Computes only the total, without the explanation's objects, by the same
 * arithmetic in the same order (test: packages/catalog/test/score.test.ts holds it to
 * `explainScore`): the compiler scores every app of the catalog on each run.
 */
export function tryScoreApp(app: CatalogApp, config: ScoreConfig = DEFAULT_SCORE_CONFIG): number | undefined {
  const ov = config.overrides?.[app.id];
  if (ov) return clamp(ov.score, 0, 10);
  const { rules, familyWeights } = scoringRules(config, ATTRIBUTES);
  if (scratchFamily.length < rules.length) {
    scratchFamily = new Int32Array(rules.length);
    scratchWeight = new Float64Array(rules.length);
    scratchScore = new Float64Array(rules.length);
  }
  let asOf: Date | undefined;
  let count = 0;
  let knownCount = 0;
  for (const { attr, family, weight, skip } of rules) {
    if (skip !== undefined) continue;
    const v = app.attributes[attr.id];
    let attributeScore: number | undefined;
    if (v !== undefined && v.known) {
      attributeScore = scoreAttributeValue(attr.scoring!, v.value, (asOf ??= referenceDate(config)));
      if (attributeScore === undefined) continue;
      if (family >= 0) knownCount++;
    } else {
      if (config.unknown === "ignored") continue;
      attributeScore = 0;
    }
    if (family < 0) continue;
    scratchFamily[count] = family;
    scratchWeight[count] = weight;
    scratchScore[count] = attributeScore;
    count++;
  }
  if (count === 0) return undefined;
  const required = Math.max(0, config.minKnownAttributes ?? MIN_KNOWN_ATTRIBUTES);
  if (config.unknown === "ignored" && knownCount > 0 && knownCount < required) return undefined;
  // as explainScore: family weights over the families with something to score, then the raw
  // contributions family by family, summed on the 2^-20 grid and rounded as `apportion` does
  let familyWeightSum = 0;
  for (let f = 0; f < familyWeights.length; f++) {
    for (let i = 0; i < count; i++) {
      if (scratchFamily[i] === f) {
        familyWeightSum += familyWeights[f]!;
        break;
      }
    }
  }
  const scale = 1 / SCORE_QUANTUM;
  let rawTotal = 0;
  for (let f = 0; f < familyWeights.length; f++) {
    let wSum = 0;
    for (let i = 0; i < count; i++) if (scratchFamily[i] === f) wSum += scratchWeight[i]!;
    const fw = familyWeights[f]!;
    for (let i = 0; i < count; i++) {
      if (scratchFamily[i] !== f) continue;
      const share = (fw / familyWeightSum) * (scratchWeight[i]! / wSum);
      rawTotal += Math.max(0, share * scratchScore[i]!) * scale;
    }
  }
  return Math.min(10 * scale, Math.max(0, Math.round(rawTotal))) * SCORE_QUANTUM;
}
