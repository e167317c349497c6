import { getDomain } from "tldts";
import { StringIds } from "./intern.js";
import { PairSet } from "./pair-set.js";
import { DAY_MS } from "./record.js";
import type { EngineRecord } from "./record.js";

/** A number of distinct values (users, devices, IPs): what a threshold and the report read. */
export interface Distinct {
  readonly size: number;
}

export type UsageMetric = "users" | "devices" | "ips" | "transactions" | "upload" | "download" | "traffic";

/** Usage of one app on one UTC day (a read-only view over the table). */
export class DayUsage {
  constructor(
    readonly users: Distinct,
    readonly devices: Distinct,
    readonly ips: Distinct,
    readonly transactions: number,
    readonly upload: number,
    readonly download: number,
    readonly first: number,
    readonly last: number,
  ) {}

  /** The value a threshold compares against. */
  metric(m: UsageMetric): number {
    switch (m) {
      case "users":
        return this.users.size;
      case "devices":
        return this.devices.size;
      case "ips":
        return this.ips.size;
      case "transactions":
        return this.transactions;
      case "upload":
        return this.upload;
      case "download":
        return this.download;
      case "traffic":
        return this.upload + this.download;
    }
  }
}

/** Traffic to one registrable domain no app claims. */
export interface UnknownDomain {
  readonly users: Distinct;
  readonly devices: Distinct;
  readonly transactions: number;
  readonly bytes: number;
  /** The alphabetically first MAX_EXAMPLE_HOSTS hosts seen under it. */
  readonly hosts: ReadonlySet<string>;
}

/** One app over the whole window: distinct values over all its days. */
export interface AppUsage {
  readonly users: number;
  readonly devices: number;
  readonly ips: number;
  readonly transactions: number;
  readonly upload: number;
  readonly download: number;
  readonly first: number;
  readonly last: number;
  readonly days: number;
}

/** The table in a form that crosses threads (structured clone, typed arrays) and merges. */
export interface UsageData {
  readonly strings: string[];
  readonly app: Int32Array;
  readonly day: Float64Array;
  /** [transactions, upload, download, first, last] per slot */
  readonly sums: Float64Array;
  /** (slot, string id) pairs */
  readonly users: Int32Array;
  readonly devices: Int32Array;
  readonly ips: Int32Array;
  readonly unknownDomains: string[];
  /** [transactions, bytes] per unknown domain */
  readonly unknownSums: Float64Array;
  readonly unknownHosts: string[][];
  /** (domain, string id) pairs */
  readonly unknownUsers: Int32Array;
  readonly unknownDevices: Int32Array;
}

const NO_ID = -1;
/** Slot keys: day × 2^21 + app, exact in a double for any day a Date can hold. */
const APP_SPAN = 2 ** 21;

/**
 * Per app, per UTC day usage, and traffic to unknown domains. Each (app, day) is a slot in
 * typed arrays; users, devices and IPs are interned to ids once, and distinct (slot, id) pairs
 * are counted in one integer hash set per metric, so adding a record allocates nothing.
 * `byApp` and `unknown` are views built on demand for policy evaluation and the report.
 */
export class UsageTable {
  readonly ids: StringIds;
  private slots = 0;
  private slotApp = new Int32Array(256);
  private slotDay = new Float64Array(256);
  private tx = new Float64Array(256);
  private up = new Float64Array(256);
  private down = new Float64Array(256);
  private first = new Float64Array(256);
  private last = new Float64Array(256);
  private nUsers = new Int32Array(256);
  private nDevices = new Int32Array(256);
  private nIps = new Int32Array(256);
  /** The id last added to a slot per metric: a repeated user skips the hash set. */
  private lastUser = new Int32Array(256);
  private lastDevice = new Int32Array(256);
  private lastIp = new Int32Array(256);
  private readonly users = new PairSet(4096);
  private readonly devices = new PairSet(4096);
  private readonly ips = new PairSet(4096);
  private readonly slotOf = new Map<number, number>();
  /** Per app: the day and slot it was last seen on (logs are mostly in time order). */
  private appDay: Float64Array;
  private appSlot: Int32Array;

  private readonly domainSlot = new Map<string, number>();
  private readonly domains: string[] = [];
  private domainSums = new Float64Array(64);
  private domainUsers = new Int32Array(32);
  private domainDevices = new Int32Array(32);
  private readonly domainHosts: Set<string>[] = [];
  private readonly unknownUsers = new PairSet(1024);
  private readonly unknownDevices = new PairSet(1024);

  private byAppView: Map<number, Map<number, DayUsage>> | undefined;
  private unknownView: Map<string, UnknownDomain> | undefined;

  constructor(apps = 0, ids = new StringIds()) {
    this.ids = ids;
    this.appDay = new Float64Array(Math.max(apps, 16)).fill(NaN);
    this.appSlot = new Int32Array(Math.max(apps, 16));
  }

  /** A record attributed to `app` (strings interned here). */
  add(app: number, r: EngineRecord): void {
    const u = r.user ? this.ids.id(r.user) : NO_ID;
    const d = r.device ? this.ids.id(r.device) : NO_ID;
    const ip = r.srcIp ? this.ids.id(r.srcIp) : NO_ID;
    this.addIds(app, r.time, u, d, ip, r.bytesUp, r.bytesDown);
  }

  /** A record attributed to `app`, its user, device and source IP as ids (-1: none). */
  addIds(app: number, time: number, user: number, device: number, ip: number, upload: number, download: number): void {
    if (app >= this.appDay.length) this.growApps(app);
    const day = Math.floor(time / DAY_MS);
    const s = this.appDay[app] === day ? this.appSlot[app]! : this.slotFor(app, day);
    this.tx[s]++;
    this.up[s] += upload;
    this.down[s] += download;
    if (time < this.first[s]!) this.first[s] = time;
    if (time > this.last[s]!) this.last[s] = time;
    if (user !== NO_ID && this.lastUser[s] !== user) {
      this.lastUser[s] = user;
      if (this.users.add(s, user)) this.nUsers[s]++;
    }
    if (device !== NO_ID && this.lastDevice[s] !== device) {
      this.lastDevice[s] = device;
      if (this.devices.add(s, device)) this.nDevices[s]++;
    }
    if (ip !== NO_ID && this.lastIp[s] !== ip) {
      this.lastIp[s] = ip;
      if (this.ips.add(s, ip)) this.nIps[s]++;
    }
    this.byAppView = undefined;
  }

  /** Traffic to a host no app claims, kept by registrable domain so admins can add apps. */
  addUnknown(host: string, r: EngineRecord): void {
    const u = r.user ? this.ids.id(r.user) : NO_ID;
    const d = r.device ? this.ids.id(r.device) : NO_ID;
    this.addUnknownIds(this.unknownSlotFor(host), u, d, r.bytesUp + r.bytesDown);
  }

  /**
   * The registrable-domain slot of an unknown host, with the host kept as an example. Callers
   * that see a host many times may call this once per host and keep the slot.
   */
  unknownSlotFor(host: string): number {
    const domain = getDomain(host, { allowPrivateDomains: true }) ?? host;
    const slot = this.domainSlotFor(domain);
    keepExampleHost(this.domainHosts[slot]!, host);
    return slot;
  }

  addUnknownIds(slot: number, user: number, device: number, bytes: number): void {
    this.domainSums[slot * 2]++;
    this.domainSums[slot * 2 + 1] += bytes;
    if (user !== NO_ID && this.unknownUsers.add(slot, user)) this.domainUsers[slot]++;
    if (device !== NO_ID && this.unknownDevices.add(slot, device)) this.domainDevices[slot]++;
    this.unknownView = undefined;
  }

  /** app index → UTC day number (days since 1970-01-01) → usage */
  get byApp(): ReadonlyMap<number, ReadonlyMap<number, DayUsage>> {
    if (this.byAppView) return this.byAppView;
    const view = new Map<number, Map<number, DayUsage>>();
    for (let s = 0; s < this.slots; s++) {
      const app = this.slotApp[s]!;
      let days = view.get(app);
      if (!days) view.set(app, (days = new Map()));
      days.set(this.slotDay[s]!, new DayUsage({ size: this.nUsers[s]! }, { size: this.nDevices[s]! }, { size: this.nIps[s]! }, this.tx[s]!, this.up[s]!, this.down[s]!, this.first[s]!, this.last[s]!));
    }
    return (this.byAppView = view);
  }

  /** registrable domain → traffic to it */
  get unknown(): ReadonlyMap<string, UnknownDomain> {
    if (this.unknownView) return this.unknownView;
    const view = new Map<string, UnknownDomain>();
    this.domains.forEach((d, i) =>
      view.set(d, { users: { size: this.domainUsers[i]! }, devices: { size: this.domainDevices[i]! }, transactions: this.domainSums[i * 2]!, bytes: this.domainSums[i * 2 + 1]!, hosts: this.domainHosts[i]! }),
    );
    return (this.unknownView = view);
  }

  /** Per app over all its days: distinct users, devices and IPs over the whole window. */
  appTotals(): Map<number, AppUsage> {
    type Acc = { users: number; devices: number; ips: number; transactions: number; upload: number; download: number; first: number; last: number; days: number };
    const out = new Map<number, Acc>();
    for (let s = 0; s < this.slots; s++) {
      const app = this.slotApp[s]!;
      let a = out.get(app);
      if (!a) out.set(app, (a = { users: 0, devices: 0, ips: 0, transactions: 0, upload: 0, download: 0, first: Infinity, last: -Infinity, days: 0 }));
      a.transactions += this.tx[s]!;
      a.upload += this.up[s]!;
      a.download += this.down[s]!;
      a.first = Math.min(a.first, this.first[s]!);
      a.last = Math.max(a.last, this.last[s]!);
      a.days++;
    }
    const distinct = (pairs: PairSet, field: "users" | "devices" | "ips") => {
      const seen = new PairSet(pairs.size);
      const p = pairs.pairs();
      for (let i = 0; i < p.length; i += 2) {
        const app = this.slotApp[p[i]!]!;
        if (seen.add(app, p[i + 1]!)) out.get(app)![field]++;
      }
    };
    distinct(this.users, "users");
    distinct(this.devices, "devices");
    distinct(this.ips, "ips");
    return out;
  }

  /** Per app, the earliest time it was seen. */
  firstSeen(): Map<number, number> {
    const out = new Map<number, number>();
    for (let s = 0; s < this.slots; s++) {
      const app = this.slotApp[s]!;
      const f = out.get(app);
      if (f === undefined || this.first[s]! < f) out.set(app, this.first[s]!);
    }
    return out;
  }

  export(): UsageData {
    const n = this.slots;
    const sums = new Float64Array(n * 5);
    for (let s = 0; s < n; s++) {
      sums[s * 5] = this.tx[s]!;
      sums[s * 5 + 1] = this.up[s]!;
      sums[s * 5 + 2] = this.down[s]!;
      sums[s * 5 + 3] = this.first[s]!;
      sums[s * 5 + 4] = this.last[s]!;
    }
    return {
      strings: [...this.ids.strings],
      app: this.slotApp.slice(0, n),
      day: this.slotDay.slice(0, n),
      sums,
      users: this.users.pairs(),
      devices: this.devices.pairs(),
      ips: this.ips.pairs(),
      unknownDomains: [...this.domains],
      unknownSums: this.domainSums.slice(0, this.domains.length * 2),
      unknownHosts: this.domainHosts.map((h) => [...h]),
      unknownUsers: this.unknownUsers.pairs(),
      unknownDevices: this.unknownDevices.pairs(),
    };
  }

  /** Fold another table's data into this one: distinct counts are unions, sums add. */
  merge(d: UsageData): void {
    const id = Int32Array.from(d.strings, (s) => this.ids.id(s));
    const slot = new Int32Array(d.app.length);
    for (let i = 0; i < d.app.length; i++) {
      const app = d.app[i]!;
      if (app >= this.appDay.length) this.growApps(app);
      const s = (slot[i] = this.slotFor(app, d.day[i]!));
      this.tx[s] += d.sums[i * 5]!;
      this.up[s] += d.sums[i * 5 + 1]!;
      this.down[s] += d.sums[i * 5 + 2]!;
      this.first[s] = Math.min(this.first[s]!, d.sums[i * 5 + 3]!);
      this.last[s] = Math.max(this.last[s]!, d.sums[i * 5 + 4]!);
    }
    const pairs = (p: Int32Array, set: PairSet, count: Int32Array, slots: Int32Array) => {
      for (let i = 0; i < p.length; i += 2) {
        const s = slots[p[i]!]!;
        if (set.add(s, id[p[i + 1]!]!)) count[s]++;
      }
    };
    pairs(d.users, this.users, this.nUsers, slot);
    pairs(d.devices, this.devices, this.nDevices, slot);
    pairs(d.ips, this.ips, this.nIps, slot);
    const dom = Int32Array.from(d.unknownDomains, (name) => this.domainSlotFor(name));
    for (let i = 0; i < dom.length; i++) {
      const s = dom[i]!;
      this.domainSums[s * 2] += d.unknownSums[i * 2]!;
      this.domainSums[s * 2 + 1] += d.unknownSums[i * 2 + 1]!;
      for (const h of d.unknownHosts[i]!) keepExampleHost(this.domainHosts[s]!, h);
    }
    pairs(d.unknownUsers, this.unknownUsers, this.domainUsers, dom);
    pairs(d.unknownDevices, this.unknownDevices, this.domainDevices, dom);
    this.byAppView = undefined;
    this.unknownView = undefined;
  }

  private slotFor(app: number, day: number): number {
    if (app >= APP_SPAN) throw new Error(`app index ${app} out of range`);
    const key = day * APP_SPAN + app;
    let s = this.slotOf.get(key);
    if (s === undefined) {
      s = this.slots++;
      if (s === this.slotApp.length) this.growSlots();
      this.slotOf.set(key, s);
      this.slotApp[s] = app;
      this.slotDay[s] = day;
      this.first[s] = Infinity;
      this.last[s] = -Infinity;
      this.lastUser[s] = NO_ID;
      this.lastDevice[s] = NO_ID;
      this.lastIp[s] = NO_ID;
    }
    this.appDay[app] = day;
    this.appSlot[app] = s;
    return s;
  }

  private growSlots(): void {
    const n = this.slotApp.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.slotApp = i32(this.slotApp);
    this.slotDay = f64(this.slotDay);
    this.tx = f64(this.tx);
    this.up = f64(this.up);
    this.down = f64(this.down);
    this.first = f64(this.first);
    this.last = f64(this.last);
    this.nUsers = i32(this.nUsers);
    this.nDevices = i32(this.nDevices);
    this.nIps = i32(this.nIps);
    this.lastUser = i32(this.lastUser);
    this.lastDevice = i32(this.lastDevice);
    this.lastIp = i32(this.lastIp);
  }

  private growApps(app: number): void {
    const n = Math.max(app + 1, this.appDay.length * 2);
    const day = new Float64Array(n).fill(NaN);
    day.set(this.appDay);
    const slot = new Int32Array(n);
    slot.set(this.appSlot);
    this.appDay = day;
    this.appSlot = slot;
  }

  private domainSlotFor(domain: string): number {
    let s = this.domainSlot.get(domain);
    if (s === undefined) {
      s = this.domains.length;
      this.domains.push(domain);
      this.domainHosts.push(new Set());
      this.domainSlot.set(domain, s);
      if (s === this.domainUsers.length) {
        const sums = new Float64Array(this.domainSums.length * 2);
        sums.set(this.domainSums);
        this.domainSums = sums;
        const users = new Int32Array(this.domainUsers.length * 2);
        users.set(this.domainUsers);
        this.domainUsers = users;
        const devices = new Int32Array(this.domainDevices.length * 2);
        devices.set(this.domainDevices);
        this.domainDevices = devices;
      }
    }
    return s;
  }
}

/** How many example hosts the report lists per unknown domain. */
export const MAX_EXAMPLE_HOSTS = 20;

/**
 * Add `host` to an unknown domain's example hosts, keeping the alphabetically first
 * `MAX_EXAMPLE_HOSTS`: the same whatever the order of the records or how they were split
 * between worker threads (the first ones seen would depend on both). Adding a host twice
 * changes nothing, so a caller may add each host once.
 */
export function keepExampleHost(hosts: Set<string>, host: string): void {
  if (hosts.has(host)) return;
  if (hosts.size < MAX_EXAMPLE_HOSTS) {
    hosts.add(host);
    return;
  }
  let last = "";
  for (const h of hosts) if (h > last) last = h;
  if (host < last) {
    hosts.delete(last);
    hosts.add(host);
  }
}
