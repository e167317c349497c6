import type { TestOutcome } from "@sanction/engine";
import { visible } from "@sanction/reports";

/*
 * Test names and messages come from policy files, which a pull request can change: they are
 * written as XML text that any parser accepts and a person can read. Control characters (which
 * XML 1.0 forbids, or which a CI page would pass to a terminal) are shown as `\x1b`-style
 * escapes, like the reports do (the two non-characters XML forbids among them); unpaired
 * surrogates, which no XML parser accepts either, too.
 */
function esc(s: string): string {
  return visible(s)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** JUnit XML as CI systems read it: one testsuite, one testcase per in-language test. */
export function toJUnit(outcomes: readonly TestOutcome[]): string {
  const failures = outcomes.filter((o) => !o.passed).length;
  const lines = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="sanction" tests="${outcomes.length}" failures="${failures}">`, `  <testsuite name="sanction policy tests" tests="${outcomes.length}" failures="${failures}" errors="0" skipped="0">`];
  for (const o of outcomes) {
    const file = o.source.replace(/:\d+:\d+$/, "");
    lines.push(`    <testcase classname="${esc(file)}" name="${esc(o.name)}" file="${esc(file)}">`);
    for (const c of o.checks.filter((x) => !x.passed)) lines.push(`      <failure message="${esc(c.message)}">${esc(`${c.source}: ${c.message}`)}</failure>`);
    lines.push(`    </testcase>`);
  }
  lines.push(`  </testsuite>`, `</testsuites>`);
  return lines.join("\n") + "\n";
}
