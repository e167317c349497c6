import { domainToASCII } from "node:url";
import type { TrafficRecord } from "./types.js";

/** A record with every field present (absent ones undefined), so that all records share one shape. */
export function makeRecord(
  time: number,
  user: string | undefined,
  device: string | undefined,
  srcIp: string | undefined,
  host: string | undefined,
  dstIp: string | undefined,
  url: string | undefined,
  bytesUp: number,
  bytesDown: number,
  action: string | undefined,
  line: number,
): TrafficRecord {
  return { time, user, device, srcIp, host, dstIp, url, bytesUp, bytesDown, action, line };
}

/** A rejection. */
export function reject(reason: string): { reason: string } {
  return { reason };
}

const SAMPLE_CHARS = 200;

/**
 * The first 200 characters of a line, control characters escaped, for error reports: a copy,
 * since a slice of a line is a view of the whole block of text the line was read from, which a
 * kept sample would keep in memory.
 */
export function sampleOf(line: string): string {
  const s = line.length > SAMPLE_CHARS ? line.slice(0, SAMPLE_CHARS) : line;
  // eslint-disable-next-line no-control-regex
  return (" " + s).slice(1).replace(/[\u0000-\u001f\u007f-\u009f\\]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case "\t":
        return "\\t";
      case "\r":
        return "\\r";
      case "\n":
        return "\\n";
      case "\0":
        return "\\0";
      default:
        return "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0");
    }
  });
}

/** Whether a log field means "no value". */
export function unset(s: string | undefined): boolean {
  return s === undefined || s === "" || s === "-" || s === "(empty)";
}

/** `s`, or undefined when the field means "no value". */
export function opt(s: string | undefined): string | undefined {
  return s === undefined || s === "" || s === "-" || s === "(empty)" ? undefined : s;
}

/** A non-negative integer byte count, or -1 when the text is not one. Unset fields count as 0. */
export function parseBytes(s: string | undefined): number {
  if (s === undefined || s === "" || s === "-" || s === "(empty)") return 0;
  let n = 0;
  const len = s.length;
  if (len > 15) {
    const v = Number(s);
    return Number.isSafeInteger(v) && v >= 0 ? v : -1;
  }
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * epochSecondsToMs(s.slice(from, to)) without the slice when the text is plain digits (the
 * common `[1764064801]`); anything else (a fraction, an exponent, …) goes through Number as there.
 */
export function epochSecondsAt(s: string, from: number, to: number): number {
  const len = to - from;
  if (len > 0 && len <= 15) {
    let v = 0;
    let i = from;
    for (; i < to; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === to) return v * 1000;
  }
  return epochSecondsToMs(s.slice(from, to));
}

/** parseBytes(s.slice(from, to)) without the slice. */
export function parseBytesAt(s: string, from: number, to: number): number {
  const len = to - from;
  if (len === 0 || (len === 1 && s.charCodeAt(from) === 45) || (len === 7 && s.startsWith("(empty)", from))) return 0;
  if (len > 15) return parseBytes(s.slice(from, to));
  return digits(s, from, to);
}

/** Epoch seconds (with an optional fraction) as epoch milliseconds, or NaN. */
export function epochSecondsToMs(s: string): number {
  if (s.length === 0 || s.length > 24) return NaN;
  const c = s.charCodeAt(0);
  if (c < 48 || c > 57) return NaN;
  const v = Number(s);
  if (!Number.isFinite(v)) return NaN;
  return Math.round(v * 1000);
}

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
  JAN: 0, FEB: 1, MAR: 2, APR: 3, MAY: 4, JUN: 5, JUL: 6, AUG: 7, SEP: 8, OCT: 9, NOV: 10, DEC: 11,
};

/** 0-based month of a three-letter English abbreviation, or -1. */
export function monthIndex(s: string): number {
  const m = MONTHS[s];
  return m === undefined ? -1 : m;
}

/** The months by their three character codes packed in one number. */
const MONTH_CODES = new Map<number, number>(Object.entries(MONTHS).map(([k, v]) => [(k.charCodeAt(0) << 16) | (k.charCodeAt(1) << 8) | k.charCodeAt(2), v]));

/** monthIndex(s.slice(at, at + 3)) without the slice (the caller checks that the three characters exist). */
export function monthIndexAt(s: string, at: number): number {
  const c0 = s.charCodeAt(at);
  const c1 = s.charCodeAt(at + 1);
  const c2 = s.charCodeAt(at + 2);
  if ((c0 | c1 | c2) > 255) return -1;
  const m = MONTH_CODES.get((c0 << 16) | (c1 << 8) | c2);
  return m === undefined ? -1 : m;
}

/** Digits s[from, to) as a number, or -1 when any is not a digit. */
export function digits(s: string, from: number, to: number): number {
  if (to > s.length || from >= to) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Epoch ms of a UTC date and time, or NaN when a field is out of range. */
export function utcMs(year: number, month0: number, day: number, h: number, mi: number, sec: number, ms: number): number {
  if (year < 1970 || year > 9999 || month0 < 0 || month0 > 11 || day < 1 || day > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || ms < 0) return NaN;
  const t = Date.UTC(year, month0, day, h, mi, sec, ms);
  // Date.UTC rolls 31 Nov over into 1 Dec (and 23:59:60 on the last day into the next month):
  // reject a date that moved; a Date is made only when the arithmetic says it may have.
  if (day > 28 && (day > daysInMonth(year, month0) || h * 3_600_000 + mi * 60_000 + sec * 1000 + ms >= 86_400_000) && new Date(t).getUTCDate() !== day) return NaN;
  return t;
}

/** Days in a month of the proleptic Gregorian calendar (what Date.UTC counts with). */
function daysInMonth(year: number, month0: number): number {
  if (month0 === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month0 === 3 || month0 === 5 || month0 === 8 || month0 === 10 ? 30 : 31;
}

/**
 * ISO 8601 date-time (`2026-11-25T10:00:01.1234567Z`, `2026-11-25 10:00:01+01:00`, no zone = UTC)
 * as epoch ms, or NaN.
 */
export function parseIsoMs(s: string): number {
  const n = s.length;
  if (n < 10) return NaN;
  const year = digits(s, 0, 4);
  if (year < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  if (month < 1 || day < 1) return NaN;
  if (n === 10) return utcMs(year, month - 1, day, 0, 0, 0, 0);
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return NaN; // T, space, t
  const h = digits(s, 11, 13);
  if (h < 0 || s.charCodeAt(13) !== 58) return NaN;
  const mi = digits(s, 14, 16);
  if (mi < 0) return NaN;
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    sec = digits(s, 17, 19);
    if (sec < 0) return NaN;
    i = 19;
    if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
      i++;
      let scale = 100;
      const start = i;
      while (i < n) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        if (scale >= 1) ms += c * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return NaN;
    }
  }
  let offset = 0;
  if (i < n) {
    const z = s.charCodeAt(i);
    if ((z === 90 || z === 122) && i === n - 1) offset = 0;
    else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, i + 3);
      let j = i + 3;
      if (s.charCodeAt(j) === 58) j++;
      const om = j < n ? digits(s, j, j + 2) : 0;
      if (oh < 0 || om < 0 || (j < n && j + 2 !== n) || oh > 23 || om > 59) return NaN;
      offset = (z === 43 ? 1 : -1) * (oh * 60 + om);
    } else return NaN;
  }
  const t = utcMs(year, month - 1, day, h, mi, sec, ms);
  return t - offset * 60_000;
}

/** A time field: ISO 8601, epoch seconds (< 1e11) or epoch milliseconds. */
export function parseAnyTime(s: string, format: "auto" | "iso" | "epoch-s" | "epoch-ms" = "auto"): number {
  if (format === "iso") return parseIsoMs(s);
  if (format === "epoch-s") return epochSecondsToMs(s);
  if (format === "epoch-ms") {
    const v = s.length > 0 && s.length < 20 ? Number(s) : NaN;
    return Number.isFinite(v) && v >= 0 ? Math.round(v) : NaN;
  }
  if (s.length >= 10 && s.charCodeAt(4) === 45) return parseIsoMs(s);
  const v = s.length > 0 && s.length < 24 ? Number(s) : NaN;
  if (!Number.isFinite(v) || v < 0) return NaN;
  return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
}

/**
 * `s.slice(from, to)`, or the string kept in `memo[slot]` when it has the same characters: a
 * field that repeats from line to line (a result code, a peer address) costs no new string, and
 * whoever keys a map by it finds its hash already computed. The new value is kept otherwise.
 */
export function memoSlice(memo: string[], slot: number, s: string, from: number, to: number): string {
  const last = memo[slot]!;
  if (last.length === to - from && s.startsWith(last, from)) return last;
  return (memo[slot] = s.slice(from, to));
}

/** memoSlice of an address field, with whether it is an IP literal (isIpLiteral), which is kept with it. */
export function memoAddress(st: { memo: string[]; memoIsIp: boolean[] }, slot: number, s: string, from: number, to: number): string | undefined {
  const last = st.memo[slot];
  const v = memoSlice(st.memo, slot, s, from, to);
  if (v !== last) st.memoIsIp[slot] = isIpLiteral(v);
  return st.memoIsIp[slot] ? v : undefined;
}

/** Whether a host text is an IP literal (IPv4 dotted quad, or IPv6 with an optional zone) rather than a name. */
export function isIpLiteral(h: string): boolean {
  const n = h.length;
  if (n === 0 || n > 64) return false;
  // Most hosts are names: a first character that no literal starts with (IPv4 starts with a digit,
  // IPv6 with a hex digit, ':' or '.') answers at once.
  const c0 = h.charCodeAt(0);
  if (!((c0 >= 48 && c0 <= 58) || c0 === 46 || (c0 >= 97 && c0 <= 102) || (c0 >= 65 && c0 <= 70))) return false;
  // A dotted quad, unless the text has a colon: then it is IPv6 or nothing.
  let dots = 0;
  let octet = 0;
  let len = 0;
  for (let i = 0; i < n; i++) {
    const c = h.charCodeAt(i);
    if (c === 46) {
      if (len === 0) return isIpv6Literal(h);
      dots++;
      octet = 0;
      len = 0;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++len > 3 || octet > 255) return isIpv6Literal(h);
    } else return isIpv6Literal(h);
  }
  return dots === 3 && len > 0;
}

/** An IPv6 literal as isIpLiteral sees it: a colon, then only hex digits, colons and dots up to an optional `%zone`. */
function isIpv6Literal(h: string): boolean {
  if (h.indexOf(":") < 0) return false;
  const n = h.length;
  for (let i = 0; i < n; i++) {
    const c = h.charCodeAt(i);
    if (c === 37) return i > 1; // zone id: anything after %
    if (!((c >= 48 && c <= 58) || c === 46 || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** An IP address field, normalised (IPv4-mapped IPv6 to IPv4, lowercase), or undefined. */
export function normIp(s: string | undefined): string | undefined {
  if (s === undefined || s === "" || s === "-" || s === "(empty)") return undefined;
  if (s.length > 7 && s.charCodeAt(0) === 58 && (s.startsWith("::ffff:") || s.startsWith("::FFFF:")) && s.indexOf(".") > 0) return s.slice(7);
  return s;
}

const MAX_HOST = 253;
/** A DNS label holds at most 63 octets (RFC 1035); a longer one is not a host name. */
const MAX_LABEL = 63;

/** `s[from, to)` is a port: 1–5 digits, at most 65535. */
function isPort(s: string, from: number, to: number): boolean {
  if (to <= from || to - from > 5) return false;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    v = v * 10 + (c - 48);
  }
  return v <= 65535;
}

/**
 * A host name as found in a log (any case, maybe a port, a trailing dot, brackets around IPv6),
 * normalised: lowercase, no port, no trailing dot, punycode. IP literals come back as the bare
 * address (check with isIpLiteral). Undefined when the text is not a host name.
 */
export function normHost(raw: string): string | undefined {
  const n = raw.length;
  const end = plainHostEnd(raw, 0, n);
  if (end === n) return raw;
  if (end >= 0) return raw.slice(0, end);
  return normHostGeneral(raw);
}

/**
 * The common case of normHost, checked in place: when `s[from, to)` is already a normalised name
 * (labels of `[a-z0-9_-]`, no empty label, at most 253 characters) with at most one trailing dot,
 * the end of the name (`to`, or `to - 1` without the dot); otherwise -1, and normHostGeneral
 * decides (uppercase, a port, brackets, IDN, anything invalid).
 */
export function plainHostEnd(s: string, from: number, to: number): number {
  if (to - from > MAX_HOST || to <= from || nameStop(s, from, to) !== to) return -1;
  return withoutTrailingDot(s, from, to);
}

/**
 * Where a normalised name starting at `from` stops: the first character of `s[from, to)` that
 * cannot continue it (`to` if none: labels of `[a-z0-9_-]` separated by single dots, no dot
 * first), or -1 once a label is longer than 63 characters.
 */
function nameStop(s: string, from: number, to: number): number {
  let prev = 46; // a leading dot is an empty label
  let label = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95) {
      if (++label > MAX_LABEL) return -1;
      prev = c;
    } else if (c === 46 && prev !== 46) {
      prev = c;
      label = 0;
    } else return i;
  }
  return to;
}

/** The end of the name `s[from, end)` without its one trailing dot; -1 when the name is only a dot. */
function withoutTrailingDot(s: string, from: number, end: number): number {
  if (s.charCodeAt(end - 1) !== 46) return end;
  return end - from > 1 ? end - 1 : -1;
}

/**
 * Where the host name of the authority `s[from, to)` ends, in the common case, read in one scan:
 * a normalised name (as plainHostEnd: labels of `[a-z0-9_-]`, at most one trailing dot, which
 * the end leaves out), then an optional port (1–5 digits, at most 65535), then the end of the
 * field or, with `path`, the end of the authority (`/`, `?` or `#`). -1 for anything else
 * (uppercase, userinfo, brackets, several colons, an invalid name or port): hostPortIn and
 * urlHost then read the field their general way, so the answer is theirs either way; the fast
 * case only spares them scanning the same characters three times.
 */
function plainAuthorityEnd(s: string, from: number, to: number, path: boolean): number {
  const i = nameStop(s, from, to); // where the name ends
  if (i <= from || i - from > MAX_HOST) return -1;
  let end = i; // where the name and its port end
  if (i < to && s.charCodeAt(i) === 58) {
    end = i + 1;
    while (end < to && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
    if (!isPort(s, i + 1, end)) return -1;
  }
  if (end < to) {
    const c = s.charCodeAt(end);
    if (!path || !(c === 47 || c === 63 || c === 35)) return -1;
  }
  return withoutTrailingDot(s, from, i);
}

/** normHost(s.slice(from, to)), without making the slice when the name is already normalised. */
export function hostIn(s: string, from: number, to: number): string | undefined {
  const end = plainHostEnd(s, from, to);
  if (end >= 0) return s.slice(from, end);
  return normHostGeneral(s.slice(from, to));
}

/**
 * normHost(s.slice(from, to)) for a `host[:port]` field (a CONNECT target): the port is dropped
 * without slicing the field first when there is exactly one colon and no bracket.
 */
export function hostPortIn(s: string, from: number, to: number): string | undefined {
  const fast = plainAuthorityEnd(s, from, to, false);
  if (fast >= 0) return s.slice(from, fast);
  if (to > from && s.charCodeAt(from) !== 91) {
    // the colons of the field only (an indexOf would run on to the end of the line)
    let colon = -1;
    let colons = 0;
    for (let i = from; i < to; i++) {
      if (s.charCodeAt(i) !== 58) continue;
      if (colons++ === 0) colon = i;
    }
    if (colons === 0) return hostIn(s, from, to);
    // normHost drops the port and goes on with what is left of the colon, as hostIn does
    if (colons === 1) return isPort(s, colon + 1, to) ? hostIn(s, from, colon) : undefined;
  }
  return normHostGeneral(s.slice(from, to));
}

/** normHost without its fast path: every case, spelled out (the reference the fast paths are tested against). */
export function normHostGeneral(raw: string): string | undefined {
  let h = raw;
  let n = h.length;
  if (n === 0) return undefined;
  if (h.charCodeAt(0) === 91) {
    // [v6]:port
    const close = h.indexOf("]");
    if (close < 0) return undefined;
    // nothing after the bracket but an optional `:port`
    if (close + 1 < n && !(h.charCodeAt(close + 1) === 58 && isPort(h, close + 2, n))) return undefined;
    h = h.slice(1, close).toLowerCase();
    return isIpLiteral(h) ? h : undefined;
  }
  const colon = h.indexOf(":");
  if (colon >= 0) {
    if (h.indexOf(":", colon + 1) >= 0) {
      const v6 = h.toLowerCase();
      return isIpLiteral(v6) ? v6 : undefined;
    }
    // `host:port` only: `javascript:…`, `server:` or `a:b` are not a host with a port
    if (!isPort(h, colon + 1, n)) return undefined;
    h = h.slice(0, colon);
    n = h.length;
  }
  while (n > 0 && h.charCodeAt(n - 1) === 46) n--;
  if (n === 0) return undefined;
  if (n !== h.length) h = h.slice(0, n);
  h = h.toLowerCase();
  if (n > MAX_HOST) return undefined;
  let prev = 46; // a leading dot is an empty label
  let label = 0;
  for (let i = 0; i < n; i++) {
    const c = h.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95) {
      if (++label > MAX_LABEL) return undefined;
      prev = c;
      continue;
    }
    if (c === 46) {
      if (prev === 46) return undefined;
      prev = c;
      label = 0;
      continue;
    }
    if (c > 127) {
      const a = domainToASCII(h);
      // the punycode form must itself be a plain host name
      return a === "" || a.charCodeAt(0) > 127 || hasNonAscii(a) ? undefined : normHostGeneral(a);
    }
    return undefined;
  }
  return h;
}

function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return true;
  return false;
}

/** The host part of an absolute URL (`scheme://[user@]host[:port]/…`), raw, or undefined. */
export function urlHostPart(url: string): string | undefined {
  const p = url.indexOf("://");
  if (p <= 0) return undefined;
  const start = p + 3;
  let end = url.length;
  for (let i = start; i < end; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) {
      end = i;
      break;
    }
  }
  let hostPart = url.slice(start, end);
  const at = hostPart.lastIndexOf("@");
  if (at >= 0) hostPart = hostPart.slice(at + 1);
  return hostPart;
}

/** rawUrl.indexOf("://") for the field s[from, to) as an index in `s` (-1: none), without searching past the field. */
export function schemeEnd(s: string, from: number, to: number): number {
  for (let i = from; i + 3 <= to; i++) {
    if (s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 47) return i;
  }
  return -1;
}

/** Whether s[from, to) is a `host:port` field: a colon after its first character and no slash (field.indexOf(":") > 0 && field.indexOf("/") < 0). */
export function hasPortNoPath(s: string, from: number, to: number): boolean {
  let colon = -1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 47) return false;
    if (c === 58 && colon < 0) colon = i;
  }
  return colon > from;
}

/**
 * normHost(urlHostPart(…)) of a URL in `s` whose authority starts at `from` (after `://`) and
 * which ends at `to`: the host read in place when the authority has no userinfo.
 */
export function urlHost(s: string, from: number, to: number): string | undefined {
  const fast = plainAuthorityEnd(s, from, to, true);
  if (fast >= 0) return s.slice(from, fast);
  let end = to;
  let at = -1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) {
      end = i;
      break;
    }
    if (c === 64) at = i;
  }
  if (at >= 0) return normHost(s.slice(at + 1, end));
  return hostPortIn(s, from, end);
}

/**
 * Epoch ms of a local time whose log line has no year (syslog `Nov 25 10:00:01`), given the
 * state's year (rolling over when the month goes back, Dec → Jan) or, without one, the year that
 * puts the line at most a day after the state's reference time (the file's modification time).
 */
export function yearlessMs(st: { year: number | undefined; lastMonth: number; notAfter: number | undefined; utcOffsetMs: number }, month0: number, day: number, h: number, mi: number, sec: number, ms: number): number {
  if (st.year !== undefined) {
    if (st.lastMonth >= 0 && month0 < st.lastMonth - 6) st.year++;
    st.lastMonth = month0;
    return utcMs(st.year, month0, day, h, mi, sec, ms) - st.utcOffsetMs;
  }
  const ref = st.notAfter ?? Date.now();
  const refYear = new Date(ref).getUTCFullYear();
  const t = utcMs(refYear, month0, day, h, mi, sec, ms) - st.utcOffsetMs;
  if (t > ref + 86_400_000) return utcMs(refYear - 1, month0, day, h, mi, sec, ms) - st.utcOffsetMs;
  return t;
}

/**
 * Split `line` on single spaces into `out` (runs of spaces count as one separator, leading and
 * trailing spaces are ignored), at most `max` fields (the last takes the rest). Returns the count.
 */
export function splitSpaces(line: string, out: string[], max: number): number {
  const n = line.length;
  let i = 0;
  let k = 0;
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    if (k === max - 1) {
      let end = n;
      while (end > i && line.charCodeAt(end - 1) === 32) end--;
      out[k++] = line.slice(i, end);
      return k;
    }
    let j = line.indexOf(" ", i);
    if (j < 0) j = n;
    out[k++] = line.slice(i, j);
    i = j + 1;
  }
  return k;
}

/** Split on one separator string into `out`. Returns the count. */
export function splitOn(line: string, sep: string, out: string[]): number {
  let k = 0;
  let i = 0;
  const sl = sep.length;
  for (;;) {
    const j = line.indexOf(sep, i);
    if (j < 0) {
      out[k++] = line.slice(i);
      return k;
    }
    out[k++] = line.slice(i, j);
    i = j + sl;
  }
}

/**
 * Token boundaries of a space-separated line (runs of spaces are one separator) into `starts`
 * and `ends`, at most `max` tokens (the last one runs to the end of the line). No strings are
 * made: callers slice only the tokens they need. Returns the token count.
 */
export function tokenize(line: string, starts: Int32Array, ends: Int32Array, max: number): number {
  return tokenizeFrom(line, 0, starts, ends, max);
}

/** tokenize(line.slice(from)), with boundaries in `line` (no slice made). */
export function tokenizeFrom(line: string, from: number, starts: Int32Array, ends: Int32Array, max: number): number {
  return tokenizeRange(line, from, line.length, starts, ends, max);
}

/** tokenize(line.slice(from, to)), with boundaries in `line` (no slice made). */
export function tokenizeRange(line: string, from: number, to: number, starts: Int32Array, ends: Int32Array, max: number): number {
  const n = to;
  let i = from;
  let k = 0;
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    starts[k] = i;
    if (k === max - 1) {
      let end = n;
      while (end > i && line.charCodeAt(end - 1) === 32) end--;
      ends[k++] = end;
      return k;
    }
    let j = line.indexOf(" ", i);
    if (j < 0 || j > n) j = n;
    ends[k++] = j;
    i = j + 1;
  }
  return k;
}

/** Epoch seconds with an optional fraction, written in s[from, to), as epoch ms (rounded); NaN if not that. */
export function epochMsAt(s: string, from: number, to: number): number {
  let i = from;
  let sec = 0;
  while (i < to) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    sec = sec * 10 + c;
    i++;
  }
  if (i === from || i - from > 12) return NaN;
  let ms = 0;
  if (i < to) {
    if (s.charCodeAt(i) !== 46) return NaN;
    i++;
    if (i === to) return NaN;
    // milliseconds from the first three fraction digits, rounded half up on the fourth; the
    // rest must be digits too
    const f0 = i;
    for (; i < to; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      const d = i - f0;
      if (d < 3) ms = ms * 10 + c;
      else if (d === 3 && c >= 5) ms++;
    }
    const d = to - f0;
    if (d < 3) ms *= d === 1 ? 100 : 10;
  }
  return sec * 1000 + ms;
}

/** A non-negative integer written in s[from, to), or -1. */
export function countAt(s: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return to - from === 1 && s.charCodeAt(from) === 45 ? 0 : -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return to - from === 1 && c === -3 ? 0 : -1;
    n = n * 10 + c;
  }
  return n;
}
