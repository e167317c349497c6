import fc from "fast-check";
import { domainToASCII } from "node:url";
import { describe, expect, it } from "vitest";
import { isValidHostname, normalizeHost } from "../src/index.js";

// isValidHostname and normalizeHost run on every lookup, so they are hand-written loops with a
// fast path. These properties pin them to the plain definitions they replaced.

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
function referenceValid(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split(".");
  if (labels.length < 2) return false;
  if (!labels.every((l) => LABEL.test(l))) return false;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return false;
  if (labels.some((l) => l.startsWith("xn--")) && domainToASCII(host) !== host) return false;
  return true;
}
function referenceNormalize(input: string): string | undefined {
  let host = input.trim().toLowerCase();
  if (host.startsWith("[")) return undefined;
  const colon = host.lastIndexOf(":");
  if (colon >= 0 && /^\d+$/.test(host.slice(colon + 1))) host = host.slice(0, colon);
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (host === "") return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(host)) {
    const ascii = domainToASCII(host);
    if (ascii === "") return undefined;
    host = ascii;
  }
  return referenceValid(host) ? host : undefined;
}

const hostish = fc
  .array(fc.constantFrom("a", "b", "z", "0", "9", "-", ".", ".", "xn--", "X", " ", ":443", "ü", "_", "*"), { maxLength: 24 })
  .map((parts) => parts.join(""));
const labelled = fc
  .array(fc.stringMatching(/^[a-z0-9-]{0,64}$/), { minLength: 1, maxLength: 5 })
  .map((labels) => labels.join("."));

describe("host names", () => {
  it("isValidHostname agrees with the label-by-label definition", () => {
    fc.assert(
      fc.property(fc.oneof(hostish, labelled), (h) => {
        expect(isValidHostname(h)).toBe(referenceValid(h));
      }),
      { numRuns: 3000 },
    );
  });

  it("normalizeHost (with its fast path) agrees with the plain normalisation", () => {
    fc.assert(
      fc.property(fc.oneof(hostish, labelled), (h) => {
        expect(normalizeHost(h)).toBe(referenceNormalize(h));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["a.b", true],
    ["1.2.3.4", false],
    ["a.123", false],
    ["123.a", true],
    ["xn--bcher-kva.example", true],
    ["xn--zz.example", false],
    ["-a.example", false],
    ["a-.example", false],
    ["a..example", false],
    [`${"a".repeat(63)}.example`, true],
    [`${"a".repeat(64)}.example`, false],
    ["A.example", false],
  ])("%s valid: %s", (h, ok) => {
    expect(isValidHostname(h)).toBe(ok);
  });
});
