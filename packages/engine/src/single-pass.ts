import type { Plan, PlanIndicator } from "@sanction/compiler";
import type { AppTagging } from "./evaluate.js";
import { IndicatorIndex } from "./indicators.js";
import { GroupMasks } from "./masks.js";
import { Pass1, loadMatchers } from "./passes.js";
import type { EngineRecord } from "./record.js";
import { SPOOL_INTS, Spool, type SpillFactory } from "./spool.js";
import { ALLOW, AUDIT, BLOCK, VerdictTally, WARN, type VerdictTotals } from "./tally.js";

const DEFAULT_BYPASS_S = 24 * 3600;

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
  /** The manual decisions that warned a spooled request, by the index the spool keeps. */
  private readonly warnings: PlanIndicator[] = [];
  private readonly warningIndex = new Map<PlanIndicator, number>();
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
    const masks = this.masks.count;
    const kinds = new Int8Array(this.apps * masks).fill(-1);
    const bypassMs = new Float64Array(this.apps * masks);
    const kindOf = (app: number, mask: number): number => {
      const at = app * masks + mask;
      let k = kinds[at]!;
      if (k >= 0) return k;
      const tagging = tags.get(app);
      const t = tagging?.layers.find((l) => this.masks.inScope(mask, l.scope));
      k = !t || t.tag === "sanctioned" ? ALLOW : t.mode === "audit" ? AUDIT : t.tag === "unsanctioned" ? BLOCK : WARN;
      if ((k === BLOCK || k === WARN) && this.neverBlock[app]) k = ALLOW;
      if (k === WARN && !this.warnable[app]) throw new Error(`internal error: ${this.plan.apps[app]!.name} is warned but its requests were not kept in order`);
      kinds[at] = k;
      bypassMs[at] = (t?.bypassSeconds ?? DEFAULT_BYPASS_S) * 1000;
      return k;
    };
    for (let m = 0; m < this.cells.length; m++) {
      const c = this.cells[m];
      if (c === undefined) continue;
      for (let app = 0; app < c.length; app++) if (c[app]! > 0) this.tally.add(m, app, kindOf(app, m), false, c[app]!);
    }
    const bypass = new Map<number, number>();
    const indicatorBypass = new Map<number, number>();
    const values = this.indicators.valueIds;
    let replayed = 0;
    this.spool.replay((time, ints, count) => {
      for (let i = 0; i < count; i++) {
        const app = ints[i * SPOOL_INTS]!;
        const subject = ints[i * SPOOL_INTS + 1]!;
        const mask = ints[i * SPOOL_INTS + 2]!;
        const warning = ints[i * SPOOL_INTS + 3]!;
        if (warning >= 0) {
          // warned by a manual decision: bypassed per (subject, decided value)
          const ind = this.warnings[warning]!;
          const key = subject * values.size + values.get(ind.value)!;
          const t = time[i]!;
          const until = indicatorBypass.get(key);
          if (until !== undefined && t < until) this.tally.add(mask, app, ALLOW, true);
          else {
            indicatorBypass.set(key, t + (ind.bypassSeconds ?? DEFAULT_BYPASS_S) * 1000);
            this.tally.add(mask, app, WARN, false);
          }
          continue;
        }
        const k = kindOf(app, mask);
        if (k !== WARN) {
          this.tally.add(mask, app, k, false);
          continue;
        }
        const key = subject * this.apps + app;
        const t = time[i]!;
        const until = bypass.get(key);
        if (until !== undefined && t < until) this.tally.add(mask, app, ALLOW, true);
        else {
          bypass.set(key, t + bypassMs[app * masks + mask]!);
          this.tally.add(mask, app, WARN, false);
        }
      }
      replayed += count;
      onProgress?.(replayed);
    });
    this.spool.close();
    const totals = this.tally.totals((m) => this.masks.names[m]!);
    return { ...totals, records: this.tally.records };
  }

  /** Release the spill files (the report is built by then). */
  close(): void {
    this.spool.close();
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
    let w = this.warningIndex.get(ind);
    if (w === undefined) {
      w = this.warnings.push(ind) - 1;
      this.warningIndex.set(ind, w);
    }
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
