import type { Plan } from "@sanction/compiler";
import { HostMatcher, fromBase64 } from "@sanction/matcher";
import { UsageTable, type UsageData, type UsageHead, type UsageMerge } from "./aggregate.js";
import { ownString } from "./intern.js";
import type { SpillFactory } from "./spool.js";
import { GroupResolver } from "./groups.js";
import { hostOf, type EngineRecord } from "./record.js";
import { VerdictEngine } from "./verdicts.js";
import type { AppTagging } from "./evaluate.js";
import { zeroCounts, type VerdictCounts } from "./report.js";
import { addCounts, type VerdictData, type VerdictTotals } from "./tally.js";

/** The plan's matchers, loaded once per thread (loading is a view over the bytes). */
export function loadMatchers(plan: Plan): { apps: HostMatcher; domainIndicators: HostMatcher } {
  return { apps: HostMatcher.load(fromBase64(plan.appMatcher)), domainIndicators: HostMatcher.load(fromBase64(plan.domainIndicatorMatcher)) };
}

/** Distinct unknown hosts remembered; past this the cache starts again (the answers do not change). */
const HOST_CACHE = 200_000;

/**
 * Pass one's counters and its usage table's head: what a thread sends first; the usage
 * table's day pairs follow in parts (UsageTable.exportParts, mergePart, mergeEnd).
 */
export interface Pass1Head {
  records: number;
  attributed: number;
  withoutHost: number;
  minTime: number;
  maxTime: number;
  usage: UsageHead;
}

/** Pass one's result in a form that crosses threads (structured clone, typed arrays) and merges, all at once. */
export interface Pass1Data extends Pass1Head {
  usage: UsageData;
}

/**
 * Attribution and aggregation: every request to an app (longest domain match) and its usage
 * per app per UTC day, or to the unknown domain it belongs to. Hosts are looked up once per
 * distinct host; users, devices and source IPs are interned to ids once per record.
 */
export class Pass1 {
  readonly usage: UsageTable;
  records = 0;
  attributed = 0;
  withoutHost = 0;
  minTime = Infinity;
  maxTime = -Infinity;
  /** After one(): the record's host, and its user, device and source IP ids (-1: absent or empty). */
  host: string | undefined;
  user = -1;
  device = -1;
  ip = -1;
  private readonly apps: HostMatcher;
  private lastUser = "";
  private lastUserId = -1;
  private lastDevice = "";
  private lastDeviceId = -1;
  private lastIp = "";
  private lastIpId = -1;
  /** Unknown host → its registrable domain's slot in the usage table. */
  private readonly unknownHosts = new Map<string, number>();

  /** `spill`: where days no longer being written go (see UsageTable); without it they stay in memory, compacted. */
  constructor(plan: Plan, matchers = loadMatchers(plan), spill?: SpillFactory) {
    this.apps = matchers.apps;
    this.usage = new UsageTable(plan.apps.length, undefined, spill);
  }

  add(batch: readonly EngineRecord[]): void {
    for (let i = 0; i < batch.length; i++) this.one(batch[i]!);
  }

  /** One record; its app index, or -1 (unknown host, or none). */
  one(r: EngineRecord): number {
    this.records++;
    const time = r.time;
    if (time < this.minTime) this.minTime = time;
    if (time > this.maxTime) this.maxTime = time;
    // consecutive requests often come from the same user and address: compare before hashing
    const ids = this.usage.ids;
    let user = -1;
    if (r.user) {
      if (r.user === this.lastUser) user = this.lastUserId;
      else {
        user = this.lastUserId = ids.id(r.user);
        this.lastUser = r.user;
      }
    }
    let device = -1;
    if (r.device) {
      if (r.device === r.user) device = user;
      else if (r.device === this.lastDevice) device = this.lastDeviceId;
      else {
        device = this.lastDeviceId = ids.id(r.device);
        this.lastDevice = r.device;
      }
    }
    let ip = -1;
    if (r.srcIp) {
      if (r.srcIp === r.device) ip = device;
      else if (r.srcIp === r.user) ip = user;
      else if (r.srcIp === this.lastIp) ip = this.lastIpId;
      else {
        ip = this.lastIpId = ids.id(r.srcIp);
        this.lastIp = r.srcIp;
      }
    }
    this.user = user;
    this.device = device;
    this.ip = ip;
    const host = r.host || hostOf(r);
    this.host = host;
    if (!host) {
      this.withoutHost++;
      return -1;
    }
    // The matcher answers without allocating and beats a map lookup of a fresh string; hosts
    // no app claims are cached with their registrable domain (getDomain is slow).
    const app = this.apps.match(host);
    if (app < 0) {
      let slot = this.unknownHosts.get(host);
      if (slot === undefined) slot = this.unknownSlot(host);
      this.usage.addUnknownIds(slot, user, device, r.bytesUp + r.bytesDown);
      return -1;
    }
    this.attributed++;
    this.usage.addIds(app, time, user, device, ip, r.bytesUp, r.bytesDown);
    return app;
  }

  /** Per app, the earliest time it was seen in this run. */
  get firstInRun(): ReadonlyMap<number, number> {
    return this.usage.firstSeen();
  }

  export(): Pass1Data {
    return { ...this.counters(), usage: this.usage.export() };
  }

  /** The counters and the usage table's head; the day pairs follow from `usage.exportParts()`. */
  exportHead(): Pass1Head {
    return { ...this.counters(), usage: this.usage.exportHead() };
  }

  /** Fold another thread's pass-one data into this one (distinct counts union, counters add). */
  merge(d: Pass1Data): void {
    this.addCounters(d);
    this.usage.merge(d.usage);
  }

  /** The first step of a merge in parts: then `usage.mergePart` for each part, and `usage.mergeEnd`. */
  mergeHead(d: Pass1Head): UsageMerge {
    this.addCounters(d);
    return this.usage.mergeHead(d.usage);
  }

  private counters(): Omit<Pass1Head, "usage"> {
    return { records: this.records, attributed: this.attributed, withoutHost: this.withoutHost, minTime: this.minTime, maxTime: this.maxTime };
  }

  private addCounters(d: Omit<Pass1Head, "usage">): void {
    this.records += d.records;
    this.attributed += d.attributed;
    this.withoutHost += d.withoutHost;
    this.minTime = Math.min(this.minTime, d.minTime);
    this.maxTime = Math.max(this.maxTime, d.maxTime);
  }

  private unknownSlot(host: string): number {
    const slot = this.usage.unknownSlotFor(host);
    if (this.unknownHosts.size >= HOST_CACHE) this.unknownHosts.clear();
    this.unknownHosts.set(ownString(host), slot);
    return slot;
  }
}

/** What Pass2.export gives: the same shape as the single pass's verdict data. */
export type Pass2Data = VerdictData;

/**
 * Verdicts record by record through VerdictEngine, in input order: the straightforward
 * counterpart of SinglePass's verdict side, which tests compare it with.
 */
export class Pass2 implements VerdictTotals {
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

  export(): VerdictData {
    return { records: this.records, total: this.total, byApp: [...this.byApp], byGroup: [...this.byGroup] };
  }

  merge(d: VerdictData): void {
    this.records += d.records;
    addCounts(this.total, d.total);
    for (const [app, c] of d.byApp) {
      let mine = this.byApp.get(app);
      if (!mine) this.byApp.set(app, (mine = zeroCounts()));
      addCounts(mine, c);
    }
    for (const [g, c] of d.byGroup) {
      let mine = this.byGroup.get(g);
      if (!mine) this.byGroup.set(g, (mine = zeroCounts()));
      addCounts(mine, c);
    }
  }
}

const NO_GROUP = ["(no group)"];

function bump(c: VerdictCounts, v: keyof Omit<VerdictCounts, "bypass">, bypassed: boolean): void {
  c[v]++;
  if (bypassed) c.bypass++;
}
