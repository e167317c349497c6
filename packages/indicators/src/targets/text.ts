/*
 * Helpers for writing tens of thousands of entries. A target's text is built from many short
 * pieces; keeping every line alive until one final join makes the young-generation collector
 * copy all of them, which cost more than building them. `TextBuilder` joins every few hundred
 * lines into a chunk, so each line dies young and only the chunks survive.
 */

const CHUNK = 512;

export class TextBuilder {
  private parts: string[] = [];
  private readonly chunks: string[] = [];

  /** Appends one piece (a line with its separator, or part of one). */
  add(piece: string): void {
    this.parts.push(piece);
    if (this.parts.length >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.parts.length) this.chunks.push(this.parts.join(""));
    this.parts = [];
  }

  text(): string {
    this.flush();
    return this.chunks.join("");
  }
}

/** Characters JSON.stringify would escape (quote, backslash, controls) or check (surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `s` needs nothing escaped in a JSON string literal: `"${s}"` is what JSON.stringify writes. */
export function isPlainJson(s: string): boolean {
  return !NEEDS_ESCAPE.test(s);
}

/** A JSON string literal, exactly as JSON.stringify writes it; plain strings skip the serialiser. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}
