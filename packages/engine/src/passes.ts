import type { Plan } from "@sanction/compiler";
import { HostMatcher, fromBase64 } from "@sanction/matcher";
import { DayUsage, UsageTable, keepExampleHost } from "./aggregate.js";
import { GroupResolver } from "./groups.js";
import { hostOf, type EngineRecord } from "./record.js";
import { VerdictEngine } from "./verdicts.js";
import type { AppTagging } from "./evaluate.js";
import { zeroCounts, type VerdictCounts } from "./report.js";

/** The plan's matchers, loaded once per thread (loading is a view over the bytes). */
export function loadMatchers(plan: Plan): { apps: HostMatcher; domainIndicators: HostMatcher } {
  return { apps: HostMatcher.load(fromBase64(plan.appMatcher)), domainIndicators: HostMatcher.load(fromBase64(plan.domainIndicatorMatcher)) };
}

/** Pass one's result in a form that crosses threads (structured clone) and merges. */
export interface Pass1Data {
  records: number;
  attributed: number;
  withoutHost: number;
  minTime: number;
  maxTime: number;
  /** [app, dayNumber, users, devices, ips, transactions, upload, download, first, last] */
  usage: [number, number, string[], string[], string[], number, number, number, number, number][];
  unknown: [string, string[], string[], number, number, string[]][];
  firstInRun: [number, number][];
}

/** Pass one: attribute every request to an app and aggregate usage per app per UTC day. */
export class Pass1 {
  readonly usage = new UsageTable();
  readonly firstInRun = new Map<number, number>();
  records = 0;
  attributed = 0;
  withoutHost = 0;
  minTime = Infinity;
  maxTime = -Infinity;
  private readonly apps: HostMatcher;

  constructor(plan: Plan, matchers = loadMatchers(plan)) {
    this.apps = matchers.apps;
  }

  add(batch: readonly EngineRecord[]): void {
    for (const r of batch) {
      this.records++;
      if (r.time < this.minTime) this.minTime = r.time;
      if (r.time > this.maxTime) this.maxTime = r.time;
      const host = hostOf(r);
      if (!host) {
        this.withoutHost++;
        continue;
      }
      const app = this.apps.match(host);
      if (app < 0) {
        this.usage.addUnknown(host, r);
        continue;
      }
      this.attributed++;
      this.usage.add(app, r);
      const f = this.firstInRun.get(app);
      if (f === undefined || r.time < f) this.firstInRun.set(app, r.time);
    }
  }

  export(): Pass1Data {
    const usage: Pass1Data["usage"] = [];
    for (const [app, days] of this.usage.byApp) {
      for (const [day, u] of days) usage.push([app, day, [...u.users], [...u.devices], [...u.ips], u.transactions, u.upload, u.download, u.first, u.last]);
    }
    return {
      records: this.records,
      attributed: this.attributed,
      withoutHost: this.withoutHost,
      minTime: this.minTime,
      maxTime: this.maxTime,
      usage,
      unknown: [...this.usage.unknown].map(([d, u]) => [d, [...u.users], [...u.devices], u.transactions, u.bytes, [...u.hosts]]),
      firstInRun: [...this.firstInRun],
    };
  }

  /** Fold another thread's pass-one data into this one (sets union, counters add). */
  merge(d: Pass1Data): void {
    this.records += d.records;
    this.attributed += d.attributed;
    this.withoutHost += d.withoutHost;
    this.minTime = Math.min(this.minTime, d.minTime);
    this.maxTime = Math.max(this.maxTime, d.maxTime);
    for (const [app, day, users, devices, ips, tx, up, down, first, last] of d.usage) {
      let days = this.usage.byApp.get(app);
      if (!days) this.usage.byApp.set(app, (days = new Map()));
      let u = days.get(day);
      if (!u) days.set(day, (u = new DayUsage()));
      users.forEach((x) => u!.users.add(x));
      devices.forEach((x) => u!.devices.add(x));
      ips.forEach((x) => u!.ips.add(x));
      u.transactions += tx;
      u.upload += up;
      u.download += down;
      u.first = Math.min(u.first, first);
      u.last = Math.max(u.last, last);
    }
    for (const [domain, users, devices, tx, bytes, hosts] of d.unknown) {
      let u = this.usage.unknown.get(domain);
      if (!u) this.usage.unknown.set(domain, (u = { users: new Set(), devices: new Set(), transactions: 0, bytes: 0, hosts: new Set() }));
      users.forEach((x) => u!.users.add(x));
      devices.forEach((x) => u!.devices.add(x));
      u.transactions += tx;
      u.bytes += bytes;
      for (const h of hosts) keepExampleHost(u.hosts, h);
    }
    for (const [app, t] of d.firstInRun) {
      const f = this.firstInRun.get(app);
      if (f === undefined || t < f) this.firstInRun.set(app, t);
    }
  }
}

export interface Pass2Data {
  records: number;
  total: VerdictCounts;
  byApp: [number, VerdictCounts][];
  byGroup: [string, VerdictCounts][];
}

/** Pass two: the verdict every request gets under the final tags and manual indicators. */
export class Pass2 {
  readonly total = zeroCounts();
  readonly byApp = new Map<number, VerdictCounts>();
  readonly byGroup = new Map<string, VerdictCounts>();
  records = 0;
  private readonly verdicts: VerdictEngine;
  private readonly groups: GroupResolver;

  constructor(plan: Plan, tags: ReadonlyMap<number, AppTagging>, matchers = loadMatchers(plan)) {
    this.groups = new GroupResolver(plan.groups);
    this.verdicts = new VerdictEngine(plan, matchers.apps, matchers.domainIndicators, tags, this.groups);
  }

  add(batch: readonly EngineRecord[]): void {
    for (const r of batch) {
      this.records++;
      const v = this.verdicts.verdict(r, hostOf(r));
      bump(this.total, v.verdict, v.bypassed);
      if (v.app !== undefined) {
        let c = this.byApp.get(v.app);
        if (!c) this.byApp.set(v.app, (c = zeroCounts()));
        bump(c, v.verdict, v.bypassed);
      }
      const gs = this.groups.groupsOf(r);
      for (const g of gs.length ? gs : NO_GROUP) {
        let c = this.byGroup.get(g);
        if (!c) this.byGroup.set(g, (c = zeroCounts()));
        bump(c, v.verdict, v.bypassed);
      }
    }
  }

  export(): Pass2Data {
    return { records: this.records, total: this.total, byApp: [...this.byApp], byGroup: [...this.byGroup] };
  }

  merge(d: Pass2Data): void {
    this.records += d.records;
    add(this.total, d.total);
    for (const [app, c] of d.byApp) {
      let mine = this.byApp.get(app);
      if (!mine) this.byApp.set(app, (mine = zeroCounts()));
      add(mine, c);
    }
    for (const [g, c] of d.byGroup) {
      let mine = this.byGroup.get(g);
      if (!mine) this.byGroup.set(g, (mine = zeroCounts()));
      add(mine, c);
    }
  }
}

const NO_GROUP = ["(no group)"];

function bump(c: VerdictCounts, v: keyof Omit<VerdictCounts, "bypass">, bypassed: boolean): void {
  c[v]++;
  if (bypassed) c.bypass++;
}

function add(into: VerdictCounts, c: VerdictCounts): void {
  into.allow += c.allow;
  into.audit += c.audit;
  into.warn += c.warn;
  into.block += c.block;
  into.bypass += c.bypass;
}
