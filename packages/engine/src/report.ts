/*
 * The simulation report: the JSON shape `sanction simulate --report json` prints. It is a
 * documented, stable format (`format`/`version`): fields are only ever added in a version.
 * Every list is sorted, every number is exact; the same inputs give byte-identical JSON.
 */

export const REPORT_FORMAT = "sanction-report";
export const REPORT_VERSION = 1;

export interface VerdictCounts {
  allow: number;
  audit: number;
  warn: number;
  block: number;
  /** Requests let through because the user had bypassed a warning. */
  bypass: number;
}

export interface ReportApp {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly score: number | null;
  readonly users: number;
  readonly devices: number;
  readonly ips: number;
  readonly transactions: number;
  readonly bytesUp: number;
  readonly bytesDown: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly days: number;
  /** Governance tag after policies and manual decisions, or null. */
  readonly tag: null | { readonly tag: string; readonly mode: string; readonly by: string; readonly source: string };
  readonly customTags: readonly string[];
  readonly verdicts: VerdictCounts;
}

export interface ReportMatch {
  readonly policy: string;
  readonly app: string;
  readonly day: string;
  /** `users 63 > 50; traffic 120000000 > 50000000` */
  readonly why: string;
  readonly thresholds: readonly { readonly metric: string; readonly op: string; readonly value: number; readonly observed: number }[];
  readonly newApp?: { readonly firstSeen: string; readonly windowDays: number };
}

export interface ReportPolicy {
  readonly name: string;
  readonly source: string;
  readonly severity: string;
  readonly mode: string;
  readonly filter: string;
  /** Apps the static filter accepts (in the whole catalog). */
  readonly candidates: number;
  /** Distinct apps matched on at least one day. */
  readonly matchedApps: readonly string[];
  readonly matches: readonly ReportMatch[];
}

export interface ReportIndicator {
  readonly type: "domain" | "url" | "ip";
  readonly value: string;
  readonly action: "block" | "warn" | "audit" | "allow";
  readonly app: string | null;
  readonly reason: string;
  readonly expires?: string;
}

export interface SimulationReport {
  readonly format: typeof REPORT_FORMAT;
  readonly version: typeof REPORT_VERSION;
  readonly window: { readonly from: string | null; readonly to: string | null; readonly days: number };
  readonly inputs: readonly { readonly file: string; readonly format: string; readonly lines: number; readonly records: number; readonly rejected: number; readonly error?: string }[];
  readonly totals: { readonly records: number; readonly attributed: number; readonly unknown: number; readonly withoutHost: number; readonly rejected: number };
  readonly rejected: readonly { readonly file: string; readonly line: number; readonly reason: string; readonly sample: string }[];
  readonly apps: readonly ReportApp[];
  readonly policies: readonly ReportPolicy[];
  readonly alerts: readonly { readonly policy: string; readonly app: string; readonly severity: string; readonly day: string; readonly why: string }[];
  readonly suppressedAlerts: readonly { readonly policy: string; readonly app: string; readonly day: string; readonly reason: string }[];
  readonly tagConflicts: readonly { readonly app: string; readonly winner: string; readonly by: string; readonly lost: string; readonly lostBy: string; readonly reason: string }[];
  readonly indicators: readonly ReportIndicator[];
  readonly verdicts: { readonly total: VerdictCounts; readonly byGroup: Readonly<Record<string, VerdictCounts>> };
  readonly unknownDomains: readonly { readonly domain: string; readonly users: number; readonly devices: number; readonly transactions: number; readonly bytes: number; readonly hosts: readonly string[] }[];
}

export function zeroCounts(): VerdictCounts {
  return { allow: 0, audit: 0, warn: 0, block: 0, bypass: 0 };
}
