export * from "./types.js";
export { CATEGORIES, categoryById, type CategoryInfo } from "./categories.js";
export { ATTRIBUTES, RISK_FAMILIES, attributeById, type AttributeInfo, type AttributeScoring } from "./attributes.js";
export { createCatalog, type CreateCatalogOptions, type IndexedCatalog } from "./catalog.js";
export { builtinCatalog, builtinCuratedApps } from "./builtin.js";
export { readCsv, type CsvRow, type CsvProblem, type CsvOptions } from "./csv.js";
export {
  scoreApp,
  tryScoreApp,
  explainScore,
  scoreAttributeValue,
  IMPORTANCE_WEIGHTS,
  DEFAULT_IMPORTANCE,
  DEFAULT_SCORE_CONFIG,
  SCORE_QUANTUM,
  MIN_KNOWN_ATTRIBUTES,
  type InsufficientData,
  type ScoreExplanation,
  type FamilyExplanation,
  type AttributeContribution,
  type SkippedAttribute,
  type SkipReason,
} from "./score.js";
export { normalizeHost, isValidHostname, parseDomainPattern, patternMatches, isValidIpRange, type DomainPattern } from "./hostname.js";
export { lintApps, valueFitsType, isValidDate, type CatalogProblem, type CatalogProblemCode } from "./lint.js";
export { curatedApp, curatedApps, type CuratedFile, type CuratedAppRecord, type CuratedEvidence } from "./curated.js";
export { thirdPartyWebApps, thirdPartyWebEntities, THIRD_PARTY_WEB_CATEGORIES, THIRD_PARTY_WEB_VERSION, slugify } from "./third-party-web.js";
export {
  importList,
  reconcileImport,
  importCsv,
  importJson,
  importV2fly,
  importAdguardServices,
  importTwoFactorDirectory,
  appNameFromFile,
  readDomain,
  readCategory,
  parseJsonWithLines,
  JsonSyntaxError,
  IMPORT_FORMATS,
  ADGUARD_GROUPS,
  TWO_FA_CATEGORIES,
  type ImportFormat,
  type ImportOptions,
  type ImportResult,
  type ImportedApp,
  type ImportedDomain,
  type ImportProblem,
  type ImportProblemKind,
  type ReconcileOptions,
  type JsonNode,
} from "./importers/index.js";
