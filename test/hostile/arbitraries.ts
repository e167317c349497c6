import fc from "fast-check";
import { HOSTNAMES, LOG_TEMPLATES, NAMES, USERS, fillTemplate, type LogTemplate } from "./corpus.js";

/*
 * fast-check generators of hostile input: host names, user names and log lines. They mix the
 * corpus with random text over an alphabet chosen to break formats (quotes, separators,
 * comment and directive characters, controls, bidi overrides, non-ASCII look-alikes), so a
 * property sees both the known attacks and their random neighbours.
 */

/** Characters that mean something to some reader or writer. */
const DANGEROUS = [
  "\n", "\r", "\t", "\u0000", "\u001b", "\u0007", "\u0085", "\u009b", "\u2028", "\u2029", "\u202e", "\u200b", "\ufeff", "\ufffe", "\uffff",
  '"', "'", "`", "\\", ";", "#", "$", "@", "=", "+", "-", "*", "?", "!", "|", ",", ":", "/", " ", ".", "..",
  "<", ">", "&", "[", "]", "(", ")", "{", "}", "%", "\u0430", "\u00fc", "\uff45", "\u3002", "\ud83d\ude00",
];

const LABEL_CHARS = [..."abcdefghijklmnopqrstuvwxyz0123456789-_"];

/** A plausible DNS label (1–63 characters). */
export const arbLabel = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/),
    fc.array(fc.constantFrom(...LABEL_CHARS), { minLength: 1, maxLength: 64 }).map((cs) => cs.join("")),
  );

/** A name that looks like a host name, possibly valid. */
export const arbPlainHost = (): fc.Arbitrary<string> =>
  fc.array(arbLabel(), { minLength: 1, maxLength: 5 }).map((ls) => ls.join("."));

/** Random text over the dangerous alphabet and label characters. */
export const arbHostileText = (maxLength = 40): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof({ arbitrary: fc.constantFrom(...DANGEROUS), weight: 2 }, { arbitrary: fc.constantFrom(...LABEL_CHARS), weight: 3 }), { maxLength })
    .map((cs) => cs.join(""));

/** `s` with `insert` put in at a random place. */
const spliced = (base: fc.Arbitrary<string>, insert: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(base, insert, fc.nat()).map(([b, i, at]) => {
    const k = b.length === 0 ? 0 : at % (b.length + 1);
    return b.slice(0, k) + i + b.slice(k);
  });

/**
 * A hostile host name: a corpus entry, a plausible name with dangerous characters spliced in,
 * random hostile text, or a plausible name in odd case with a port or trailing dot.
 */
export const arbHostileHost = (): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...HOSTNAMES.map((h) => h.value)), weight: 3 },
    { arbitrary: spliced(arbPlainHost(), fc.constantFrom(...DANGEROUS)), weight: 4 },
    { arbitrary: arbHostileText(), weight: 2 },
    {
      arbitrary: fc
        .tuple(arbPlainHost(), fc.boolean(), fc.option(fc.integer({ min: 0, max: 65535 })), fc.boolean())
        .map(([h, upper, port, dot]) => (upper ? h.toUpperCase() : h) + (dot ? "." : "") + (port === null ? "" : `:${port}`)),
      weight: 2,
    },
  );

/** A hostile user name: a corpus entry, dangerous text, or a formula-led string. */
export const arbHostileUser = (): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...USERS.map((u) => u.value)), weight: 3 },
    { arbitrary: arbHostileText(30), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom("=", "+", "-", "@", "\t", "\r"), arbHostileText(20)).map(([a, b]) => a + b), weight: 2 },
  );

/** A hostile name for an app, policy, tag or test, as a policy file could hold it. */
export const arbHostileName = (): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...NAMES.map((n) => n.value)), weight: 2 },
    { arbitrary: arbHostileText(30).filter((s) => s.trim().length > 0), weight: 3 },
  );

/**
 * One hostile log line for template `t`: the template with hostile fields, the template cut
 * short, or random text (raw, so it may hold NUL and control characters; never a line break,
 * the caller joins lines).
 */
export const arbLogLine = (t: LogTemplate): fc.Arbitrary<string> =>
  fc
    .oneof(
      { arbitrary: fc.tuple(arbHostileHost(), arbHostileUser()).map(([h, u]) => fillTemplate(t, h, u)), weight: 5 },
      { arbitrary: fc.tuple(arbPlainHost(), fc.nat()).map(([h, n]) => fillTemplate(t, h).slice(0, n % (t.line.length + 1))), weight: 1 },
      { arbitrary: arbHostileText(120), weight: 1 },
    )
    .map((l) => l.replace(/\r?\n|\r/g, " "));

/** A whole log file for `t`: its header, then hostile lines, with LF or CRLF ends and maybe no final one. */
export const arbLogFile = (t: LogTemplate): fc.Arbitrary<{ text: string; lines: number }> =>
  fc.tuple(fc.array(arbLogLine(t), { minLength: 1, maxLength: 30 }), fc.constantFrom("\n", "\r\n"), fc.boolean()).map(([ls, eol, final]) => {
    const all = [...t.header, ...ls];
    return { text: all.join(eol) + (final ? eol : ""), lines: all.length };
  });

export { LOG_TEMPLATES };
