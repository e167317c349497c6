import type { Severity } from "./diagnostic.js";

export interface CodeInfo {
  /** Short rule name, used as SARIF `rule.name` and in docs. */
  readonly name: string;
  readonly severity: Severity;
  /** One sentence on what the code means; SARIF `shortDescription`. */
  readonly summary: string;
}

/**
 * Every diagnostic code Sanction can emit. Codes are stable: once released a code keeps its
 * meaning, so CI baselines and SARIF alerts stay comparable across versions.
 * 1xx syntax · 2xx files and imports · 3xx names · 4xx values and types · 5xx policies
 * · 6xx manual decisions and conflicts · 7xx tests · 8xx catalog · 9xx tool limits.
 */
export const CODES = {
  SAN101: { name: "unexpected-character", severity: "error", summary: "a character that cannot start any token" },
  SAN102: { name: "syntax-error", severity: "error", summary: "the tokens do not form a valid construct here" },
  SAN103: { name: "unterminated-string", severity: "error", summary: "a string is not closed before the end of the line" },
  SAN104: { name: "invalid-escape", severity: "error", summary: "an unknown escape sequence inside a string" },

  SAN201: { name: "file-unreadable", severity: "error", summary: "a policy file or import cannot be read" },
  SAN202: { name: "import-escapes-workspace", severity: "error", summary: "an import points outside the workspace folder" },
  SAN203: { name: "import-cycle", severity: "error", summary: "files import each other in a cycle" },
  SAN204: { name: "not-text", severity: "error", summary: "a file is binary or not valid UTF-8" },
  SAN205: { name: "file-too-large", severity: "error", summary: "a file is larger than the policy size limit" },
  SAN206: { name: "duplicate-import", severity: "warning", summary: "the same file is imported twice" },

  SAN301: { name: "unknown-app", severity: "error", summary: "no app of that name in the catalog or the workspace" },
  SAN302: { name: "unknown-group", severity: "error", summary: "no group of that name" },
  SAN303: { name: "unknown-template", severity: "error", summary: "no built-in template of that name" },
  SAN304: { name: "unknown-category", severity: "error", summary: "not one of the catalog's categories" },
  SAN305: { name: "unknown-attribute", severity: "error", summary: "not an app attribute or risk attribute" },
  SAN306: { name: "duplicate-definition", severity: "error", summary: "two definitions share one name" },
  SAN307: { name: "app-in-catalog", severity: "error", summary: "a custom app reuses a catalog app's name; use `override app`" },
  SAN308: { name: "unknown-name", severity: "error", summary: "a name that is not valid in this position" },
  SAN309: { name: "missing-clause", severity: "error", summary: "a declaration lacks a clause it needs" },

  SAN401: { name: "type-mismatch", severity: "error", summary: "a value of the wrong type for this attribute or option" },
  SAN402: { name: "impossible-range", severity: "error", summary: "a range or set of bounds no value can satisfy" },
  SAN403: { name: "wrong-unit", severity: "error", summary: "a threshold or option with a missing or wrong unit" },
  SAN404: { name: "invalid-hostname", severity: "error", summary: "not a valid domain name" },
  SAN405: { name: "invalid-url", severity: "error", summary: "not a valid http or https URL" },
  SAN406: { name: "invalid-ip", severity: "error", summary: "not a valid IP address or CIDR range" },
  SAN407: { name: "invalid-date", severity: "error", summary: "not a valid calendar date" },
  SAN408: { name: "out-of-range", severity: "error", summary: "a number outside the allowed range" },
  SAN409: { name: "invalid-wildcard", severity: "error", summary: "wildcards are only allowed as a leading `*.`" },

  SAN501: { name: "unknown-template-parameter", severity: "error", summary: "the template has no such parameter" },
  SAN502: { name: "repeated-clause", severity: "error", summary: "a clause that may appear once appears again" },
  SAN503: { name: "policy-without-action", severity: "error", summary: "a policy has no `then` actions" },
  SAN504: { name: "policy-matches-everything", severity: "warning", summary: "a policy with no filter and no threshold applies to every app" },
  SAN505: { name: "invalid-action-option", severity: "error", summary: "an option the action does not take" },
  SAN506: { name: "conflicting-actions", severity: "error", summary: "one policy both sanctions and unsanctions or monitors" },
  SAN507: { name: "missing-severity", severity: "warning", summary: "a policy that alerts has no severity (defaults to medium)" },
  SAN508: { name: "unsatisfiable-policy", severity: "warning", summary: "the policy's conditions can never hold together" },

  SAN601: { name: "conflicting-app-decisions", severity: "error", summary: "two manual decisions give one app different tags" },
  SAN602: { name: "conflicting-indicator-decisions", severity: "warning", summary: "two manual decisions on one domain, URL or IP" },
  SAN603: { name: "shadowed-decision", severity: "warning", summary: "a decision that a broader one already makes" },
  SAN604: { name: "invalid-decision-option", severity: "error", summary: "an option that this decision does not take" },
  SAN605: { name: "duplicate-decision", severity: "warning", summary: "the same decision is written twice" },

  SAN701: { name: "empty-test", severity: "error", summary: "a test that expects nothing" },
  SAN702: { name: "test-references-unknown", severity: "error", summary: "a test names an app, policy or host nothing defines" },
  SAN703: { name: "incomplete-traffic", severity: "error", summary: "a test traffic record without a host or URL" },

  SAN801: { name: "catalog-error", severity: "error", summary: "a catalog entry is invalid" },
  SAN802: { name: "workspace-claims-catalog-domain", severity: "warning", summary: "a workspace app claims a domain a catalog app owns; the workspace app gets it" },
  SAN803: { name: "domain-claimed-twice", severity: "error", summary: "two workspace apps claim the same domain" },
  SAN804: { name: "app-id-conflict", severity: "error", summary: "a custom app's id, made from its name, is already another app's id" },

  SAN901: { name: "too-deep", severity: "error", summary: "nesting deeper than the parser allows" },
  SAN902: { name: "too-many-diagnostics", severity: "info", summary: "further diagnostics in this file were not reported" },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export function codeInfo(code: DiagnosticCode): CodeInfo {
  return CODES[code];
}

export function allCodes(): DiagnosticCode[] {
  return Object.keys(CODES).sort() as DiagnosticCode[];
}
