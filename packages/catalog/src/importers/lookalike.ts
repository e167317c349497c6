import { domainToUnicode } from "node:url";
import type { IndexedCatalog } from "../catalog.js";

/*
 * Homograph checks for imported domains. `*.drоpbox.com` with a Cyrillic `о` is a valid IDN
 * (`xn--drpbox-xqf.com`) and imports like any other name, but it imitates Dropbox. A list
 * cannot claim the real name (reconcileImport refuses that); these checks report the names
 * that only look like one, so that a reviewer sees them: a label that mixes scripts (UTS #39's
 * "highly restrictive" rule: one script, or Latin with the Chinese, Japanese or Korean ones
 * they are written with), and a name whose skeleton — look-alike letters folded to the Latin
 * letters they imitate — is a built-in app's domain.
 */

/** Scripts told apart; a letter of any other script counts as `other`. */
const SCRIPTS: readonly (readonly [string, RegExp])[] = (
  [
    "Latin",
    "Cyrillic",
    "Greek",
    "Armenian",
    "Georgian",
    "Hebrew",
    "Arabic",
    "Syriac",
    "Thaana",
    "Devanagari",
    "Bengali",
    "Tamil",
    "Telugu",
    "Thai",
    "Lao",
    "Tibetan",
    "Myanmar",
    "Khmer",
    "Ethiopic",
    "Cherokee",
    "Han",
    "Hiragana",
    "Katakana",
    "Bopomofo",
    "Hangul",
  ] as const
).map((s) => [s, new RegExp(`^\\p{Script=${s}}$`, "u")] as const);

/** Digits, `-` and marks belong to no script of their own. */
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/** Script sets that are legitimately written together (Latin with CJK). */
const ALLOWED_MIXES: readonly ReadonlySet<string>[] = [new Set(["Latin", "Han", "Hiragana", "Katakana"]), new Set(["Latin", "Han", "Bopomofo"]), new Set(["Latin", "Han", "Hangul"])];

function scriptOf(ch: string): string | undefined {
  if (NEUTRAL.test(ch)) return undefined;
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name;
  return "other";
}

/** The scripts of a label when they are a suspicious mix (Latin and Cyrillic…), else undefined. */
export function mixedScripts(label: string): string[] | undefined {
  const seen = new Set<string>();
  for (const ch of label) {
    const s = scriptOf(ch);
    if (s) seen.add(s);
  }
  if (seen.size < 2) return undefined;
  if (ALLOWED_MIXES.some((allowed) => [...seen].every((s) => allowed.has(s)))) return undefined;
  return [...seen];
}

/**
 * Lower-case Cyrillic and Greek letters (and a few Latin ones) that look like a Latin letter
 * in the fonts of address bars, folded to that letter. Domains are lower case by now (IDNA maps
 * them so), so only lower-case forms are listed.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  "а": "a", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "ӏ": "l", "о": "o",
  "р": "p", "ԛ": "q", "ѕ": "s", "ѵ": "v", "ԝ": "w", "х": "x", "у": "y", "ү": "y",
  // Greek
  "α": "a", "ε": "e", "η": "n", "ι": "i", "ί": "i", "κ": "k", "ν": "v", "ο": "o", "ό": "o", "ρ": "p", "τ": "t",
  "υ": "u", "ύ": "u", "χ": "x", "γ": "y", "ω": "w", "ϲ": "c", "ϳ": "j",
  // Latin letters outside ASCII that pass for ASCII ones
  "ı": "i", "ɩ": "i", "ɑ": "a", "ȷ": "j", "ɡ": "g", "ǀ": "l",
};

/** The name with every look-alike letter replaced by the Latin letter it imitates. */
export function skeleton(unicodeName: string): string {
  let out = "";
  for (const ch of unicodeName) out += CONFUSABLES[ch] ?? ch;
  return out;
}

/**
 * Why an imported domain pattern (lower-case punycode, `*.` allowed) looks like another name,
 * or undefined when it does not: the labels that mix scripts, and the built-in app whose
 * domain its skeleton is.
 */
export function lookalike(pattern: string, catalog: IndexedCatalog): { shown: string; mixed: { label: string; scripts: string[] }[]; imitates?: { app: string; pattern: string } } | undefined {
  const host = pattern.startsWith("*.") ? pattern.slice(2) : pattern;
  if (!/(^|\.)xn--/.test(host)) return undefined; // ASCII only: nothing to confuse
  const unicode = domainToUnicode(host);
  if (unicode === "") return undefined;
  const mixed: { label: string; scripts: string[] }[] = [];
  for (const label of unicode.split(".")) {
    const scripts = mixedScripts(label);
    if (scripts) mixed.push({ label, scripts });
  }
  const folded = skeleton(unicode);
  const owner = folded !== unicode ? catalog.matchHost(folded) : undefined;
  if (mixed.length === 0 && !owner) return undefined;
  return {
    shown: (pattern.startsWith("*.") ? "*." : "") + unicode,
    mixed,
    ...(owner ? { imitates: { app: owner.app.name, pattern: owner.pattern } } : {}),
  };
}
