import type { Plan, PlanIndicator } from "@sanction/compiler";
import type { AppTagging } from "./evaluate.js";
import { IndicatorIndex } from "./indicators.js";
import { GroupMasks } from "./masks.js";
import { Pass1, loadMatchers } from "./passes.js";
import type { EngineRecord } from "./record.js";
import { SPOOL_INTS, Spool, type SpillFactory } from "./spool.js";
import { ALLOW, AUDIT, BLOCK, VerdictTally, WARN, type VerdictTotals } from "./tally.js";

const DEFAULT_BYPASS_S = 24 * 3600;
/** Warnings per batch of `heldWarnings`: 384 KiB of typed arrays. */
export const HELD_BATCH = 1 << 14;

/**
 * A chunk of the warnings one thread kept for another to settle with its own: requests in time
 * order (`time`, and `SPOOL_INTS` ints each: app, subject, mask, manual decision or -1), subjects
 * and masks as indices into `subjects` and `masks` (group names), which the adopting thread maps
 * to its ids.
 */
export interface HeldWarnings {
  readonly subjects: string[];
  readonly masks: (readonly string[])[];
  readonly time: Float64Array;
  readonly ints: Int32Array;
}

export interface SinglePassOptions {
  readonly matchers?: ReturnType<typeof loadMatchers>;
  /** Where spooled requests go past `spoolMemoryBytes` (without it they stay in memory). */
  readonly spill?: SpillFactory;
  readonly spoolMemoryBytes?: number;
}

/**
 * One read of the traffic for the whole simulation. Each request is attributed and aggregated
 * (Pass1), and its verdict is settled as far as the read allows:
 *
 * - a manual domain, URL or IP decision is static (plan, time, groups), so a request it covers
 *   gets its verdict now, unless the decision warns (see below);
 * - a request with no app and no decision is allowed;
 * - a request to an app whose tag can never warn (no policy that monitors it, no manual
 *   "monitor") gets a verdict that depends only on (app, group mask): it is counted per
 *   (mask, app) and the count gets its verdict once the tags are known;
 * - a request that may be warned, by a manual decision or by an app's tag, depends on the
 *   user's earlier requests (bypass), so it is spooled as a 24-byte record (time, app, subject,
 *   mask, warning decision) and replayed after `decide` in time order (equal times in input
 *   order): a user warned at 09:00 goes through at 10:00 whatever order the logs were given in.
 *
 * The verdicts equal VerdictEngine's over the same records sorted by time (a stable sort):
 * bypasses are kept per (subject, indicator value) and per (subject, app), and a decided value
 * is a domain, URL or IP (never an app's index), so the two kinds of key never met in
 * VerdictEngine's single map either.
 */
export class SinglePass {
  readonly p1: Pass1;
  readonly masks: GroupMasks;
  private readonly plan: Plan;
  private readonly indicators: IndicatorIndex;
  private readonly tally: VerdictTally;
  /** Per mask id: requests per app that wait for the tags but not for bypasses. */
  private readonly cells: Float64Array[] = [];
  private readonly warnable: Uint8Array;
  private readonly neverBlock: Uint8Array;
  private readonly spool: Spool;
  /** A manual decision's index in the plan's indicators (what the spool keeps for a warning). */
  private readonly indicatorIndex: Map<PlanIndicator, number>;
  /** Warnings kept for settling after other threads' (finishExceptWarnings). */
  private held: Spool | undefined;
  private readonly spill: SpillFactory | undefined;
  private readonly spoolMemoryBytes: number | undefined;
  private tags: ReadonlyMap<number, AppTagging> = new Map();
  /** Bypasses until (epoch ms): per (subject, app) for tags, per (subject, decided value) for manual decisions. */
  private readonly appBypass = new Map<number, number>();
  private readonly indicatorBypass = new Map<number, number>();
  private readonly apps: number;

  constructor(plan: Plan, opts: SinglePassOptions = {}) {
    const matchers = opts.matchers ?? loadMatchers(plan);
    this.plan = plan;
    this.apps = plan.apps.length;
    this.p1 = new Pass1(plan, matchers, opts.spill);
    this.masks = new GroupMasks(plan.groups, this.p1.usage.ids);
    this.indicators = new IndicatorIndex(plan, matchers.domainIndicators);
    this.tally = new VerdictTally(this.apps);
    this.neverBlock = Uint8Array.from(plan.apps, (a) => (a.neverBlock ? 1 : 0));
    this.warnable = new Uint8Array(this.apps);
    for (const p of plan.policies) if (p.mode !== "audit" && p.actions.some((a) => a.kind === "monitor")) for (const app of p.candidates) this.warnable[app] = 1;
    for (const d of plan.appDecisions) if (d.tag === "monitored" && d.mode !== "audit") this.warnable[d.app] = 1;
    for (let a = 0; a < this.apps; a++) if (this.neverBlock[a]) this.warnable[a] = 0;
    this.spool = new Spool(opts.spill, opts.spoolMemoryBytes);
    this.spill = opts.spill;
    this.spoolMemoryBytes = opts.spoolMemoryBytes;
    this.indicatorIndex = new Map(plan.indicators.map((d, i) => [d, i]));
  }

  /** Requests held for replay after the tags are decided. */
  get spooled(): number {
    return this.spool.length;
  }

  add(batch: readonly EngineRecord[]): void {
    const p1 = this.p1;
    const masks = this.masks;
    const checkIndicators = this.indicators.any;
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i]!;
      const app = p1.one(r);
      const mask = masks.maskOf(r, p1.user, p1.device, p1.ip);
      if (checkIndicators) {
        const ind = this.indicators.find(r, p1.host, mask, masks);
        if (ind !== undefined) {
          this.byIndicator(r, app, mask, ind);
          continue;
        }
      }
      if (app < 0) this.tally.add(mask, -1, ALLOW, false);
      else if (this.warnable[app]) this.spool.push(r.time, app, this.subject(r), mask, -1);
      else {
        let c = this.cells[mask];
        if (c === undefined) this.cells[mask] = c = new Float64Array(this.apps);
        c[app]++;
      }
    }
  }

  /**
   * The verdicts under the decided tags: the (mask, app) counts, then the spooled requests in
   * time order (equal times in input order). `onProgress` hears how many were replayed.
   */
  finish(tags: ReadonlyMap<number, AppTagging>, onProgress?: (replayed: number) => void): VerdictTotals & { records: number } {
    this.count(tags, false, onProgress);
    return this.totals();
  }

  /**
   * `finish` for one thread of several: every verdict but the warnings, which depend on the
   * same user's warnings in the other threads' shares. Those are kept, in time order, for
   * `heldWarnings` (a worker) or `settleWarnings` (the thread that adopts the others'). The
   * totals counted so far.
   */
  finishExceptWarnings(tags: ReadonlyMap<number, AppTagging>, onProgress?: (replayed: number) => void): VerdictTotals & { records: number } {
    this.count(tags, true, onProgress);
    return this.totals();
  }

  /**
   * The warnings `finishExceptWarnings` kept, for another thread, in time order, up to
   * `batch` at a time. The generator reads the next batch only when asked, so a thread that
   * waits until its earlier batches were taken keeps memory flat however many there are.
   * Subjects and group masks go by name (the ids are this thread's); the buffers are fresh, so
   * they can be moved rather than copied.
   */
  *heldWarnings(batch = HELD_BATCH): Generator<HeldWarnings, void, undefined> {
    if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batches of ${batch} warnings`);
    const held = this.held;
    if (held === undefined) return;
    const strings = this.p1.usage.ids.strings;
    const names = this.masks.names;
    let out: HeldBuilder | undefined;
    try {
      for (const b of held.batches()) {
        for (let from = 0; from < b.count; ) {
          out ??= new HeldBuilder(batch);
          from = out.take(b.time, b.ints, from, b.count, strings, names);
          if (out.full) {
            yield out.done();
            out = undefined;
          }
        }
      }
      if (out !== undefined && out.size > 0) yield out.done();
    } finally {
      held.close();
      this.held = undefined;
    }
  }

  /**
   * Warnings another thread held (`heldWarnings`), in any order of arrival: `rank` (1, 2, … in
   * the order of the threads' shares; this thread's own are 0) orders warnings of equal time.
   */
  adoptWarnings(h: HeldWarnings, rank: number): void {
    const held = (this.held ??= new Spool(this.spill, this.spoolMemoryBytes));
    const ids = this.p1.usage.ids;
    const subject = Int32Array.from(h.subjects, (s) => ids.id(s));
    const mask = Int32Array.from(h.masks, (names) => this.masks.idOfNames(names));
    const count = h.time.length;
    const ints = h.ints;
    for (let i = 0; i < count; i++) {
      ints[i * SPOOL_INTS + 1] = subject[ints[i * SPOOL_INTS + 1]!]!;
      ints[i * SPOOL_INTS + 2] = mask[ints[i * SPOOL_INTS + 2]!]!;
    }
    held.adopt(h.time, ints, count, rank);
  }

  /** The warnings kept by `finishExceptWarnings` and adopted from other threads, settled in time order; the totals. */
  settleWarnings(): VerdictTotals & { records: number } {
    const held = this.held;
    if (held !== undefined) {
      const warn = this.warner();
      held.replay((time, ints, count) => {
        for (let i = 0; i < count; i++) warn(time[i]!, ints[i * SPOOL_INTS]!, ints[i * SPOOL_INTS + 1]!, ints[i * SPOOL_INTS + 2]!, ints[i * SPOOL_INTS + 3]!);
      });
      held.close();
      this.held = undefined;
    }
    return this.totals();
  }

  private totals(): VerdictTotals & { records: number } {
    const totals = this.tally.totals((m) => this.masks.names[m]!);
    return { ...totals, records: this.tally.records };
  }

  /**
   * Count the cells and replay the spool under `tags`. A warning (by a manual decision, or by
   * an app's tag) is settled at once, in the spool's time order, or with `hold` kept in time
   * order for `settleWarnings` / `heldWarnings`.
   */
  private count(tags: ReadonlyMap<number, AppTagging>, hold: boolean, onProgress?: (replayed: number) => void): void {
    this.tags = tags;
    const masks = this.masks.count;
    const kinds = new Int8Array(this.apps * masks).fill(-1);
    const kindOf = (app: number, mask: number): number => {
      const at = app * masks + mask;
      let k = kinds[at]!;
      if (k < 0) kinds[at] = k = this.kindOf(app, mask);
      return k;
    };
    for (let m = 0; m < this.cells.length; m++) {
      const c = this.cells[m];
      if (c === undefined) continue;
      for (let app = 0; app < c.length; app++) if (c[app]! > 0) this.tally.add(m, app, kindOf(app, m), false, c[app]!);
    }
    // with `hold`, other threads' warnings may have been adopted already
    const held = hold ? (this.held ??= new Spool(this.spill, this.spoolMemoryBytes)) : undefined;
    const warn = this.warner();
    let replayed = 0;
    this.spool.replay((time, ints, count) => {
      for (let i = 0; i < count; i++) {
        const app = ints[i * SPOOL_INTS]!;
        const mask = ints[i * SPOOL_INTS + 2]!;
        const warning = ints[i * SPOOL_INTS + 3]!;
        if (warning < 0) {
          const k = kindOf(app, mask);
          if (k !== WARN) {
            this.tally.add(mask, app, k, false);
            continue;
          }
        }
        if (held !== undefined) held.push(time[i]!, app, ints[i * SPOOL_INTS + 1]!, mask, warning);
        else warn(time[i]!, app, ints[i * SPOOL_INTS + 1]!, mask, warning);
      }
      replayed += count;
      onProgress?.(replayed);
    });
    this.spool.close();
  }

  /** A request's verdict kind under the decided tags, from its app and group mask (no manual decision covers it). */
  private kindOf(app: number, mask: number): number {
    const t = this.layerOf(app, mask);
    let k = !t || t.tag === "sanctioned" ? ALLOW : t.mode === "audit" ? AUDIT : t.tag === "unsanctioned" ? BLOCK : WARN;
    if ((k === BLOCK || k === WARN) && this.neverBlock[app]) k = ALLOW;
    if (k === WARN && !this.warnable[app]) throw new Error(`internal error: ${this.plan.apps[app]!.name} is warned but its requests were not kept in order`);
    return k;
  }

  private layerOf(app: number, mask: number) {
    return this.tags.get(app)?.layers.find((l) => this.masks.inScope(mask, l.scope));
  }

  /**
   * Settles warnings given in time order: warned, or let through when the same subject was
   * warned through the same decided value (a manual decision, `warning` its index in the plan's
   * indicators) or the same app (its tag, `warning` -1) within the bypass duration.
   */
  private warner(): (time: number, app: number, subject: number, mask: number, warning: number) => void {
    const appBypass = this.appBypass;
    const indicatorBypass = this.indicatorBypass;
    const values = this.indicators.valueIds;
    const indicators = this.plan.indicators;
    const bypassMs = new Map<number, number>();
    return (time, app, subject, mask, warning) => {
      let until: number | undefined;
      if (warning >= 0) {
        const ind = indicators[warning]!;
        const key = subject * values.size + values.get(ind.value)!;
        until = indicatorBypass.get(key);
        if (until === undefined || time >= until) indicatorBypass.set(key, time + (ind.bypassSeconds ?? DEFAULT_BYPASS_S) * 1000);
      } else {
        const key = subject * this.apps + app;
        until = appBypass.get(key);
        if (until === undefined || time >= until) {
          const at = app * 4_294_967_296 + mask;
          let ms = bypassMs.get(at);
          if (ms === undefined) bypassMs.set(at, (ms = (this.layerOf(app, mask)?.bypassSeconds ?? DEFAULT_BYPASS_S) * 1000));
          appBypass.set(key, time + ms);
        }
      }
      if (until !== undefined && time < until) this.tally.add(mask, app, ALLOW, true);
      else this.tally.add(mask, app, WARN, false);
    };
  }

  /** Release the spill files (the report is built by then). */
  close(): void {
    this.spool.close();
    this.held?.close();
    this.p1.usage.close();
  }

  /** A request a manual decision covers: its verdict now, or spooled when it is a warning (bypasses follow time). */
  private byIndicator(r: EngineRecord, app: number, mask: number, ind: PlanIndicator): void {
    let k = ind.action === "allow" ? ALLOW : ind.mode === "audit" || ind.action === "audit" ? AUDIT : ind.action === "block" ? BLOCK : WARN;
    if ((k === BLOCK || k === WARN) && app >= 0 && this.neverBlock[app]) k = ALLOW;
    if (k !== WARN) {
      this.tally.add(mask, app, k, false);
      return;
    }
    // warned or let through depends on the subject's earlier warnings in time: replayed in `finish`
    const w = this.indicatorIndex.get(ind);
    if (w === undefined) throw new Error(`internal error: the warning ${ind.value} is not one of the plan's indicators`);
    this.spool.push(r.time, app, this.subject(r), mask, w);
  }

  /** Who a warn bypass belongs to: the user, else the device, else the source IP (as VerdictEngine). */
  private subject(r: EngineRecord): number {
    const p1 = this.p1;
    const ids = p1.usage.ids;
    if (r.user !== undefined) return p1.user >= 0 ? p1.user : ids.id(r.user);
    if (r.device !== undefined) return p1.device >= 0 ? p1.device : ids.id(r.device);
    if (r.srcIp !== undefined) return p1.ip >= 0 ? p1.ip : ids.id(r.srcIp);
    return ids.id("?");
  }
}

/** One batch of `heldWarnings` as it fills: records copied in, subjects and masks renumbered by first use. */
class HeldBuilder {
  size = 0;
  private readonly subjects: string[] = [];
  private readonly subjectIndex = new Map<number, number>();
  private readonly masks: (readonly string[])[] = [];
  private readonly maskIndex = new Map<number, number>();
  private readonly time: Float64Array;
  private readonly ints: Int32Array;

  constructor(private readonly capacity: number) {
    this.time = new Float64Array(capacity);
    this.ints = new Int32Array(capacity * SPOOL_INTS);
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  /** Copies records `from`… of a spool batch until this one is full; the index of the first not taken. */
  take(time: Float64Array, ints: Int32Array, from: number, count: number, strings: readonly string[], maskNames: readonly (readonly string[])[]): number {
    const n = Math.min(count - from, this.capacity - this.size);
    this.time.set(time.subarray(from, from + n), this.size);
    const v = this.ints;
    v.set(ints.subarray(from * SPOOL_INTS, (from + n) * SPOOL_INTS), this.size * SPOOL_INTS);
    for (let i = this.size; i < this.size + n; i++) {
      const s = v[i * SPOOL_INTS + 1]!;
      let si = this.subjectIndex.get(s);
      if (si === undefined) this.subjectIndex.set(s, (si = this.subjects.push(strings[s]!) - 1));
      v[i * SPOOL_INTS + 1] = si;
      const m = v[i * SPOOL_INTS + 2]!;
      let mi = this.maskIndex.get(m);
      if (mi === undefined) this.maskIndex.set(m, (mi = this.masks.push(maskNames[m]!) - 1));
      v[i * SPOOL_INTS + 2] = mi;
    }
    this.size += n;
    return from + n;
  }

  /** The batch, its arrays cut to its size (a copy only when it is not full). */
  done(): HeldWarnings {
    const full = this.full;
    return {
      subjects: this.subjects,
      masks: this.masks,
      time: full ? this.time : this.time.slice(0, this.size),
      ints: full ? this.ints : this.ints.slice(0, this.size * SPOOL_INTS),
    };
  }
}
