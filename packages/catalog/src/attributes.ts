import type { AttributeDef, AttributeType, RiskFamily } from "./types.js";

/**
 * How a known attribute value becomes a 0..10 attribute score (10 = low risk).
 * - `boolean`: true scores 10 and false 0, or the reverse when `trueIsGood` is false
 *   (e.g. `security.remember_password`, `security.drown_vulnerable`).
 * - `enum`: a fixed score per value.
 * - `number`: the value is already on a 0..10 scale (clamped).
 * - `age`: years elapsed since a date or year, scaled linearly from `zeroAt` years (score 0)
 *   to `tenAt` years (score 10) and clamped; e.g. domain age, founding year, and the latest
 *   breach (an old breach is better than a recent one).
 * Attributes without scoring are informational (headquarters, data center, vendor…) and
 * never enter the score.
 */
export type AttributeScoring =
  | { readonly kind: "boolean"; readonly trueIsGood: boolean }
  | { readonly kind: "enum"; readonly scores: Readonly<Record<string, number>> }
  | { readonly kind: "number" }
  | { readonly kind: "age"; readonly zeroAt: number; readonly tenAt: number };

export interface AttributeInfo extends AttributeDef {
  /** Absent: informational only, never scored. */
  readonly scoring?: AttributeScoring;
  /** What the attribute means, for hover and docs. */
  readonly description: string;
}

const BOOL: AttributeType = { kind: "boolean" };
const good = { kind: "boolean", trueIsGood: true } as const;
const bad = { kind: "boolean", trueIsGood: false } as const;

function a(
  family: RiskFamily,
  name: string,
  label: string,
  type: AttributeType,
  scoring: AttributeScoring | undefined,
  description: string,
): AttributeInfo {
  const def = { id: `${family}.${name}`, family, label, type, description };
  return scoring ? { ...def, scoring } : def;
}

/** Boolean attribute where true is the safe answer. */
function yes(family: RiskFamily, name: string, label: string, description: string): AttributeInfo {
  return a(family, name, label, BOOL, good, description);
}

function enumType(scores: Record<string, number>): AttributeType {
  return { kind: "enum", values: Object.keys(scores) };
}

const ENCRYPTION_PROTOCOL = { ssl3: 0, tls1_0: 2, tls1_1: 4, tls1_2: 8, tls1_3: 10 };
const AT_REST = { not_supported: 0, other: 5, aes_128: 8, aes_256: 10 };
const CSA_STAR = { none: 0, level_1: 6, level_2: 8, level_3: 10 };
const FEDRAMP = { not_authorized: 0, li_saas: 6, low: 7, moderate: 9, high: 10 };
const HOLDING = { public: 10, private: 5 };

/**
 * The risk attributes, after the Defender for Cloud Apps catalog's four families
 * (General, Security, Compliance, Legal). Ids are `family.snake_case_name`.
 */
export const ATTRIBUTES: readonly AttributeInfo[] = [
  // ── general ──────────────────────────────────────────────────────────────
  a("general", "consumer_popularity", "Consumer popularity", { kind: "number", min: 0, max: 10 }, { kind: "number" },
    "how widely the app is used, 0 (rare) to 10 (very popular)"),
  a("general", "data_center", "Data center", { kind: "string" }, undefined,
    "countries where the vendor stores customer data (ISO alpha-2 codes, comma separated)"),
  a("general", "domain", "Domain", { kind: "string" }, undefined, "the app's main domain"),
  a("general", "domain_registration", "Domain registration", { kind: "date" }, { kind: "age", zeroAt: 0, tenAt: 10 },
    "when the main domain was first registered; older domains score higher"),
  a("general", "founded", "Founded", { kind: "number", min: 1800, max: 2100 }, { kind: "age", zeroAt: 0, tenAt: 10 },
    "year the vendor was founded; older vendors score higher"),
  a("general", "headquarters", "Headquarters", { kind: "string" }, undefined, "country of the vendor's headquarters (ISO alpha-2)"),
  a("general", "holding", "Holding", enumType(HOLDING), { kind: "enum", scores: HOLDING },
    "public (listed, audited disclosures) or private company"),
  a("general", "hosting_company", "Hosting company", { kind: "string" }, undefined, "who hosts the service"),
  a("general", "logon_url", "Logon URL", { kind: "string" }, undefined, "the URL users sign in at"),
  a("general", "vendor", "Vendor", { kind: "string" }, undefined, "the company behind the app"),
  yes("general", "disaster_recovery_plan", "Disaster recovery plan", "the vendor publishes a disaster recovery / business continuity plan"),
  yes("general", "terms_of_service", "Terms of service", "the app publishes terms of service"),
  yes("general", "privacy_policy", "Privacy policy", "the app publishes a privacy policy"),
  a("general", "data_types", "Data types", { kind: "string" }, undefined, "kinds of data users can upload (documents, media…)"),

  // ── security ─────────────────────────────────────────────────────────────
  a("security", "latest_breach", "Latest breach", { kind: "date" }, { kind: "age", zeroAt: 0, tenAt: 5 },
    "date of the most recent publicly known data breach; a recent breach scores low"),
  a("security", "data_at_rest_encryption", "Data-at-rest encryption method", enumType(AT_REST), { kind: "enum", scores: AT_REST },
    "how stored customer data is encrypted"),
  yes("security", "mfa", "Multi-factor authentication", "users can sign in with multi-factor authentication"),
  yes("security", "ip_restriction", "IP address restriction", "admins can restrict access by source IP"),
  yes("security", "user_audit_trail", "User audit trail", "user activity is logged for admins"),
  yes("security", "admin_audit_trail", "Admin audit trail", "admin activity is logged"),
  yes("security", "data_audit_trail", "Data audit trail", "data access and changes are logged"),
  a("security", "user_can_upload_data", "User can upload data", BOOL, bad,
    "users can upload data to the app (a data exfiltration path)"),
  yes("security", "data_classification", "Data classification", "the app supports labelling data by sensitivity"),
  a("security", "remember_password", "Remember password", BOOL, bad,
    "the app offers to remember the password on the device"),
  yes("security", "user_roles", "User-roles support", "the app supports role-based access"),
  a("security", "file_sharing", "File sharing", BOOL, bad, "users can share files with others, including outsiders"),
  yes("security", "valid_certificate_name", "Valid certificate name", "the TLS certificate matches the app's domain"),
  yes("security", "trusted_certificate", "Trusted certificate", "the TLS certificate chains to a trusted root"),
  a("security", "encryption_protocol", "Encryption protocol", enumType(ENCRYPTION_PROTOCOL),
    { kind: "enum", scores: ENCRYPTION_PROTOCOL }, "the weakest TLS/SSL protocol version the app accepts"),
  yes("security", "heartbleed_patched", "Heartbleed patched", "the servers are not vulnerable to Heartbleed (CVE-2014-0160)"),
  a("security", "drown_vulnerable", "DROWN vulnerable", BOOL, bad, "the servers are vulnerable to DROWN (CVE-2016-0800)"),
  yes("security", "csp", "HTTP security headers: Content-Security-Policy", "responses carry a Content-Security-Policy header"),
  yes("security", "hsts", "HTTP security headers: Strict-Transport-Security", "responses carry an HSTS header"),
  yes("security", "x_content_type_options", "HTTP security headers: X-Content-Type-Options", "responses carry X-Content-Type-Options"),
  yes("security", "x_frame_options", "HTTP security headers: X-Frame-Options", "responses carry X-Frame-Options"),
  yes("security", "x_xss_protection", "HTTP security headers: X-XSS-Protection", "responses carry X-XSS-Protection"),
  yes("security", "saml", "Supports SAML", "single sign-on with SAML 2.0"),
  yes("security", "penetration_testing", "Penetration testing", "the vendor has regular third-party penetration tests"),
  yes("security", "requires_user_authentication", "Requires user authentication", "the app requires users to sign in"),
  yes("security", "password_policy_change_period", "Password policy: change period", "admins can enforce a password change period"),
  yes("security", "password_policy_character_combination", "Password policy: character combination", "admins can require character classes"),
  yes("security", "password_policy_history", "Password policy: password history", "admins can forbid reusing recent passwords"),
  yes("security", "password_policy_length", "Password policy: password length", "admins can set a minimum password length"),
  yes("security", "password_policy_personal_info", "Password policy: personal information usage", "passwords may not contain personal information"),
  yes("security", "enforced_transport_encryption", "Enforced transport encryption", "plain HTTP is redirected to HTTPS"),

  // ── compliance ───────────────────────────────────────────────────────────
  yes("compliance", "iso27001", "ISO 27001", "certified to ISO/IEC 27001 (information security management)"),
  yes("compliance", "iso27002", "ISO 27002", "follows ISO/IEC 27002 controls"),
  yes("compliance", "iso27017", "ISO 27017", "certified to ISO/IEC 27017 (cloud security controls)"),
  yes("compliance", "iso27018", "ISO 27018", "certified to ISO/IEC 27018 (PII in public clouds)"),
  yes("compliance", "finra", "FINRA", "meets FINRA record-keeping requirements"),
  yes("compliance", "fisma", "FISMA", "FISMA compliant"),
  yes("compliance", "gaap", "GAAP", "follows Generally Accepted Accounting Principles"),
  yes("compliance", "gapp", "GAPP", "follows Generally Accepted Privacy Principles"),
  yes("compliance", "hipaa", "HIPAA", "supports HIPAA compliance (signs a BAA)"),
  yes("compliance", "hitrust", "HITRUST CSF", "HITRUST CSF certified"),
  yes("compliance", "isae3402", "ISAE 3402", "has an ISAE 3402 assurance report"),
  yes("compliance", "itar", "ITAR", "supports ITAR compliance"),
  yes("compliance", "soc1", "SOC 1", "has a SOC 1 report"),
  yes("compliance", "soc2", "SOC 2", "has a SOC 2 report"),
  yes("compliance", "soc3", "SOC 3", "has a public SOC 3 report"),
  yes("compliance", "sox", "SOX", "supports Sarbanes-Oxley compliance"),
  yes("compliance", "sp800_53", "SP 800-53", "maps to NIST SP 800-53 controls"),
  yes("compliance", "ssae16", "SSAE 16", "has an SSAE 16 / SSAE 18 attestation"),
  yes("compliance", "pci_dss", "PCI DSS", "PCI DSS compliant"),
  a("compliance", "pci_dss_version", "PCI DSS version", { kind: "string" }, undefined, "the PCI DSS version attested"),
  a("compliance", "csa_star", "CSA STAR level", enumType(CSA_STAR), { kind: "enum", scores: CSA_STAR },
    "Cloud Security Alliance STAR registry level"),
  a("compliance", "fedramp", "FedRAMP level", enumType(FEDRAMP), { kind: "enum", scores: FEDRAMP },
    "FedRAMP authorization level"),
  yes("compliance", "glba", "GLBA", "supports Gramm-Leach-Bliley Act compliance"),
  yes("compliance", "ffiec", "FFIEC", "meets FFIEC guidance"),
  yes("compliance", "cobit", "COBIT", "follows COBIT"),
  yes("compliance", "coppa", "COPPA", "complies with the Children's Online Privacy Protection Act"),
  yes("compliance", "ferpa", "FERPA", "supports FERPA compliance"),
  yes("compliance", "jericho_forum", "Jericho Forum Commandments", "follows the Jericho Forum commandments"),
  yes("compliance", "privacy_shield", "EU-US Privacy Shield", "was certified under the EU-US Privacy Shield"),
  yes("compliance", "safe_harbor", "Safe Harbor", "was certified under the US-EU Safe Harbor framework"),
  yes("compliance", "ustr", "USTR", "follows USTR guidance"),

  // ── legal ────────────────────────────────────────────────────────────────
  yes("legal", "data_ownership", "Data ownership", "the customer keeps ownership of the data it uploads"),
  yes("legal", "dmca", "DMCA", "the vendor has a DMCA (copyright takedown) policy"),
  yes("legal", "data_retention_policy", "Data retention policy", "the vendor publishes how long it keeps customer data"),
  yes("legal", "gdpr_right_to_erasure", "GDPR - Right to erasure", "users can have their personal data erased"),
  yes("legal", "gdpr_breach_reporting", "GDPR - Report data breaches", "the vendor commits to report breaches within GDPR deadlines"),
  yes("legal", "gdpr_data_protection", "GDPR - Data protection", "the vendor applies GDPR data protection measures"),
  yes("legal", "gdpr_user_rights", "GDPR - User ownership", "users can access, correct and export their data"),
  yes("legal", "gdpr_readiness", "GDPR - Readiness statement", "the vendor publishes a GDPR readiness statement"),
];

const byId = new Map(ATTRIBUTES.map((attr) => [attr.id, attr]));

export function attributeById(id: string): AttributeInfo | undefined {
  return byId.get(id);
}

export const RISK_FAMILIES: readonly RiskFamily[] = ["general", "security", "compliance", "legal"];
