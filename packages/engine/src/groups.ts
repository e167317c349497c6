import type { Plan } from "@sanction/compiler";
import { globToRegExp } from "@sanction/compiler";
import type { EngineRecord } from "./record.js";
import { ipInRange } from "./ip.js";

type ScopeSpec = Plan["policies"][number]["scope"];

/** Which groups a record's device/user belongs to; a group's rules combine with OR. */
export class GroupResolver {
  private readonly cache = new Map<string, readonly string[]>();

  constructor(private readonly groups: Plan["groups"]) {}

  groupsOf(r: EngineRecord): readonly string[] {
    if (this.groups.length === 0) return [];
    const key = `${r.device ?? ""}\u0000${r.user ?? ""}\u0000${r.srcIp ?? ""}\u0000${(r.deviceTags ?? []).join(",")}\u0000${(r.userGroups ?? []).join(",")}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.groups.filter((g) => g.rules.some((rule) => ruleHolds(rule, r))).map((g) => g.name);
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(key, hit);
    }
    return hit;
  }

  /** Is the record's device or user inside a policy's or decision's scope? */
  inScope(r: EngineRecord, scope: ScopeSpec): boolean {
    if (scope.include === undefined && scope.exclude.length === 0) return true;
    const mine = this.groupsOf(r);
    if (scope.include !== undefined && !scope.include.some((g) => mine.includes(g))) return false;
    return !scope.exclude.some((g) => mine.includes(g));
  }
}

function ruleHolds(rule: Plan["groups"][number]["rules"][number], r: EngineRecord): boolean {
  const subjects: readonly string[] =
    rule.selector === "device.name" ? (r.device ? [r.device] : [])
    : rule.selector === "device.tag" ? (r.deviceTags ?? [])
    : rule.selector === "user" ? (r.user ? [r.user] : [])
    : rule.selector === "user.group" ? (r.userGroups ?? [])
    : r.srcIp ? [r.srcIp] : [];
  const test = (s: string, v: string): boolean => {
    if (rule.selector === "ip") return ipInRange(s, v);
    if (rule.op === "matches") return globToRegExp(v).test(s);
    return s.toLowerCase() === v.toLowerCase();
  };
  const any = subjects.some((s) => rule.values.some((v) => test(s, v)));
  return rule.op === "!=" ? subjects.length > 0 && !any : any;
}
