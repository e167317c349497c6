import fc from "fast-check";
import type { MatcherEntry } from "@sanction/matcher";

/** `numRuns` for the matcher properties: FC_RUNS from the environment, default 1000. */
export function runs(defaultRuns = 1000): number {
  const n = Number(process.env["FC_RUNS"]);
  return Number.isInteger(n) && n > 0 ? n : defaultRuns;
}

/** A valid name as the matcher sees it: 1..253 characters, labels of 1..63 characters. */
export function isValidName(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  return host.split(".").every((l) => l.length > 0 && l.length <= 63);
}

export interface ReferenceMatch {
  readonly value: number;
  readonly pattern: string;
  readonly labels: number;
}

/**
 * The naive specification: every pattern whose name equals the host, or (for `*.name`) is a
 * dot-suffix of it, matches; the longest name in labels wins; on a tie the exact pattern wins.
 */
export function referenceMatch(entries: readonly MatcherEntry[], host: string): ReferenceMatch | undefined {
  if (!isValidName(host)) return undefined;
  let best: (ReferenceMatch & { subtree: boolean }) | undefined;
  for (const { pattern, value } of entries) {
    const subtree = pattern.startsWith("*.");
    const name = subtree ? pattern.slice(2) : pattern;
    if (!(host === name || (subtree && host.endsWith("." + name)))) continue;
    const labels = name.split(".").length;
    if (best === undefined || labels > best.labels || (labels === best.labels && best.subtree && !subtree)) best = { value, pattern, labels, subtree };
  }
  return best && { value: best.value, pattern: best.pattern, labels: best.labels };
}

/** A small label alphabet, so that random patterns and hosts overlap often. */
export const LABELS = [
  "a", "b", "c", "ab", "ba", "www", "api", "co", "uk", "com", "xn--bcher-kva", "xn--fiqs8s", "1", "a-b", "_dmarc",
  // same length, differing only in the 2nd, 3rd, 4th or 5th packed word (labels are packed 4 characters a word from the right)
  "east-end", "west-end", "aaaa-mid-end", "bbbb-mid-end", "aaaa000011112222", "bbbb000011112222", "aaaa0000111122223333", "bbbb0000111122223333",
];

export const arbLabel = (): fc.Arbitrary<string> => fc.constantFrom(...LABELS);
export const arbName = (maxLabels = 4): fc.Arbitrary<string> => fc.array(arbLabel(), { minLength: 1, maxLength: maxLabels }).map((ls) => ls.join("."));

/** Distinct patterns with uint32 payloads: each name exact, subtree, or both (so ties are common). */
export const arbEntries = (maxNames = 30): fc.Arbitrary<MatcherEntry[]> =>
  fc
    .uniqueArray(
      fc.record({
        name: arbName(),
        kind: fc.constantFrom("exact", "subtree", "both"),
        exact: fc.integer({ min: 0, max: 0xffffffff }),
        subtree: fc.integer({ min: 0, max: 0xffffffff }),
      }),
      { maxLength: maxNames, selector: (e) => e.name },
    )
    .map((names) =>
      names.flatMap(({ name, kind, exact, subtree }) => [
        ...(kind !== "subtree" ? [{ pattern: name, value: exact }] : []),
        ...(kind !== "exact" ? [{ pattern: `*.${name}`, value: subtree }] : []),
      ]),
    );

/** Hosts: random names, names built on top of a pattern, and some malformed ones. */
export const arbHost = (entries: readonly MatcherEntry[]): fc.Arbitrary<string> => {
  const names = entries.map((e) => (e.pattern.startsWith("*.") ? e.pattern.slice(2) : e.pattern));
  const options: fc.Arbitrary<string>[] = [
    arbName(6),
    fc.constantFrom("", ".", "..", "a.", ".a", "a..b", "A.com", "b\u00fccher.com", "a".repeat(64) + ".com", "a".repeat(64) + ".zz.com", "ab.".repeat(100) + "com", "a\u0000.com", "\u0000a.b"),
  ];
  // the same names with one character replaced by a non-ASCII one that has the same low byte
  options.push(
    fc.tuple(arbName(6), fc.nat()).map(([name, i]) => {
      const at = i % name.length;
      return name.slice(0, at) + String.fromCharCode(0x100 | name.charCodeAt(at)) + name.slice(at + 1);
    }),
  );
  if (names.length > 0) {
    const onTop = fc.tuple(fc.array(arbLabel(), { maxLength: 3 }), fc.constantFrom(...names)).map(([prefix, name]) => [...prefix, name].join("."));
    options.push(onTop, onTop, fc.constantFrom(...names));
  }
  return fc.oneof(...options);
};
