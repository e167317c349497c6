import { isDeepStrictEqual } from "node:util";

/*
 * Compare syntax trees without positions: two parses of differently laid-out text that mean the
 * same thing (and carry the same comments) strip to deep-equal values. Shared by the formatter,
 * parser and checker tests.
 */

export interface StripOptions {
  /** Compare comments without trailing whitespace (the formatter trims it). Default false. */
  readonly trimComments?: boolean;
}

/**
 * A deep copy of `node` without `span` fields and without fields whose value is `undefined`
 * (so `{ tag: undefined }` equals `{}`). Arrays keep their order.
 */
export function stripSpans<T>(node: T, options: StripOptions = {}): unknown {
  return strip(node, options);
}

function strip(x: unknown, options: StripOptions): unknown {
  if (Array.isArray(x)) return x.map((e) => strip(e, options));
  if (x === null || typeof x !== "object") return x;
  const out: Record<string, unknown> = {};
  const isComment = (x as { kind?: unknown }).kind === "Comment";
  for (const [key, value] of Object.entries(x)) {
    if (key === "span" || value === undefined) continue;
    out[key] = options.trimComments && isComment && key === "text" && typeof value === "string" ? value.trimEnd() : strip(value, options);
  }
  return out;
}

/** Do `a` and `b` differ only in spans (and, with `trimComments`, trailing comment whitespace)? */
export function astEqual(a: unknown, b: unknown, options: StripOptions = {}): boolean {
  return isDeepStrictEqual(stripSpans(a, options), stripSpans(b, options));
}

/**
 * Throws, naming the first differing path, when `actual` and `expected` differ modulo spans.
 * Works with any test runner; with vitest prefer `expect(stripSpans(a)).toEqual(stripSpans(b))`
 * when a full diff is wanted.
 */
export function assertAstEqual(actual: unknown, expected: unknown, options: StripOptions = {}): void {
  const a = stripSpans(actual, options);
  const e = stripSpans(expected, options);
  const path = firstDifference(a, e, "$");
  if (path !== undefined) throw new Error(`syntax trees differ at ${path}`);
}

function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return `${path} (length ${a.length} vs ${b.length})`;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}
