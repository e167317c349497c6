/**
 * The built-in discovery policy templates of Defender for Cloud Apps, with their default
 * thresholds. A policy written `uses template NAME { … }` starts from these and may override
 * any parameter; a `when` clause is ANDed with the template's own filter.
 *
 * MDCA does not define a window for "new"; Sanction uses 7 days (`first seen within 7d`),
 * overridable per policy.
 */

export type Metric = "users" | "devices" | "ips" | "transactions" | "upload" | "download" | "traffic";
export type ThresholdParam = Metric | "score";

export const METRICS: readonly Metric[] = ["users", "devices", "ips", "transactions", "upload", "download", "traffic"];
/** Metrics measured in bytes (need a size unit); the others are counts. */
export const BYTE_METRICS: ReadonlySet<Metric> = new Set(["upload", "download", "traffic"]);

export const METRIC_DESCRIPTIONS: Record<ThresholdParam, string> = {
  users: "distinct users of the app in one day",
  devices: "distinct devices that used the app in one day",
  ips: "distinct source IP addresses in one day",
  transactions: "log lines (requests) to the app in one day",
  upload: "bytes uploaded to the app in one day",
  download: "bytes downloaded from the app in one day",
  traffic: "bytes uploaded plus downloaded in one day",
  score: "the app's risk score, 0 (high risk) to 10 (low risk)",
};

export interface TemplateThreshold {
  readonly param: ThresholdParam;
  readonly op: ">" | ">=" | "<" | "<=";
  /** Count, bytes, or score. */
  readonly value: number;
  /** As written in docs: `500MB`. */
  readonly display: string;
}

export interface Template {
  readonly name: string;
  /** The MDCA template title. */
  readonly title: string;
  readonly description: string;
  /** Category filter, if the template is about one category. */
  readonly category?: string;
  /** Attestations an app must all have (compliance checks): the policy matches apps lacking any. */
  readonly requires?: readonly string[];
  readonly thresholds: readonly TemplateThreshold[];
  /** New-app window in seconds; absent for templates that are not about new apps. */
  readonly firstSeenWithin?: number;
  readonly defaultSeverity: "informational" | "low" | "medium" | "high";
}

const MB = 1e6;
const DAY = 86400;
const NEW_WINDOW = 7 * DAY;

const users = (n: number): TemplateThreshold => ({ param: "users", op: ">", value: n, display: String(n) });
const bytes = (param: "traffic" | "upload", mb: number): TemplateThreshold => ({ param, op: ">", value: mb * MB, display: `${mb}MB` });

function newCategoryApp(category: string, label: string): Template {
  return {
    name: `new_${category}_app`,
    title: `New ${label} app`,
    description: `alert when a new ${label} app is used by more than 50 users with more than 50 MB of daily traffic`,
    category,
    thresholds: [users(50), bytes("traffic", 50)],
    firstSeenWithin: NEW_WINDOW,
    defaultSeverity: "medium",
  };
}

function complianceCheck(category: string, label: string, requires: string[], names: string): Template {
  return {
    name: `${category}_compliance_check`,
    title: `${label[0]!.toUpperCase()}${label.slice(1)} app compliance check`,
    description: `alert when a ${label} app used by more than 50 users with more than 50 MB daily is not compliant with ${names}`,
    category,
    requires,
    thresholds: [users(50), bytes("traffic", 50)],
    defaultSeverity: "medium",
  };
}

export const TEMPLATES: readonly Template[] = [
  {
    name: "new_popular_app",
    title: "New popular app",
    description: "alert when a new app is used by more than 500 users in a day",
    thresholds: [users(500)],
    firstSeenWithin: NEW_WINDOW,
    defaultSeverity: "medium",
  },
  {
    name: "new_high_volume_app",
    title: "New high volume app",
    description: "alert when a new app has more than 500 MB of daily traffic",
    thresholds: [bytes("traffic", 500)],
    firstSeenWithin: NEW_WINDOW,
    defaultSeverity: "medium",
  },
  {
    name: "new_high_upload_volume_app",
    title: "New high upload volume app",
    description: "alert when more than 500 MB a day is uploaded to a new app",
    thresholds: [bytes("upload", 500)],
    firstSeenWithin: NEW_WINDOW,
    defaultSeverity: "medium",
  },
  {
    name: "new_risky_app",
    title: "New risky app",
    description: "alert when a new app with a risk score below 6 is used by more than 50 users with more than 50 MB daily",
    thresholds: [{ param: "score", op: "<", value: 6, display: "6" }, users(50), bytes("traffic", 50)],
    firstSeenWithin: NEW_WINDOW,
    defaultSeverity: "medium",
  },
  complianceCheck("cloud_storage", "cloud storage", ["compliance.soc2", "compliance.ssae16", "compliance.isae3402", "compliance.pci_dss"], "SOC 2, SSAE 16, ISAE 3402 and PCI DSS"),
  complianceCheck("collaboration", "collaboration", ["compliance.soc2", "compliance.ssae16"], "SOC 2 and SSAE 16"),
  complianceCheck("crm", "CRM", ["compliance.soc2", "compliance.ssae16", "compliance.isae3402", "compliance.iso27001", "compliance.hipaa"], "SOC 2, SSAE 16, ISAE 3402, ISO 27001 and HIPAA"),
  newCategoryApp("cloud_storage", "cloud storage"),
  newCategoryApp("collaboration", "collaboration"),
  newCategoryApp("online_meeting", "online meeting"),
  newCategoryApp("crm", "CRM"),
  newCategoryApp("hr_management", "HR management"),
  newCategoryApp("sales", "sales"),
  newCategoryApp("code_hosting", "code hosting"),
  newCategoryApp("vendor_management", "vendor management"),
];

const byName = new Map(TEMPLATES.map((t) => [t.name, t]));

export function findTemplate(name: string): Template | undefined {
  return byName.get(name);
}

/**
 * Parameters a policy using `t` may set: every usage metric and the score bound (overriding the
 * template's default where it has one, adding a threshold where it has none, as an edited
 * MDCA template policy does), and `first seen within` for new-app templates.
 */
export function templateParameters(t: Template): string[] {
  const params: string[] = [...METRICS, "score"];
  if (t.firstSeenWithin !== undefined) params.push("first seen within");
  return params;
}
