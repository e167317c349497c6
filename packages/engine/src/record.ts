/**
 * One request as the engine sees it. Structurally the traffic readers' record, plus the
 * device tags and user groups an in-language test can give (logs rarely carry them).
 */
export interface EngineRecord {
  readonly time: number;
  readonly user?: string;
  readonly device?: string;
  readonly srcIp?: string;
  readonly host?: string;
  readonly dstIp?: string;
  readonly url?: string;
  readonly bytesUp: number;
  readonly bytesDown: number;
  readonly deviceTags?: readonly string[];
  readonly userGroups?: readonly string[];
}

/** UTC day of an epoch-ms time, `YYYY-MM-DD`: the unit of "all thresholds on the same day". */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a UTC day number (days since 1970-01-01). */
export function dayName(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function dayStart(day: string): number {
  return Date.parse(day + "T00:00:00Z");
}

/**
 * When an `until` expires, as epoch ms: a date (`2027-01-01`) at its midnight UTC, a date-time
 * (`2027-01-01T12:00:00Z`, `2027-01-01T12:00+02:00`) at that instant.
 */
export function untilTime(until: string): number {
  return until.length === 10 ? dayStart(until) : Date.parse(until);
}

/** Host of a record: the host field, else the URL's host. Lowercase, no port, no trailing dot. */
export function hostOf(r: EngineRecord): string | undefined {
  if (r.host) return r.host;
  if (!r.url) return undefined;
  try {
    const h = new URL(r.url).hostname;
    return h.endsWith(".") ? h.slice(0, -1) : h;
  } catch {
    return undefined;
  }
}
