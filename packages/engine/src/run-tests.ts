import type { Plan, PlanTest } from "@sanction/compiler";
import { HostMatcher, fromBase64 } from "@sanction/matcher";
import { UsageTable } from "./aggregate.js";
import { evaluatePolicies, raiseAlerts, resolveTags } from "./evaluate.js";
import { GroupResolver } from "./groups.js";
import { DAY_MS, hostOf, type EngineRecord } from "./record.js";
import { emptyState } from "./state.js";
import { VerdictEngine } from "./verdicts.js";

export interface TestOutcome {
  readonly name: string;
  readonly source: string;
  readonly passed: boolean;
  /** One line per expectation: what was expected, what happened. */
  readonly checks: readonly { readonly source: string; readonly passed: boolean; readonly message: string }[];
}

/** Tests without `at` happen on this day, so results never depend on the clock. */
const DEFAULT_DAY = Date.parse("2026-01-05T12:00:00Z");

function expand(test: PlanTest): EngineRecord[] {
  const out: EngineRecord[] = [];
  test.traffic.forEach((t, n) => {
    const start = t.at ? Date.parse(t.at.length === 10 ? t.at + "T12:00:00Z" : t.at) : DEFAULT_DAY;
    const users = t.users ? Array.from({ length: t.users }, (_, i) => `user${i + 1}`) : [t.user ?? `user-of-record-${n + 1}`];
    for (let d = 0; d < t.days; d++) {
      for (const user of users) {
        out.push({
          time: start + d * DAY_MS,
          user,
          ...(t.device ? { device: t.device } : t.users ? { device: `${user}-device` } : {}),
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

/** Run the in-language tests of a plan: each test's traffic alone, from an empty state. */
export function runTests(plan: Plan, only?: (t: PlanTest) => boolean): TestOutcome[] {
  const appMatcher = HostMatcher.load(fromBase64(plan.appMatcher));
  const indMatcher = HostMatcher.load(fromBase64(plan.domainIndicatorMatcher));
  const byName = new Map(plan.apps.map((a, i) => [a.name.toLowerCase(), i]));
  return plan.tests.filter((t) => !only || only(t)).map((test) => {
    const records = expand(test);
    const usage = new UsageTable();
    const first = new Map<number, number>();
    let last = 0;
    for (const r of records) {
      last = Math.max(last, r.time);
      const host = hostOf(r);
      const app = host ? appMatcher.match(host) : -1;
      if (app >= 0) {
        usage.add(app, r);
        first.set(app, Math.min(first.get(app) ?? Infinity, r.time));
      }
    }
    const matches = evaluatePolicies(plan, usage, (a) => first.get(a));
    const { alerts } = raiseAlerts(plan, matches, emptyState());
    const { tags, custom } = resolveTags(plan, matches, last);
    const groups = new GroupResolver(plan.groups);
    const checks = test.expectations.map((e) => {
      switch (e.kind) {
        case "app": {
          const idx = byName.get(e.app.toLowerCase());
          const actual = idx === undefined ? undefined : tags.get(idx)?.tag;
          const customTags = idx === undefined ? new Set<string>() : (custom.get(idx) ?? new Set<string>());
          const want = typeof e.tag === "string" ? e.tag : `tagged ${e.tag.custom}`;
          const holds = typeof e.tag === "string" ? actual === e.tag : customTags.has(e.tag.custom);
          const passed = e.negated ? !holds : holds;
          const got = [actual ?? "untagged", ...[...customTags].map((t) => `tagged ${t}`)].join(", ");
          return { source: e.source, passed, message: `expected app "${e.app}" ${e.negated ? "not " : ""}${want}, got ${got}` };
        }
        case "verdict": {
          const ve = new VerdictEngine(plan, appMatcher, indMatcher, tags, groups);
          const r: EngineRecord = {
            time: last || DEFAULT_DAY,
            user: "expectation",
            ...(e.device ? { device: e.device } : {}),
            ...(e.target.kind === "host" ? { host: e.target.value } : e.target.kind === "url" ? { url: e.target.value } : { dstIp: e.target.value }),
            bytesUp: 0,
            bytesDown: 0,
            ...(e.device ? deviceContext(records, e.device) : {}),
          };
          const v = ve.verdict(r, hostOf(r));
          return { source: e.source, passed: v.verdict === e.verdict, message: `expected ${e.verdict} for ${e.target.value}${e.device ? ` on device "${e.device}"` : ""}, got ${v.verdict} (${v.rule})` };
        }
        case "alert": {
          const hits = alerts.filter((a) => !e.policy || a.policy === e.policy);
          const passed = e.negated ? hits.length === 0 : hits.length > 0;
          const got = alerts.length ? alerts.map((a) => `"${a.policy}" on ${plan.apps[a.app]!.name}`).join(", ") : "no alerts";
          return { source: e.source, passed, message: `expected ${e.negated ? "no alert" : "an alert"}${e.policy ? ` from "${e.policy}"` : ""}, got ${got}` };
        }
      }
    });
    return { name: test.name, source: test.source, passed: checks.every((c) => c.passed), checks };
  });
}

/** A device named in an expectation keeps the tags and IP its traffic records gave it. */
function deviceContext(records: readonly EngineRecord[], device: string): Partial<EngineRecord> {
  const r = records.find((x) => x.device === device);
  if (!r) return {};
  return { ...(r.deviceTags ? { deviceTags: r.deviceTags } : {}), ...(r.srcIp ? { srcIp: r.srcIp } : {}), ...(r.userGroups ? { userGroups: r.userGroups } : {}) };
}
