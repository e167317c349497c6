import { isIPv4, isIPv6 } from "node:net";

/*
 * Every value a target writes is checked against what that format can hold safely. A plan
 * only holds checked values, but targets are also fed by hand-made sets and by a future
 * catalog import: a name with a newline, quote, comment or directive character must never
 * reach a zone file, a proxy configuration or a policy, so the whole output is refused.
 */

/** A value some target cannot write, with what it is and why. */
export interface BadValue {
  readonly what: string;
  readonly value: string;
  readonly reason: string;
}

export class InvalidIndicatorError extends Error {
  constructor(
    readonly target: string,
    readonly bad: readonly BadValue[],
  ) {
    super(
      `${target}: refusing to write ${bad.length} unsafe value${bad.length === 1 ? "" : "s"}: ` +
        bad
          .slice(0, 20)
          .map((b) => `${b.what} ${JSON.stringify(b.value)} (${b.reason})`)
          .join("; ") +
        (bad.length > 20 ? `; and ${bad.length - 20} more` : ""),
    );
  }
}

const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

/**
 * A well-formed name in one pass without allocating: lower-case letters, digits, `_`, `-`
 * inside labels, labels of 1–63 characters, at most 253 in all. Every target checks every
 * name it writes, so this is the hot path; anything else goes to the slower `domainProblem`
 * for its reason.
 */
function isPlainDomain(name: string): boolean {
  const n = name.length;
  if (n === 0 || n > 253) return false;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? name.charCodeAt(i) : 46;
    if (c === 46) {
      const len = i - start;
      if (len === 0 || len > 63 || name.charCodeAt(start) === 45 || name.charCodeAt(i - 1) === 45) return false;
      start = i + 1;
    } else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return true;
}

/** Why `name` is not a lower-case ASCII (punycode) DNS name, or undefined when it is one. */
export function domainProblem(name: string): string | undefined {
  if (isPlainDomain(name)) return undefined;
  if (name.length === 0) return "empty";
  if (name.length > 253) return "longer than 253 characters";
  if (name !== name.toLowerCase()) return "not lower case";
  const labels = name.split(".");
  for (const l of labels) {
    if (l === "") return "empty label";
    if (!LABEL.test(l)) return "only letters, digits, '-' and '_' are allowed in a DNS label (max 63)";
  }
  return undefined;
}

/** Characters that a URL may hold in every target (no quotes, spaces, controls, backslashes, wildcards, braces). */
const URL_SAFE = /^[A-Za-z0-9._~:/?#[\]@!$&()+,;=%-]+$/;

export function urlProblem(url: string): string | undefined {
  if (url.length === 0) return "empty";
  if (url.length > 2048) return "longer than 2048 characters";
  if (!URL_SAFE.test(url)) return "contains a character that is not allowed (space, quote, control, '*', backslash, braces)";
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "not a URL";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return "not an http(s) URL";
  if (u.username || u.password) return "credentials in the URL";
  const host = u.hostname.startsWith("[") ? undefined : u.hostname;
  if (host !== undefined && !isIPv4(host) && domainProblem(host)) return `bad host: ${domainProblem(host)}`;
  return undefined;
}

export function ipProblem(ip: string): string | undefined {
  if (isIPv4(ip)) return undefined;
  if (isIPv6(ip) && /^[0-9a-f:.]+$/i.test(ip)) return undefined;
  return "not an IPv4 or IPv6 address";
}

/** Collects bad values, then throws them all at once. */
export class Checker {
  private readonly bad: BadValue[] = [];
  constructor(private readonly target: string) {}

  domain(what: string, value: string): string {
    const p = domainProblem(value);
    if (p) this.bad.push({ what, value, reason: p });
    return value;
  }
  /** URLs already found good: a redirect page is usually shared by thousands of indicators, and parsing a URL is not cheap. */
  private readonly goodUrls = new Set<string>();
  url(what: string, value: string): string {
    if (this.goodUrls.has(value)) return value;
    const p = urlProblem(value);
    if (p) this.bad.push({ what, value, reason: p });
    else this.goodUrls.add(value);
    return value;
  }
  ip(what: string, value: string): string {
    const p = ipProblem(value);
    if (p) this.bad.push({ what, value, reason: p });
    return value;
  }
  /** A device group name (written into JSON and CSV only). */
  group(value: string): string {
    if (!/^[\p{L}\p{N} _.()-]{1,128}$/u.test(value)) this.bad.push({ what: "group", value, reason: "only letters, digits, spaces and _ . ( ) - are allowed" });
    return value;
  }
  /** Free text (titles, descriptions) for JSON and quoted CSV: no control characters. */
  text(what: string, value: string): string {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) this.bad.push({ what, value, reason: "control characters" });
    return value;
  }
  date(what: string, value: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) this.bad.push({ what, value, reason: "not a YYYY-MM-DD date" });
    return value;
  }
  /** Refuse a value for a reason of the target's own (e.g. too long once placed in a zone). */
  refuse(what: string, value: string, reason: string): void {
    this.bad.push({ what, value, reason });
  }
  /** The values refused so far. */
  problems(): readonly BadValue[] {
    return this.bad;
  }
  done(): void {
    if (this.bad.length) throw new InvalidIndicatorError(this.target, this.bad);
  }
}
