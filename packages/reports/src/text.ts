/*
 * Number and text formatting shared by the renderers. Nothing here reads the locale, the
 * clock or the environment: the same value always prints the same way.
 */

/** `1234567` → `1,234,567` (no locale: `toLocaleString` varies with the machine). */
export function formatInt(n: number): string {
  const neg = n < 0;
  const s = String(Math.round(Math.abs(n)));
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ",";
    out += s[i];
  }
  return neg ? "-" + out : out;
}

const UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];

/** Decimal units, as the policy language counts them (`50MB` is 50,000,000 bytes). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 1000) return `${Number.isFinite(n) ? Math.round(n) : 0} B`;
  let v = n;
  let u = 0;
  while (v >= 999.95 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(1)} ${UNITS[u]}`;
}

/** `0.8123` → `81.2%`; a zero denominator gives `0%`. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return "0%";
  const p = (100 * part) / whole;
  if (p > 0 && p < 0.1) return "<0.1%";
  return `${p.toFixed(1).replace(/\.0$/, "")}%`;
}

/** Risk score 0-10 with at most two decimals, or `n/a`. */
export function formatScore(score: number | null): string {
  if (score === null || !Number.isFinite(score)) return "n/a";
  return String(Math.round(score * 100) / 100);
}

/** `cloud_storage` → `cloud storage` */
export function categoryLabel(category: string): string {
  return category.replace(/_/g, " ");
}

/**
 * Strings from logs, catalogs and policies are printed through `visible` (control characters,
 * separators and bidi controls shown as escapes): the same function the diagnostics use, so a
 * terminal sees one rule everywhere.
 */
export { visible } from "@sanction/diagnostics";

/** Columns a code point takes on a terminal: 0 for combining marks, 2 for wide East Asian. */
function cpWidth(cp: number): number {
  if (cp === 0) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200d) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x20d0 && cp <= 0x20ff)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Display width of a string without escape sequences. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += cpWidth(ch.codePointAt(0)!);
  return w;
}

/** Cut to at most `width` columns, ending with `…` when something was cut. */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 0) return "";
  let out = "";
  let w = 0;
  for (const ch of s) {
    const cw = cpWidth(ch.codePointAt(0)!);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + "…";
}

export function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + " ".repeat(width - w);
}

export function padStart(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : " ".repeat(width - w) + s;
}

export function plural(n: number, one: string, many = one + "s"): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}

/** Code-unit order: deterministic whatever the locale. */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
