import { domainToASCII } from "node:url";
import { isValidHostname, isValidIpRange } from "@sanction/catalog";
import type { Value } from "@sanction/syntax";

/** Result of checking a value: the normalised form, or why it is invalid. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** Text of a value that may name a domain, URL or IP: strings, dotted names and IPs. */
export function textOf(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  switch (v.kind) {
    case "String":
      return v.value;
    case "Name":
      return v.text;
    case "Ip":
    case "Date":
    case "Size":
    case "Duration":
    case "Number":
      return v.kind === "Number" ? v.raw : v.raw;
    default:
      return undefined;
  }
}

/**
 * A domain as written in a policy: `example.com` (exact, and for decisions the subtree too),
 * `*.example.com` (the whole subtree). Lowercased, trailing dot dropped, IDN to punycode.
 */
export function checkDomain(raw: string): Checked<{ host: string; subtree: boolean }> {
  let s = raw.trim();
  const subtree = s.startsWith("*.");
  if (subtree) s = s.slice(2);
  if (s.includes("*")) return { ok: false, message: `invalid wildcard in "${raw}": a wildcard may only be a leading \`*.\`` };
  if (s.endsWith(".")) s = s.slice(0, -1);
  if (/[/:@?#\s]/.test(s)) return { ok: false, message: `"${raw}" is not a domain name (write a URL with \`url\`, or just the host name)` };
  let host = s.toLowerCase();
  if (/[^\x00-\x7f]/.test(host)) {
    const ascii = domainToASCII(host);
    if (!ascii) return { ok: false, message: `"${raw}" is not a valid internationalized domain name` };
    host = ascii;
  }
  if (!isValidHostname(host)) {
    const labels = host.split(".");
    const why =
      host.length > 253
        ? "longer than 253 characters"
        : labels.length < 2
          ? "a domain needs at least two labels, such as example.com"
          : labels.some((l) => l.length === 0)
            ? "empty label"
            : labels.some((l) => l.length > 63)
              ? "a label is longer than 63 characters"
              : labels.some((l) => l.startsWith("-") || l.endsWith("-"))
                ? "a label starts or ends with `-`"
                : labels.some((l) => /[^a-z0-9-]/.test(l))
                  ? "only letters, digits and `-` are allowed in a label"
                  : "the last label cannot be numeric";
    return { ok: false, message: `invalid domain "${raw}": ${why}` };
  }
  return { ok: true, value: { host, subtree } };
}

/** An http(s) URL; the host is normalised like a domain. */
export function checkUrl(raw: string): Checked<string> {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, message: `invalid URL "${raw}": write it in full, such as https://example.com/path` };
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return { ok: false, message: `invalid URL "${raw}": only http and https URLs are supported` };
  if (u.username || u.password) return { ok: false, message: `invalid URL "${raw}": user names and passwords are not allowed in URLs` };
  const host = u.hostname.startsWith("[") ? u.hostname : checkDomain(u.hostname);
  if (typeof host !== "string" && !host.ok && !isValidIpRange(u.hostname)) return { ok: false, message: `invalid URL "${raw}": ${host.message}` };
  return { ok: true, value: u.href };
}

export function checkIp(raw: string): Checked<string> {
  const s = raw.trim();
  if (!isValidIpRange(s)) return { ok: false, message: `invalid IP address or CIDR range "${raw}"` };
  return { ok: true, value: s.toLowerCase() };
}

/** `YYYY-MM-DD` or an ISO date-time; the calendar date must exist. */
export function checkDate(raw: string): Checked<string> {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/.exec(raw);
  if (!m) return { ok: false, message: `invalid date "${raw}": write YYYY-MM-DD` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) {
    return { ok: false, message: `invalid date "${raw}": there is no day ${d} in month ${mo} of ${y}` };
  }
  if (m[4] !== undefined && Number.isNaN(Date.parse(raw))) return { ok: false, message: `invalid date-time "${raw}"` };
  return { ok: true, value: raw };
}

/** How a value reads in a type error message. */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case "String":
      return "a string";
    case "Number":
      return "a number";
    case "Size":
      return "a size";
    case "Duration":
      return "a duration";
    case "Date":
      return "a date";
    case "Ip":
      return "an IP address";
    case "Bool":
      return "a boolean";
    case "Name":
      return v.dotted ? "a dotted name" : "a name";
    case "Range":
      return "a range";
    case "List":
      return "a list";
  }
}
