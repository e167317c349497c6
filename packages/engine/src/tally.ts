import { zeroCounts, type VerdictCounts } from "./report.js";

/** Verdict kinds as small integers: the column of a count in the tally. */
export const ALLOW = 0;
export const AUDIT = 1;
export const WARN = 2;
export const BLOCK = 3;
const BYPASS = 4;
const KINDS = ["allow", "audit", "warn", "block"] as const;

/** What the report reads: verdict counts in total, per app, and per group (`(no group)` for none). */
export interface VerdictTotals {
  readonly total: VerdictCounts;
  readonly byApp: ReadonlyMap<number, VerdictCounts>;
  readonly byGroup: ReadonlyMap<string, VerdictCounts>;
}

/** Verdict totals in a form that crosses threads and merges (group names, not mask ids). */
export interface VerdictData {
  records: number;
  total: VerdictCounts;
  byApp: [number, VerdictCounts][];
  byGroup: [string, VerdictCounts][];
}

const NO_GROUP = "(no group)";

/**
 * Verdict counts per group mask and per app, as typed-array columns (allow, audit, warn, block,
 * bypass); a count may add many requests at once (all requests of one app and mask that get the
 * same verdict). Group totals are expanded from the masks at the end.
 */
export class VerdictTally {
  private byMask = new Float64Array(5 * 16);
  private byApp: Float64Array;
  private appSeen: Uint8Array;
  records = 0;

  constructor(apps: number) {
    this.byApp = new Float64Array(apps * 5);
    this.appSeen = new Uint8Array(apps);
  }

  /** `n` requests of `mask` (and `app`, or -1) got `kind`; `bypassed`: let through after a warning. */
  add(mask: number, app: number, kind: number, bypassed: boolean, n = 1): void {
    if (mask * 5 >= this.byMask.length) {
      const grown = new Float64Array(Math.max(this.byMask.length * 2, (mask + 1) * 5));
      grown.set(this.byMask);
      this.byMask = grown;
    }
    this.records += n;
    this.byMask[mask * 5 + kind] += n;
    if (bypassed) this.byMask[mask * 5 + BYPASS] += n;
    if (app >= 0) {
      this.appSeen[app] = 1;
      this.byApp[app * 5 + kind] += n;
      if (bypassed) this.byApp[app * 5 + BYPASS] += n;
    }
  }

  /** The totals, with group names for each mask id. */
  totals(groupsOf: (mask: number) => readonly string[]): VerdictTotals {
    const total = zeroCounts();
    const byGroup = new Map<string, VerdictCounts>();
    for (let m = 0; m * 5 < this.byMask.length; m++) {
      const c = counts(this.byMask, m);
      if (c.allow + c.audit + c.warn + c.block === 0) continue;
      addCounts(total, c);
      const names = groupsOf(m);
      for (const g of names.length ? names : [NO_GROUP]) {
        let mine = byGroup.get(g);
        if (!mine) byGroup.set(g, (mine = zeroCounts()));
        addCounts(mine, c);
      }
    }
    const byApp = new Map<number, VerdictCounts>();
    for (let a = 0; a < this.appSeen.length; a++) if (this.appSeen[a]) byApp.set(a, counts(this.byApp, a));
    return { total, byApp, byGroup };
  }
}

function counts(a: Float64Array, row: number): VerdictCounts {
  const c = zeroCounts();
  for (let k = 0; k < KINDS.length; k++) c[KINDS[k]!] = a[row * 5 + k]!;
  c.bypass = a[row * 5 + BYPASS]!;
  return c;
}

export function addCounts(into: VerdictCounts, c: VerdictCounts): void {
  into.allow += c.allow;
  into.audit += c.audit;
  into.warn += c.warn;
  into.block += c.block;
  into.bypass += c.bypass;
}

export function exportTotals(t: VerdictTotals, records: number): VerdictData {
  return { records, total: { ...t.total }, byApp: [...t.byApp].map(([a, c]) => [a, { ...c }]), byGroup: [...t.byGroup].map(([g, c]) => [g, { ...c }]) };
}

/** Totals from several threads' data, added up. */
export function mergeTotals(parts: readonly VerdictData[]): VerdictTotals & { records: number } {
  const total = zeroCounts();
  const byApp = new Map<number, VerdictCounts>();
  const byGroup = new Map<string, VerdictCounts>();
  let records = 0;
  for (const d of parts) {
    records += d.records;
    addCounts(total, d.total);
    for (const [app, c] of d.byApp) {
      let mine = byApp.get(app);
      if (!mine) byApp.set(app, (mine = zeroCounts()));
      addCounts(mine, c);
    }
    for (const [g, c] of d.byGroup) {
      let mine = byGroup.get(g);
      if (!mine) byGroup.set(g, (mine = zeroCounts()));
      addCounts(mine, c);
    }
  }
  return { records, total, byApp, byGroup };
}
