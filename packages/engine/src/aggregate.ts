import { getDomain } from "tldts";
import { StringIds, ownString } from "./intern.js";
import { PairFlags } from "./pair-set.js";
import type { SpillFactory, SpillFile } from "./spool.js";
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

/**
 * Per app, its days in ascending order with their usage: entries [start[app], start[app + 1]),
 * `values` holding [users, devices, IPs, transactions, upload, download] per entry. What policy
 * evaluation reads, in flat arrays instead of a Map of DayUsage objects per app.
 */
export interface DailyUsage {
  readonly start: Int32Array;
  readonly day: Float64Array;
  readonly values: Float64Array;
}

/**
 * The table in a form that crosses threads (structured clone, typed arrays) and merges: a
 * head, and each day's pairs, in the order of `seenDays`. `UsageData` holds them all at once;
 * a worker thread sends the head and then the days a piece at a time (`exportHead`,
 * `exportParts`), so neither it nor the thread that merges holds every day's pairs at once.
 */
export interface UsageHead {
  readonly strings: string[];
  readonly app: Int32Array;
  readonly day: Float64Array;
  /** [transactions, upload, download, first, last] per slot */
  readonly sums: Float64Array;
  /** Distinct [users, devices, IPs] per slot */
  readonly distinct: Int32Array;
  /** [day, pairs] per day, in the order their pairs come in */
  readonly seenDays: Float64Array;
  readonly unknownDomains: string[];
  /** [transactions, bytes] per unknown domain */
  readonly unknownSums: Float64Array;
  readonly unknownHosts: string[][];
  /** [domain, string id, flags (1 user, 2 device)] per distinct pair */
  readonly unknownSeen: Int32Array;
}

/** The whole table at once. */
export interface UsageData extends UsageHead {
  /** [app, string id, flags (1 user, 2 device, 4 source IP)] per distinct pair of a day, the days one after another (`seenDays`) */
  readonly seen: Int32Array;
}

/** Some of one day's pairs: [app, string id, flags] triples. The parts of a day come one after another. */
export interface UsagePart {
  readonly day: number;
  readonly triples: Int32Array;
}

/** What a merge in progress knows (UsageTable.mergeHead … mergePart … mergeEnd). */
export interface UsageMerge {
  /** The other table's string ids → this table's. */
  readonly id: Int32Array;
  /** The days this table had pairs for before the merge. */
  readonly mine: ReadonlySet<number>;
}

/** Pairs in one part of a day sent between threads: 6 MiB of triples. */
export const PART_PAIRS = 1 << 19;

const NO_ID = -1;
/** Flag bits of a string id seen in a slot: as a user, a device, a source IP. */
const U = 1;
const D = 2;
const I = 4;
/** Day tables kept as hash tables at once; more are frozen (logs run mostly in time order). */
const LIVE_DAYS = 2;
/**
 * How full a day table may get before it doubles. Its pairs are mostly marked again (the same
 * user on the same app), which stays at about one cache line at this load, and a busy day's
 * table is the biggest thing a thread holds: at 0.6, 3.2 million pairs took 72 MiB, at 0.8
 * 36 MiB, with the same speed on a 1.5 GiB Squid log.
 */
const DAY_TABLE_LOAD = 0.8;
/** A day table this small is never frozen: it costs little, and thawing costs time. */
const FREEZE_PAIRS = 1 << 14;
/**
 * A day the log has left this long ago (by record time) is frozen even within LIVE_DAYS: a log in
 * time order does not come back to it, and its table (tens of megabytes on a busy day) would
 * otherwise stay in memory for the whole next day. A late record only costs a thaw.
 */
const IDLE_DAY_GRACE_MS = 3600 * 1000;
/** Slot keys: day × 2^21 + app, exact in a double for any day a Date can hold. */
const APP_SPAN = 2 ** 21;
/** Pairs grouped at once for the window-wide distinct counts (4 bytes each). */
const WINDOW_PAIRS = 1 << 23;
/** A spilled day is read back this many pairs at a time for the window-wide counts (12 bytes each). */
const READ_BACK_PAIRS = 1 << 19;
/** Past this many pairs in the days still in hash tables, they are spilled before the window-wide counts. */
const SPILL_BEFORE_COUNT = 1 << 20;

/** Bounds on the memory the usage table takes, in pairs (defaults: WINDOW_PAIRS, READ_BACK_PAIRS, SPILL_BEFORE_COUNT, FREEZE_PAIRS, PART_PAIRS); tests make them small. */
export interface UsageLimits {
  /** Pairs grouped at once. */
  readonly windowPairs?: number;
  /** Pairs of a spilled day read back at once. */
  readonly readBackPairs?: number;
  /** Pairs in the days still in hash tables past which they are spilled first. */
  readonly spillBeforeCount?: number;
  /** Pairs below which a day table is never frozen. */
  readonly freezePairs?: number;
  /** Pairs a day is written to or read from the spill file at a time when frozen or thawed. */
  readonly partPairs?: number;
}

/**
 * Per app, per UTC day usage, and traffic to unknown domains. Each (app, day) is a slot in
 * typed arrays. Users, devices and IPs are interned to ids once; which ids an app saw on a day
 * is kept as flags on (app, id) pairs in one integer hash table per day (logs run mostly in
 * time order, so the table being written stays small and warm in the cache); distinct values
 * over the whole window are counted from those tables at the end. Adding a record allocates
 * nothing. `byApp` and `unknown` are views built on demand for policy
 * evaluation and the report.
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
  /** Distinct [users, devices, IPs] per slot. */
  private distinct = new Int32Array(256 * 3);
  /** The [user, device, IP] id last counted per slot: a repeated one skips the hash table. */
  private lastIds = new Int32Array(256 * 3);
  private readonly slotOf = new Map<number, number>();
  /** Per app: the day and slot it was last seen on. */
  private appDay: Float64Array;
  private appSlot: Int32Array;
  /** Per app: its (day, id) pairs in all day tables, which the window-wide counts group by app. */
  private appPairs: Float64Array;
  /**
   * Per day: flags of (app, id) pairs. The days being written are hash tables (`live`, least
   * recently used first); the others are frozen into compact [app, id, flags] triples, kept in
   * the spill file when there is one, so memory does not grow with the number of days.
   */
  private readonly live = new Map<number, PairFlags>();
  private readonly frozen = new Map<number, { data?: Int32Array; at?: number; length: number }>();
  private dayNow = NaN;
  private dayTable: PairFlags | undefined;
  /** See scratchPart. */
  private scratch: Int32Array | undefined;
  /** Record time past which a live day other than the current one is left behind (see IDLE_DAY_GRACE_MS). */
  private idleAfter = Infinity;
  private file: SpillFile | undefined;
  private fileAt = 0;

  private readonly domainSlot = new Map<string, number>();
  private readonly domains: string[] = [];
  private domainSums = new Float64Array(64);
  /** Distinct [users, devices] per unknown domain. */
  private domainDistinct = new Int32Array(64);
  private readonly domainHosts: Set<string>[] = [];
  private readonly domainSeen = new PairFlags(1 << 10);

  private byAppView: Map<number, Map<number, DayUsage>> | undefined;
  private dailyView: DailyUsage | undefined;
  private unknownView: Map<string, UnknownDomain> | undefined;

  private readonly windowPairs: number;
  private readonly readBackPairs: number;
  private readonly spillBeforeCount: number;
  private readonly freezePairs: number;
  private readonly partPairs: number;
  /** Day tables kept live at once: LIVE_DAYS, more during a merge that fits (see merge). */
  private liveDays = LIVE_DAYS;

  constructor(
    apps = 0,
    ids = new StringIds(),
    private readonly spill?: SpillFactory,
    /** The bounds on memory while counting over the window (tests make them small). */
    limits: UsageLimits = {},
  ) {
    this.windowPairs = limits.windowPairs ?? WINDOW_PAIRS;
    this.readBackPairs = limits.readBackPairs ?? READ_BACK_PAIRS;
    this.spillBeforeCount = limits.spillBeforeCount ?? SPILL_BEFORE_COUNT;
    this.freezePairs = limits.freezePairs ?? FREEZE_PAIRS;
    this.partPairs = limits.partPairs ?? PART_PAIRS;
    this.ids = ids;
    this.appDay = new Float64Array(Math.max(apps, 16)).fill(NaN);
    this.appSlot = new Int32Array(Math.max(apps, 16));
    this.appPairs = new Float64Array(Math.max(apps, 16));
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
    if (time > this.idleAfter) this.freezeIdleDays(time);
    const s = this.appDay[app] === day ? this.appSlot[app]! : this.slotFor(app, day);
    this.byAppView = undefined;
    this.dailyView = undefined;
    this.tx[s]++;
    this.up[s] += upload;
    this.down[s] += download;
    if (time < this.first[s]!) this.first[s] = time;
    if (time > this.last[s]!) this.last[s] = time;
    const last = this.lastIds;
    const b = s * 3;
    let ub = 0;
    let db = 0;
    let ib = 0;
    if (user !== NO_ID && last[b] !== user) {
      last[b] = user;
      ub = U;
    }
    if (device !== NO_ID && last[b + 1] !== device) {
      last[b + 1] = device;
      db = D;
    }
    if (ip !== NO_ID && last[b + 2] !== ip) {
      last[b + 2] = ip;
      ib = I;
    }
    if ((ub | db | ib) === 0) return;
    // one probe per distinct id: a device name that is also the source IP is marked once
    if (ub !== 0) {
      let bits = ub;
      if (device === user) (bits |= db), (db = 0);
      if (ip === user) (bits |= ib), (ib = 0);
      this.see(app, day, s, user, bits);
    }
    if (db !== 0) {
      let bits = db;
      if (ip === device) (bits |= ib), (ib = 0);
      this.see(app, day, s, device, bits);
    }
    if (ib !== 0) this.see(app, day, s, ip, ib);
  }

  /** Mark id as seen (bits) for app on day (slot s); count what is new for the day. */
  private see(app: number, day: number, s: number, id: number, bits: number): void {
    let t = this.dayTable;
    if (day !== this.dayNow || t === undefined) t = this.switchDay(day);
    const pairs = t.size;
    const added = t.mark(app, id, bits);
    if (added === 0) return;
    if (t.size !== pairs) this.appPairs[app]++;
    const n = this.distinct;
    if (added & U) n[s * 3]++;
    if (added & D) n[s * 3 + 1]++;
    if (added & I) n[s * 3 + 2]++;
  }

  /**
   * The table of `day`, live again if it was frozen; past `liveDays` live tables, the least
   * recently used big one is frozen. `coming`: pairs about to be marked in it (a merge), so
   * that it grows once.
   */
  private switchDay(day: number, coming = 0): PairFlags {
    let t = this.live.get(day);
    if (t !== undefined) {
      this.live.delete(day);
      if (coming > 0) t.reserve(t.size + coming);
    } else {
      const f = this.frozen.get(day);
      this.frozen.delete(day);
      // a log in time order: the next day is about as busy as this one, so its table starts
      // that size instead of doubling its way there
      const size = day === this.dayNow + 1 && this.dayTable !== undefined ? Math.min(this.dayTable.size, 1 << 20) : 0;
      t = f === undefined ? new PairFlags(Math.max(1 << 12, size, coming), DAY_TABLE_LOAD) : this.thaw(f, coming);
    }
    this.live.set(day, t);
    if (this.live.size > this.liveDays) {
      for (const [d, old] of this.live) {
        if (d === day || old.size < this.freezePairs) continue;
        this.freeze(d, old);
        break;
      }
    }
    this.dayNow = day;
    this.dayTable = t;
    this.idleAfter = this.nextIdleTime();
    return t;
  }

  /** When the earliest big live day but the current one is left behind: IDLE_DAY_GRACE_MS past its end. */
  private nextIdleTime(): number {
    let at = Infinity;
    for (const [d, t] of this.live) if (d !== this.dayNow && t.size >= this.freezePairs) at = Math.min(at, (d + 1) * DAY_MS + IDLE_DAY_GRACE_MS);
    return at;
  }

  /** Freeze the big live days (but the current one) that records at `time` have left behind. */
  private freezeIdleDays(time: number): void {
    for (const [d, t] of [...this.live]) if (d !== this.dayNow && t.size >= this.freezePairs && (d + 1) * DAY_MS + IDLE_DAY_GRACE_MS < time) this.freeze(d, t);
    this.idleAfter = this.nextIdleTime();
  }

  private freeze(day: number, t: PairFlags): void {
    this.live.delete(day);
    if (this.spill === undefined) this.keepFrozen(day, t.triples());
    // to the spill file a part at a time: the triples of a busy day at once are tens of megabytes
    else for (const part of t.pieces(this.partPairs, (words) => this.scratchPart().subarray(0, words))) this.keepFrozen(day, part);
  }

  /**
   * One part's worth of triples, reused by every freeze and thaw: a new array each time would
   * leave megabytes of garbage per day, and the allocator keeps much of what it frees.
   */
  private scratchPart(): Int32Array {
    return (this.scratch ??= new Int32Array(this.partPairs * 3));
  }

  /** A frozen day's triples in a hash table again, with room for `coming` more pairs (a spilled day read a part at a time). */
  private thaw(f: { data?: Int32Array; at?: number; length: number }, coming: number): PairFlags {
    const t = new PairFlags(f.length / 3 + coming, DAY_TABLE_LOAD);
    const part = f.data === undefined ? this.scratchPart() : undefined;
    for (let at = 0; at < f.length; at += part?.length ?? f.length) markTriples(t, f.data ?? this.readFrozenPart(f, at, part!));
    return t;
  }

  /**
   * A day's [app, id, flags] triples kept frozen: in the spill file when there is one. A day
   * already frozen gets them added after its own (a merge brings a day in parts).
   */
  private keepFrozen(day: number, data: Int32Array): void {
    const before = this.frozen.get(day);
    if (before !== undefined && !(before.at !== undefined && before.at + before.length * 4 === this.fileAt)) {
      // not at the end of the spill file: the day is written again, whole
      const whole = new Int32Array(before.length + data.length);
      whole.set(this.readFrozen(before));
      whole.set(data, before.length);
      this.frozen.delete(day);
      this.keepFrozen(day, whole);
      return;
    }
    if (this.spill === undefined) {
      this.frozen.set(day, { data, length: data.length });
      return;
    }
    this.file ??= this.spill();
    this.file.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (before !== undefined) before.length += data.length;
    else this.frozen.set(day, { at: this.fileAt, length: data.length });
    this.fileAt += data.byteLength;
  }

  /** With a spill file and more than spillBeforeCount pairs in them, every day still in a hash table is frozen into it. */
  private spillLiveDays(): void {
    if (this.spill === undefined) return;
    let pairs = 0;
    for (const t of this.live.values()) pairs += t.size;
    if (pairs <= this.spillBeforeCount) return;
    for (const [day, t] of [...this.live]) this.freeze(day, t);
    this.dayTable = undefined;
    this.dayNow = NaN;
    this.idleAfter = Infinity;
  }

  /** Words [at, at + into.length) of a spilled day's triples (fewer at its end), read into `into`. */
  private readFrozenPart(f: { at?: number; length: number }, at: number, into: Int32Array): Int32Array {
    const part = into.subarray(0, Math.min(into.length, f.length - at));
    this.file!.read(f.at! + at * 4, new Uint8Array(part.buffer, part.byteOffset, part.length * 4));
    return part;
  }

  /** A frozen day's triples: kept in memory, or read from the spill file. */
  private readFrozen(f: { data?: Int32Array; at?: number; length: number }): Int32Array {
    if (f.data) return f.data;
    return this.readFrozenPart(f, 0, new Int32Array(f.length));
  }

  /** Release the spill file (frozen days are gone with it). */
  close(): void {
    const f = this.file;
    this.file = undefined;
    f?.close();
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
    if (user !== NO_ID) this.seeUnknown(slot, user, device === user ? U | D : U);
    if (device !== NO_ID && device !== user) this.seeUnknown(slot, device, D);
    this.unknownView = undefined;
  }

  private seeUnknown(slot: number, id: number, bits: number): void {
    const added = this.domainSeen.mark(slot, id, bits);
    if (added & U) this.domainDistinct[slot * 2]++;
    if (added & D) this.domainDistinct[slot * 2 + 1]++;
  }

  /** app index → UTC day number (days since 1970-01-01) → usage */
  get byApp(): ReadonlyMap<number, ReadonlyMap<number, DayUsage>> {
    if (this.byAppView) return this.byAppView;
    const view = new Map<number, Map<number, DayUsage>>();
    const n = this.distinct;
    for (let s = 0; s < this.slots; s++) {
      const app = this.slotApp[s]!;
      let days = view.get(app);
      if (!days) view.set(app, (days = new Map()));
      days.set(this.slotDay[s]!, new DayUsage({ size: n[s * 3]! }, { size: n[s * 3 + 1]! }, { size: n[s * 3 + 2]! }, this.tx[s]!, this.up[s]!, this.down[s]!, this.first[s]!, this.last[s]!));
    }
    return (this.byAppView = view);
  }

  /** Per app, its days in order with their usage (see DailyUsage); built once, until the table changes. */
  daily(): DailyUsage {
    if (this.dailyView) return this.dailyView;
    const apps = this.appDay.length;
    const n = this.slots;
    const start = new Int32Array(apps + 1);
    for (let s = 0; s < n; s++) start[this.slotApp[s]! + 1]++;
    for (let a = 0; a < apps; a++) start[a + 1] += start[a]!;
    const next = start.slice(0, apps);
    const order = new Int32Array(n);
    for (let s = 0; s < n; s++) order[next[this.slotApp[s]!]!++] = s;
    const day = new Float64Array(n);
    for (let e = 0; e < n; e++) day[e] = this.slotDay[order[e]!]!;
    // an app's slots are made in the order its days come, mostly ascending: an insertion sort per app
    for (let a = 0; a < apps; a++) {
      for (let e = start[a]! + 1; e < start[a + 1]!; e++) {
        const d = day[e]!;
        const s = order[e]!;
        let k = e - 1;
        for (; k >= start[a]! && day[k]! > d; k--) {
          day[k + 1] = day[k]!;
          order[k + 1] = order[k]!;
        }
        day[k + 1] = d;
        order[k + 1] = s;
      }
    }
    const values = new Float64Array(n * 6);
    const distinct = this.distinct;
    for (let e = 0; e < n; e++) {
      const s = order[e]!;
      values[e * 6] = distinct[s * 3]!;
      values[e * 6 + 1] = distinct[s * 3 + 1]!;
      values[e * 6 + 2] = distinct[s * 3 + 2]!;
      values[e * 6 + 3] = this.tx[s]!;
      values[e * 6 + 4] = this.up[s]!;
      values[e * 6 + 5] = this.down[s]!;
    }
    return (this.dailyView = { start, day, values });
  }

  /** registrable domain → traffic to it */
  get unknown(): ReadonlyMap<string, UnknownDomain> {
    if (this.unknownView) return this.unknownView;
    const view = new Map<string, UnknownDomain>();
    const n = this.domainDistinct;
    this.domains.forEach((d, i) =>
      view.set(d, { users: { size: n[i * 2]! }, devices: { size: n[i * 2 + 1]! }, transactions: this.domainSums[i * 2]!, bytes: this.domainSums[i * 2 + 1]!, hosts: this.domainHosts[i]! }),
    );
    return (this.unknownView = view);
  }

  /** Per app over all its days: distinct users, devices and IPs over the whole window. */
  appTotals(): Map<number, AppUsage> {
    const out = new Map<number, { -readonly [K in keyof AppUsage]: number }>();
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
    const distinct = this.windowDistinct();
    for (const [app, a] of out) {
      a.users = distinct[app * 3]!;
      a.devices = distinct[app * 3 + 1]!;
      a.ips = distinct[app * 3 + 2]!;
    }
    return out;
  }

  /**
   * Distinct [users, devices, IPs] per app over all days. Every day's (app, id, flags) triples
   * are grouped by app (a counting sort), then each app's ids are or-ed into a scratch array
   * indexed by string id, counting the bits each id gains: a pass over sequential arrays and
   * a small scratch array, where a window-wide hash table of (app, id) would miss the cache on
   * nearly every probe. The pairs per app are counted as the day tables fill, so the sort reads
   * the days once. Apps are taken in ranges of at most `windowPairs` pairs, so memory
   * stays bounded however many days the log spans (a range past the first reads the days again).
   */
  private windowDistinct(): Int32Array {
    // The days still in hash tables (at most LIVE_DAYS big ones) are read where they are,
    // unless they are big: a dense day's table (about 15 bytes a pair; 2.5 million pairs a day
    // in a 5 GiB week of Squid lines) would stay in memory beside the grouped pairs, so past
    // SPILL_BEFORE_COUNT pairs they go to the spill file first. Below it, freezing them only to
    // read them back at once costs more time than the memory it gives back.
    this.spillLiveDays();
    const apps = this.appDay.length;
    const out = new Int32Array(apps * 3);
    const perApp = this.appPairs;
    const scratch = new Uint8Array(this.ids.size);
    // the spilled days are read back into one array, a piece at a time, not into a new array
    // per day (garbage collection after the reads went from about 86 to 55-74 ms in a CPU
    // profile) nor into one as long as the longest day (36 MB for 3 million pairs)
    let longest = 0;
    for (const f of this.frozen.values()) if (f.data === undefined) longest = Math.max(longest, f.length);
    const spilled = new Int32Array(Math.min(longest, this.readBackPairs * 3));
    for (let from = 0; from < apps; ) {
      // the apps [from, to) whose pairs fit in one range (an app with more gets a range alone)
      let to = from;
      let pairs = 0;
      while (to < apps && (to === from || pairs + perApp[to]! <= this.windowPairs)) pairs += perApp[to++]!;
      if (pairs === 0) {
        from = to;
        continue;
      }
      const start = new Int32Array(to - from + 1);
      for (let a = from; a < to; a++) start[a - from + 1] = start[a - from]! + perApp[a]!;
      const next = start.slice(0, to - from);
      // id × 8 + flags: one word per pair (a Map holds fewer than 2^24 strings, so ids fit)
      const grouped = new Int32Array(pairs);
      // (each loop a small function: this runs once per run, and a small function is optimized at once)
      for (const t of this.live.values()) groupEntries(t.entries.keys, t.entries.flags, from, next, grouped);
      for (const f of this.frozen.values()) {
        if (f.data !== undefined) groupTriples(f.data, from, next, grouped);
        else for (let at = 0; at < f.length; at += spilled.length) groupTriples(this.readFrozenPart(f, at, spilled), from, next, grouped);
      }
      countGrouped(grouped, start, from, scratch, out);
      from = to;
    }
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

  /**
   * The table in a form that crosses threads: typed arrays written directly (the day tables'
   * triples day by day, a frozen day read from the spill file straight into its place), so the
   * receiver may move their buffers instead of copying them. Uses up the table's day pairs.
   */
  export(): UsageData {
    const head = this.exportHead();
    let words = 0;
    for (let k = 1; k < head.seenDays.length; k += 2) words += head.seenDays[k]! * 3;
    const seen = new Int32Array(words);
    let at = 0;
    const inPlace = (n: number): Int32Array => seen.subarray(at, (at += n));
    for (const _ of this.exportParts(Infinity, inPlace)); // each part written where it goes
    return { ...head, seen };
  }

  /** All but the day pairs, which `exportParts` then gives in the order of `seenDays`. */
  exportHead(): UsageHead {
    const n = this.slots;
    const sums = new Float64Array(n * 5);
    for (let s = 0; s < n; s++) {
      sums[s * 5] = this.tx[s]!;
      sums[s * 5 + 1] = this.up[s]!;
      sums[s * 5 + 2] = this.down[s]!;
      sums[s * 5 + 3] = this.first[s]!;
      sums[s * 5 + 4] = this.last[s]!;
    }
    const seenDays = new Float64Array((this.live.size + this.frozen.size) * 2);
    let k = 0;
    for (const [day, t] of this.live) {
      seenDays[k++] = day;
      seenDays[k++] = t.size;
    }
    for (const [day, f] of this.frozen) {
      seenDays[k++] = day;
      seenDays[k++] = f.length / 3;
    }
    return {
      strings: [...this.ids.strings],
      app: this.slotApp.slice(0, n),
      day: this.slotDay.slice(0, n),
      sums,
      distinct: this.distinct.slice(0, n * 3),
      seenDays,
      unknownDomains: [...this.domains],
      unknownSums: this.domainSums.slice(0, this.domains.length * 2),
      unknownHosts: this.domainHosts.map((h) => [...h]),
      unknownSeen: this.domainSeen.triples(),
    };
  }

  /**
   * Every day's pairs in the order of `exportHead().seenDays`, at most `maxPairs` a part, each
   * part an array of the `words` asked of `alloc` (by default a new array, whose buffer may be
   * moved). A day's hash table is dropped once written and a spilled day is read a part at a
   * time, so memory shrinks as the parts go: the table has no day pairs left afterwards.
   */
  *exportParts(maxPairs = PART_PAIRS, alloc: (words: number) => Int32Array = (words) => new Int32Array(words)): Generator<UsagePart> {
    for (const [day, t] of [...this.live]) {
      for (const triples of t.pieces(maxPairs, alloc)) yield { day, triples };
      this.live.delete(day);
    }
    this.dayTable = undefined;
    this.dayNow = NaN;
    this.idleAfter = Infinity;
    const words = Math.max(3, Math.min(maxPairs, 2 ** 28) * 3);
    for (const [day, f] of [...this.frozen]) {
      for (let at = 0; at < f.length; at += words) {
        const length = Math.min(words, f.length - at);
        const into = alloc(length);
        if (f.data) into.set(f.data.subarray(at, at + length));
        else this.readFrozenPart(f, at, into);
        yield { day, triples: into };
      }
      this.frozen.delete(day);
    }
  }

  /**
   * Fold another table's data into this one: distinct counts are unions, sums add. A day this
   * table has no pairs for (the other table read another part of the log) is taken as it is,
   * its ids renamed, its distinct counts added; only the pairs of a day both tables saw are
   * marked one by one. `d` is used up: its `seen` array is rewritten and may be kept.
   */
  merge(d: UsageData): void {
    const m = this.mergeHead(d);
    for (let k = 0, at = 0; k < d.seenDays.length; k += 2) {
      const end = at + d.seenDays[k + 1]! * 3;
      this.mergePart(m, { day: d.seenDays[k]!, triples: d.seen.subarray(at, end) });
      at = end;
    }
    this.mergeEnd();
  }

  /**
   * The first step of a merge in parts: the other table's slots, sums and unknown domains.
   * Then `mergePart` for each of its parts, in order, and `mergeEnd`.
   *
   * A merge runs once per thread and per run: each loop over pairs is a small function of its
   * own, which the engine optimizes at once, where a loop inside this long one ran unoptimized
   * for most of its pairs.
   */
  mergeHead(d: UsageHead): UsageMerge {
    const id = Int32Array.from(d.strings, (s) => this.ids.id(s));
    const mine = new Set<number>([...this.live.keys(), ...this.frozen.keys()]);
    this.mergeSlots(d, mine);
    // Logs that overlap in days (two files of the same week) mark the other's pairs of each day
    // both saw in this table's own. When both sides' pairs of those days fit the bound past
    // which the window-wide counts spill anyway, every such day stays live until the merge
    // ends rather than being frozen to make room for the next and thawed again later.
    let both = 0;
    for (let k = 0; k < d.seenDays.length; k += 2) if (mine.has(d.seenDays[k]!)) both += d.seenDays[k + 1]! + this.pairsOf(d.seenDays[k]!);
    if (both <= this.spillBeforeCount) this.liveDays = Infinity;
    const dom = Int32Array.from(d.unknownDomains, (name) => this.domainSlotFor(name));
    for (let i = 0; i < dom.length; i++) {
      const s = dom[i]!;
      this.domainSums[s * 2] += d.unknownSums[i * 2]!;
      this.domainSums[s * 2 + 1] += d.unknownSums[i * 2 + 1]!;
      for (const h of d.unknownHosts[i]!) keepExampleHost(this.domainHosts[s]!, h);
    }
    this.markUnknown(d.unknownSeen, dom, id);
    return { id, mine };
  }

  /**
   * Some of the other table's pairs of one day. `part.triples` is rewritten; true when it is
   * kept (a table without a spill file keeps a day it takes whole in memory), else the caller
   * may reuse it.
   */
  mergePart(m: UsageMerge, part: UsagePart): boolean {
    const { day, triples } = part;
    if (m.mine.has(day)) {
      this.markAll(day, triples, 0, triples.length, m.id);
      return false;
    }
    renameIds(triples, 0, triples.length, m.id, this.appPairs);
    this.keepFrozen(day, triples);
    return this.spill === undefined;
  }

  /** The end of a merge in parts: the views of the counts are built again when next asked for. */
  mergeEnd(): void {
    this.liveDays = LIVE_DAYS;
    this.byAppView = undefined;
    this.dailyView = undefined;
    this.unknownView = undefined;
  }

  /** The other table's slots: sums added, distinct counts too on a day this table has no pairs for. */
  private mergeSlots(d: UsageHead, mine: ReadonlySet<number>): void {
    for (let i = 0; i < d.app.length; i++) {
      const app = d.app[i]!;
      if (app >= this.appDay.length) this.growApps(app);
      const day = d.day[i]!;
      const s = this.slotFor(app, day);
      this.tx[s] += d.sums[i * 5]!;
      this.up[s] += d.sums[i * 5 + 1]!;
      this.down[s] += d.sums[i * 5 + 2]!;
      this.first[s] = Math.min(this.first[s]!, d.sums[i * 5 + 3]!);
      this.last[s] = Math.max(this.last[s]!, d.sums[i * 5 + 4]!);
      if (mine.has(day)) continue;
      // no pairs of this day here: the slot's ids are all the other table's
      this.distinct[s * 3] += d.distinct[i * 3]!;
      this.distinct[s * 3 + 1] += d.distinct[i * 3 + 1]!;
      this.distinct[s * 3 + 2] += d.distinct[i * 3 + 2]!;
    }
  }

  /** Pairs this table holds for `day`, live or frozen. */
  private pairsOf(day: number): number {
    return this.live.get(day)?.size ?? (this.frozen.get(day)?.length ?? 0) / 3;
  }

  /** Another table's [app, id, flags] triples of `day` in seen[at, end), marked one by one (ids renamed by `id`). */
  private markAll(day: number, seen: Int32Array, at: number, end: number, id: Int32Array): void {
    // the day's table, with room for them all
    if (end > at) this.switchDay(day, (end - at) / 3);
    for (let i = at; i < end; i += 3) {
      const app = seen[i]!;
      const s = this.appDay[app] === day ? this.appSlot[app]! : this.slotFor(app, day);
      this.see(app, day, s, id[seen[i + 1]!]!, seen[i + 2]!);
    }
  }

  /** Another table's unknown-domain [domain, id, flags] triples, domains renamed by `dom`, ids by `id`. */
  private markUnknown(seen: Int32Array, dom: Int32Array, id: Int32Array): void {
    for (let i = 0; i < seen.length; i += 3) this.seeUnknown(dom[seen[i]!]!, id[seen[i + 1]!]!, seen[i + 2]!);
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
      this.lastIds.fill(NO_ID, s * 3, s * 3 + 3);
    }
    this.appDay[app] = day;
    this.appSlot[app] = s;
    return s;
  }

  private growSlots(): void {
    const n = this.slotApp.length * 2;
    const f64 = (a: Float64Array, k = 1) => {
      const b = new Float64Array(n * k);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array, k = 1) => {
      const b = new Int32Array(n * k);
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
    this.distinct = i32(this.distinct, 3);
    this.lastIds = i32(this.lastIds, 3);
  }

  private growApps(app: number): void {
    const n = Math.max(app + 1, this.appDay.length * 2);
    const day = new Float64Array(n).fill(NaN);
    day.set(this.appDay);
    const slot = new Int32Array(n);
    slot.set(this.appSlot);
    const pairs = new Float64Array(n);
    pairs.set(this.appPairs);
    this.appDay = day;
    this.appSlot = slot;
    this.appPairs = pairs;
  }

  private domainSlotFor(domain: string): number {
    let s = this.domainSlot.get(domain);
    if (s === undefined) {
      s = this.domains.length;
      const own = ownString(domain);
      this.domains.push(own);
      this.domainHosts.push(new Set());
      this.domainSlot.set(own, s);
      if (s * 2 === this.domainSums.length) {
        const sums = new Float64Array(this.domainSums.length * 2);
        sums.set(this.domainSums);
        this.domainSums = sums;
        const distinct = new Int32Array(this.domainDistinct.length * 2);
        distinct.set(this.domainDistinct);
        this.domainDistinct = distinct;
      }
    }
    return s;
  }
}

/** A day table's pairs of the apps [from, from + next.length) into their groups: id × 8 + flags at next[app - from]++. */
function groupEntries(keys: Int32Array, flags: Uint8Array, from: number, next: Int32Array, grouped: Int32Array): void {
  const span = next.length;
  for (let e = 0; e < flags.length; e++) {
    const a = keys[e * 2]! - from;
    // an empty entry is -1, below every range
    if (a < 0 || a >= span) continue;
    grouped[next[a]!++] = (keys[e * 2 + 1]! << 3) | flags[e]!;
  }
}

/** The same for a frozen day's [app, id, flags] triples. */
function groupTriples(data: Int32Array, from: number, next: Int32Array, grouped: Int32Array): void {
  const span = next.length;
  for (let i = 0; i < data.length; i += 3) {
    const a = data[i]! - from;
    if (a < 0 || a >= span) continue;
    grouped[next[a]!++] = (data[i + 1]! << 3) | data[i + 2]!;
  }
}

/**
 * Per app of the range starting at `from`, its distinct users, devices and IPs into `out`: its
 * group grouped[start[a - from], start[a - from + 1]) or-ed into `scratch` (indexed by id,
 * all zero before and after), counting the bits each id gains.
 */
function countGrouped(grouped: Int32Array, start: Int32Array, from: number, scratch: Uint8Array, out: Int32Array): void {
  for (let r = 0; r + 1 < start.length; r++) {
    const lo = start[r]!;
    const hi = start[r + 1]!;
    let u = 0;
    let d = 0;
    let ip = 0;
    for (let k = lo; k < hi; k++) {
      const id = grouped[k]! >> 3;
      const old = scratch[id]!;
      const added = grouped[k]! & 7 & ~old;
      if (added === 0) continue;
      scratch[id] = old | added;
      u += added & U;
      d += (added & D) >> 1;
      ip += (added & I) >> 2;
    }
    for (let k = lo; k < hi; k++) scratch[grouped[k]! >> 3] = 0;
    const a = from + r;
    out[a * 3] = u;
    out[a * 3 + 1] = d;
    out[a * 3 + 2] = ip;
  }
}

/** [app, id, flags] triples in seen[at, end) with their ids renamed by `id`, each counted in `pairs` (per app). */
function renameIds(seen: Int32Array, at: number, end: number, id: Int32Array, pairs: Float64Array): void {
  for (let i = at; i < end; i += 3) {
    pairs[seen[i]!]++;
    seen[i + 1] = id[seen[i + 1]!]!;
  }
}

/** [app, id, flags] triples marked in a day table. */
function markTriples(t: PairFlags, data: Int32Array): void {
  for (let i = 0; i < data.length; i += 3) t.mark(data[i]!, data[i + 1]!, data[i + 2]!);
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
    hosts.add(ownString(host));
    return;
  }
  let last = "";
  for (const h of hosts) if (h > last) last = h;
  if (host < last) {
    hosts.delete(last);
    hosts.add(ownString(host));
  }
}
