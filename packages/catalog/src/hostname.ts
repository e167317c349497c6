import { domainToASCII } from "node:url";

/**
 * Host names and domain patterns.
 * A domain pattern is either an exact host (`login.example.com`) or a whole subtree
 * (`*.example.com`, which matches `example.com` itself and every name below it).
 */

export interface DomainPattern {
  /** The host name without the `*.` prefix, lowercase punycode. */
  readonly host: string;
  /** True for `*.host`: the name and every subdomain. */
  readonly subtree: boolean;
}

/**
 * Normalizes a host as it appears in a log or a policy: trims, lowercases, drops a trailing
 * dot and a `:port`, and converts an internationalized name to punycode. Returns undefined
 * when the result is not a valid DNS host name.
 */
export function normalizeHost(input: string): string | undefined {
  // fast path: a name already in normal form (what logs and policies mostly hold)
  if (isValidHostname(input)) return input;
  let host = input.trim().toLowerCase();
  if (host.startsWith("[")) return undefined; // IPv6 literal
  const colon = host.lastIndexOf(":");
  if (colon >= 0 && /^\d+$/.test(host.slice(colon + 1))) host = host.slice(0, colon);
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (host === "") return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(host)) {
    const ascii = domainToASCII(host);
    if (ascii === "") return undefined;
    host = ascii;
  }
  return isValidHostname(host) ? host : undefined;
}

/** A syntactically valid lowercase DNS name: LDH labels of 1..63, 253 chars at most, at least two labels, not all-numeric. */
export function isValidHostname(host: string): boolean {
  // one pass over the characters (this runs on every lookup, so no split or regex)
  const n = host.length;
  if (n === 0 || n > 253) return false;
  let start = 0;
  let labels = 0;
  let digitsOnly = true;
  let punycode = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? host.charCodeAt(i) : 46;
    if (c === 46) {
      const len = i - start;
      if (len === 0 || len > 63 || host.charCodeAt(start) === 45 || host.charCodeAt(i - 1) === 45) return false;
      if (len > 4 && host.charCodeAt(start) === 120 && host.startsWith("xn--", start)) punycode = true;
      labels++;
      // the top-level label is never all digits (that would be an IPv4 address)
      if (i === n && digitsOnly) return false;
      start = i + 1;
      digitsOnly = true;
    } else if (c >= 48 && c <= 57) {
      // a digit keeps digitsOnly as it is
    } else if ((c >= 97 && c <= 122) || c === 45) {
      digitsOnly = false;
    } else {
      return false;
    }
  }
  if (labels < 2) return false;
  // `xn--` labels must decode
  if (punycode && domainToASCII(host) !== host) return false;
  return true;
}

/** Parses `*.example.com` or `example.com`; undefined when invalid (not lowercase punycode). */
export function parseDomainPattern(pattern: string): DomainPattern | undefined {
  const subtree = pattern.startsWith("*.");
  const host = subtree ? pattern.slice(2) : pattern;
  if (!isValidHostname(host)) return undefined;
  return { host, subtree };
}

/** True when `pattern` matches `host` (both normalized). */
export function patternMatches(pattern: DomainPattern, host: string): boolean {
  if (host === pattern.host) return true;
  return pattern.subtree && host.endsWith("." + pattern.host);
}

/** `a.b.example.com` → [`a.b.example.com`, `b.example.com`, `example.com`, `com`]. */
export function suffixes(host: string): string[] {
  const out = [host];
  let i = host.indexOf(".");
  while (i >= 0) {
    out.push(host.slice(i + 1));
    i = host.indexOf(".", i + 1);
  }
  return out;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An IPv4 or IPv6 address, optionally with a `/prefix` (CIDR). */
export function isValidIpRange(range: string): boolean {
  const [addr, prefix, ...rest] = range.split("/");
  if (rest.length > 0 || addr === undefined) return false;
  if (IPV4.test(addr)) return prefix === undefined || (/^\d{1,2}$/.test(prefix) && Number(prefix) <= 32);
  if (addr.includes(":")) {
    try {
      new URL(`http://[${addr}]/`);
    } catch {
      return false;
    }
    return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128);
  }
  return false;
}
