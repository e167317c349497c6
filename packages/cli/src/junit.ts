import type { TestOutcome } from "@sanction/engine";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
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
