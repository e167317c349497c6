/**
 * Characters that must not reach a terminal or a CI log as they are: C0 controls (ESC starts
 * an ANSI sequence, CR and LF forge lines), DEL and C1 controls (U+009B is an 8-bit CSI), line
 * and paragraph separators, bidirectional marks, overrides and isolates (they reorder what is
 * shown), the byte-order mark, and the non-characters U+FFFE and U+FFFF (which XML forbids).
 */
const UNSAFE_CLASS = "[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff\\ufffe\\uffff]";
const UNSAFE = new RegExp(UNSAFE_CLASS, "g");
const UNSAFE_ANY = new RegExp(UNSAFE_CLASS);

/** The escape shown for one unsafe character: `\n`, `\r`, `\t`, `\x1b`, `\u202e`. */
export function visibleChar(c: string): string {
  if (c === "\t") return "\\t";
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Make a string from a policy, a file name, a log or a catalog safe to print on a terminal or
 * in a one-line cell: every unsafe character becomes its visible escape, so hostile text can
 * neither move the cursor, recolour or clear the screen, forge a line, nor reorder text.
 * Everything else is kept as it is.
 */
export function visible(s: string): string {
  return s.replace(UNSAFE, visibleChar);
}

/** Whether `s` holds any character that `visible` would escape. */
export function hasUnsafeChar(s: string): boolean {
  return UNSAFE_ANY.test(s);
}

/** Offsets (UTF-16) of the characters of `s` that `visible` escapes, in order. */
export function unsafeOffsets(s: string): number[] {
  const out: number[] = [];
  const re = new RegExp(UNSAFE_CLASS, "g");
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m.index);
  return out;
}
