import type { Plan } from "@sanction/compiler";
import { globToRegExp } from "@sanction/compiler";
import type { EngineRecord } from "./record.js";
import { ipInRange } from "./ip.js";

export type ScopeSpec = Plan["policies"][number]["scope"];
type Rule = Plan["groups"][number]["rules"][number];
export type Selector = Rule["selector"];

/**
 * Which groups a record's device/user belongs to; a group's rules combine with OR. Every rule
 * reads one attribute (device name, device tags, user, user groups, source IP), so membership
 * is computed per attribute value and cached: a log has few distinct users and devices
 * compared to its lines. Groups are bit positions in a number (up to 31 groups; more use the
 * same code with an array of words).
 */
export class GroupResolver {
  private readonly names: readonly string[];
  private readonly bySelector: ReadonlyMap<Selector, { group: number; rule: Rule }[]>;
  private readonly caches = new Map<Selector, Map<string, number[]>>();
  readonly words: number;
  private readonly nameCache = new Map<string | number, readonly string[]>();

  constructor(groups: Plan["groups"]) {
    this.names = groups.map((g) => g.name);
    this.words = Math.max(1, Math.ceil(groups.length / 31));
    const by = new Map<Selector, { group: number; rule: Rule }[]>();
    groups.forEach((g, group) => {
      for (const rule of g.rules) {
        const list = by.get(rule.selector) ?? [];
        list.push({ group, rule });
        by.set(rule.selector, list);
      }
    });
    this.bySelector = by;
    this.scratch = new Array<number>(this.words).fill(0);
  }

  private readonly scratch: number[];

  /** Membership bits of a record (`words` numbers of 31 bits); the array is reused between calls. */
  mask(r: EngineRecord): number[] {
    const out = this.scratch;
    out.fill(0);
    if (this.names.length === 0) return out;
    this.orInto(out, "device.name", r.device);
    this.orInto(out, "user", r.user);
    this.orInto(out, "ip", r.srcIp);
    this.orInto(out, "device.tag", r.deviceTags ?? NONE);
    this.orInto(out, "user.group", r.userGroups ?? NONE);
    return out;
  }

  /** `subject` is one value (device name, user, source IP) or a list (device tags, user groups). */
  private orInto(out: number[], selector: Selector, subject: string | readonly string[] | undefined): void {
    if (!this.bySelector.has(selector)) return;
    const bits = this.bitsFor(selector, subject);
    for (let i = 0; i < out.length; i++) out[i]! |= bits[i]!;
  }

  /** The selectors some group rule reads. */
  get selectors(): ReadonlySet<Selector> {
    return new Set(this.bySelector.keys());
  }

  get groupCount(): number {
    return this.names.length;
  }

  get groupNames(): readonly string[] {
    return this.names;
  }

  /**
   * Membership bits (`words` numbers) from one attribute's value, cached per value. An absent
   * value (undefined) and an empty one ("") are different subjects: `!=` holds for "" only.
   */
  bitsFor(selector: Selector, subject: string | readonly string[] | undefined): readonly number[] {
    if (subject === undefined) {
      let bits = this.absent.get(selector);
      if (!bits) this.absent.set(selector, (bits = this.compute(selector, NONE)));
      return bits;
    }
    const key = typeof subject === "string" ? subject : subject.length === 1 ? subject[0]! : subject.join("\u0000");
    let cache = this.caches.get(selector);
    if (!cache) this.caches.set(selector, (cache = new Map()));
    let bits = cache.get(key);
    if (!bits) {
      bits = this.compute(selector, typeof subject === "string" ? [subject] : subject);
      if (cache.size > 200_000) cache.clear();
      cache.set(key, bits);
    }
    return bits;
  }

  private readonly absent = new Map<Selector, number[]>();

  private compute(selector: Selector, subjects: readonly string[]): number[] {
    const bits = new Array<number>(this.words).fill(0);
    for (const { group, rule } of this.bySelector.get(selector) ?? []) if (ruleHolds(rule, subjects)) bits[(group / 31) | 0]! |= 1 << group % 31;
    return bits;
  }

  groupsOf(r: EngineRecord): readonly string[] {
    if (this.names.length === 0) return NONE;
    const m = this.mask(r);
    const key = this.words === 1 ? m[0]! : m.join(",");
    let names = this.nameCache.get(key);
    if (!names) {
      names = this.names.filter((_, i) => (m[(i / 31) | 0]! & (1 << i % 31)) !== 0);
      this.nameCache.set(key, names);
    }
    return names;
  }

  /** Is the record's device or user inside a policy's or decision's scope? */
  inScope(r: EngineRecord, scope: ScopeSpec): boolean {
    if (scope.include === undefined && scope.exclude.length === 0) return true;
    const mine = this.groupsOf(r);
    if (scope.include !== undefined && !scope.include.some((g) => mine.includes(g))) return false;
    return !scope.exclude.some((g) => mine.includes(g));
  }
}

const NONE: readonly string[] = [];

function ruleHolds(rule: Rule, subjects: readonly string[]): boolean {
  const test = (s: string, v: string): boolean => {
    if (rule.selector === "ip") return ipInRange(s, v);
    if (rule.op === "matches") return globToRegExp(v).test(s);
    return s.toLowerCase() === v.toLowerCase();
  };
  const any = subjects.some((s) => rule.values.some((v) => test(s, v)));
  return rule.op === "!=" ? subjects.length > 0 && !any : any;
}
