/** Decimal and binary size units, in bytes. Units are case-insensitive; `b` is bytes, never bits. */
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `50MB` → 50000000. The lexer guarantees the shape. */
export function parseSize(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)([a-z]+)$/i.exec(raw);
  if (!m) return NaN;
  return Math.round(Number(m[1]) * (SIZE_UNITS[m[2]!.toLowerCase()] ?? NaN));
}

/** `24h` → 86400 seconds. */
export function parseDuration(raw: string): number {
  const m = /^(\d+)([smhdw])$/.exec(raw);
  if (!m) return NaN;
  return Number(m[1]) * DURATION_UNITS[m[2]!]!;
}

/** Undo string escapes. Unknown escapes keep the escaped character (the checker reports them). */
export function decodeString(body: string): string {
  if (!body.includes("\\")) return body;
  return body.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

/** Offsets (inside the body) of escapes other than `\" \\ \n \t`. */
export function invalidEscapes(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") {
      if (!'"\\nt'.includes(body[i + 1] ?? "")) out.push(i);
      i++;
    }
  }
  return out;
}

/** Quote a string for output so that `decodeString` gives it back. */
export function encodeString(value: string): string {
  return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "") + '"';
}
