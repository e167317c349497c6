import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TrafficRecord } from "@sanction/semantics";
import { runTests } from "@sanction/engine";
import { arbCatalogApps, arbWorkspace, DST_IPS, HOSTS, runs, URLS } from "./generate.js";
import { AS_OF, prepare, type Prepared } from "./harness.js";
import { runReference, verdictsFor, type RefRecord, type RefResult } from "./reference.js";

/*
 * `sanction test` against the reference: random traffic written as the language's own
 * `traffic { … }` records, the reference interpreter computes every outcome, the outcomes are
 * written back as `expect …` lines (positive and negated forms), and `runTests` must pass all
 * of them. This exercises the test half of the front end (traffic fields, sizes, dates,
 * `users`, `days`, expectations) and run-tests.ts.
 */

const NUM_RUNS = runs(300, 1500);
const DAY = 86_400_000;

/**
 * Test traffic as records, with the conventions of run-tests.ts: a record without `at`
 * happens on 2026-01-05 ("tests without `at` happen on this day, so results never depend on
 * the clock"), a date without a time at noon UTC; `users N` are the synthetic users
 * `user1..userN` (model.ts), each on its own device `<user>-device` unless the record names
 * one; a record naming no user has a user of its own; `days N` repeats it on N consecutive days.
 */
export function expandTraffic(traffic: readonly TrafficRecord[]): RefRecord[] {
  const out: RefRecord[] = [];
  traffic.forEach((t, n) => {
    const start = t.at === undefined ? Date.parse("2026-01-05T12:00:00Z") : t.at.length === 10 ? Date.parse(`${t.at}T12:00:00Z`) : Date.parse(t.at);
    const users = t.users ? Array.from({ length: t.users }, (_, i) => `user${i + 1}`) : [t.user ?? `user-of-record-${n + 1}`];
    for (let d = 0; d < t.days; d++) {
      for (const user of users) {
        const device = t.device ?? (t.users ? `${user}-device` : undefined);
        out.push({
          time: start + d * DAY,
          user,
          ...(device ? { device } : {}),
          ...(t.ip ? { srcIp: t.ip } : {}),
          ...(t.host ? { host: t.host } : {}),
          ...(t.url ? { url: t.url } : {}),
          bytesUp: t.up,
          bytesDown: t.down,
          ...(t.deviceTags ? { deviceTags: t.deviceTags } : {}),
          ...(t.userGroups ? { userGroups: t.userGroups } : {}),
        });
      }
    }
  });
  return out;
}

const arbTrafficText = (): fc.Arbitrary<string> =>
  fc
    .record({
      who: fc.oneof(fc.constantFrom("ann", "bob", "cy").map((u) => `user "${u}"`), fc.integer({ min: 1, max: 4 }).map((n) => `users ${n}`)),
      device: fc.constantFrom(undefined, `device "pc-1"`, `device "MKT-7"`),
      tag: fc.constantFrom(undefined, `tag "Marketing"`, `tag ["Marketing", "Finance"]`),
      group: fc.constantFrom(undefined, `group "Comms"`),
      ip: fc.constantFrom(undefined, "ip 10.1.2.3", "ip 192.168.1.10"),
      target: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...HOSTS).map((h) => `host ${h}`) }, { weight: 1, arbitrary: fc.constantFrom(...URLS).map((u) => `url "${u}/x"`) }),
      up: fc.constantFrom(undefined, "up 700B", "up 1KB", "up 2KiB"),
      down: fc.constantFrom(undefined, "down 300B", "down 1500B"),
      at: fc.constantFrom(undefined, "at 2026-03-01", "at 2026-03-02T23:30:00Z", "at 2026-03-03T00:15:00+01:00", "at 2026-03-04"),
      days: fc.constantFrom(undefined, undefined, "days 2", "days 3"),
    })
    .map((f) => `traffic { ${[f.who, f.device, f.tag, f.group, f.ip, f.target, f.up, f.down, f.at, f.days].filter(Boolean).join(" ")} }`);

/** A deterministic choice from a seed, so the expectations are part of the replayable case. */
function chooser(seed: number): <T>(xs: readonly T[]) => T {
  let s = seed >>> 0;
  return (xs) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return xs[s % xs.length]!;
  };
}

const TAGS = ["sanctioned", "unsanctioned", "monitored"] as const;

/** `expect …` lines for everything the reference says the test's traffic leads to. */
function expectations(p: Prepared, ref: RefResult, records: readonly RefRecord[], seed: number): string[] {
  const pick = chooser(seed);
  const lines: string[] = [];
  for (const app of ref.apps) {
    const tag = ref.tags.get(app.id)?.tag;
    const other = pick(TAGS.filter((t) => t !== tag));
    lines.push(tag && pick([true, false]) ? `expect app ${JSON.stringify(app.name)} ${tag}` : `expect app ${JSON.stringify(app.name)} not ${other}`);
    const custom = pick(["review", "hot", "observed", "new"]);
    lines.push(`expect app ${JSON.stringify(app.name)} ${ref.custom.get(app.id)?.has(custom) ? "" : "not "}tagged ${custom}`);
  }
  for (const policy of p.model.policies) lines.push(ref.alerts.some((a) => a.policy === policy.name) ? `expect alert ${JSON.stringify(policy.name)}` : `expect no alert ${JSON.stringify(policy.name)}`);
  lines.push(ref.alerts.length ? "expect alert" : "expect no alert");
  // verdicts: a fresh request by a user of its own, at the end of the test's traffic, from a
  // device with the tags and address its traffic records gave it
  const last = records.length ? Math.max(...records.map((r) => r.time)) : Date.parse("2026-01-05T12:00:00Z");
  for (let i = 0; i < 4; i++) {
    const target = pick([...HOSTS.map((h) => ({ kind: "host", value: h })), ...URLS.map((u) => ({ kind: "url", value: u + "/y" })), ...DST_IPS.map((ip) => ({ kind: "ip", value: ip }))]);
    const device = pick([undefined, "pc-1", "MKT-7", "user1-device"]);
    const context = device ? records.find((r) => r.device === device) : undefined;
    const request: RefRecord = {
      time: last,
      user: "expectation",
      ...(device ? { device } : {}),
      ...(target.kind === "host" ? { host: target.value } : target.kind === "url" ? { url: target.value } : { dstIp: target.value }),
      bytesUp: 0,
      bytesDown: 0,
      ...(context?.deviceTags ? { deviceTags: context.deviceTags } : {}),
      ...(context?.srcIp ? { srcIp: context.srcIp } : {}),
      ...(context?.userGroups ? { userGroups: context.userGroups } : {}),
    };
    const verdict = verdictsFor(p.model, ref.apps, ref.layers, [request])[0]!.verdict;
    const subject = target.kind === "host" ? target.value : target.kind === "ip" ? target.value : JSON.stringify(target.value);
    lines.push(`expect verdict ${subject}${device ? ` for device "${device}"` : ""} ${verdict}`);
  }
  return lines;
}

const arbCase = arbCatalogApps().chain((apps) =>
  fc.record({
    apps: fc.constant(apps),
    workspace: arbWorkspace(apps, { observer: false }),
    traffic: fc.array(arbTrafficText(), { minLength: 1, maxLength: 8 }),
    seed: fc.integer(),
  }),
);

describe("runTests agrees with the reference", () => {
  it(`on random test traffic, every outcome the reference predicts passes (${NUM_RUNS} runs)`, () => {
    let checked = 0;
    let cases = 0;
    let skipped = 0;
    const seen = { alerts: 0, tags: 0, block: 0, warn: 0, audit: 0 };
    fc.assert(
      fc.property(arbCase, ({ apps, workspace, traffic, seed }) => {
        cases++;
        const withTraffic = (expects: readonly string[]) => `${workspace.text}\ntest "generated" {\n  ${[...traffic, ...expects].join("\n  ")}\n}\n`;
        // first without the expectations, to read the checked traffic records from the model
        const first = prepare(apps, withTraffic(["expect alert"]));
        if ("errors" in first) {
          skipped++;
          return;
        }
        const records = expandTraffic(first.model.tests[0]!.traffic);
        const ref = runReference({ model: first.model, apps: first.catalog.apps(), asOf: AS_OF, records });
        const text = withTraffic(expectations(first, ref, records, seed));
        const p = prepare(apps, text);
        if ("errors" in p) throw new Error(`generated expectations do not check: ${p.errors.map((e) => `${e.code} ${e.message}`).join("; ")}\n${text}`);
        const [outcome] = runTests(p.plan);
        seen.alerts += ref.alerts.length;
        seen.tags += ref.tags.size;
        for (const line of text.split("\n")) for (const v of ["block", "warn", "audit"] as const) if (line.startsWith("  expect verdict") && line.endsWith(` ${v}`)) seen[v]++;
        const failed = outcome!.checks.filter((c) => !c.passed).map((c) => c.message);
        checked += outcome!.checks.length;
        expect({ failed, text: failed.length ? text : "" }).toEqual({ failed: [], text: "" });
      }),
      { numRuns: NUM_RUNS },
    );
    expect(checked).toBeGreaterThan(cases * 5);
    expect(skipped / cases).toBeLessThan(0.1);
    if (process.env["ENGINE_DIFF_STATS"]) console.log(JSON.stringify({ cases, skipped, checked, ...seen }));
  });
});
