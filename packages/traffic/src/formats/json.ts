/** JSON helpers shared by the JSON formats. */

/** JSON.parse that returns an error message instead of throwing. */
export function parseJsonObject(text: string): Record<string, unknown> | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return "invalid JSON: " + (e instanceof Error ? e.message : String(e)).slice(0, 120);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return "not a JSON object";
  return v as Record<string, unknown>;
}

/** A string field (numbers are written as text); undefined for absent, null, empty, `-`. */
export function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (typeof v === "string") return v === "" || v === "-" || v === "(empty)" ? undefined : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** A byte count field: number or numeric text; 0 when absent; -1 when invalid. */
export function count(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (v === undefined || v === null || v === "" || v === "-") return 0;
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}

/** Strip what surrounds an object on a line of an array written one object per line: `[`, `]`, a trailing comma. */
export function trimJsonLine(line: string): string {
  let s = line.trim();
  if (s.charCodeAt(0) === 91) s = s.slice(1).trimStart(); // "[{...}," on the first line
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 44 && c !== 93 && c !== 32 && c !== 9) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}
