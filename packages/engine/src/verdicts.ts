import type { Plan, PlanIndicator } from "@sanction/compiler";
import type { HostMatcher } from "@sanction/matcher";
import type { EngineRecord } from "./record.js";
import { untilTime } from "./record.js";
import type { GroupResolver } from "./groups.js";
import type { AppTagging } from "./evaluate.js";
import { ipInRange } from "./ip.js";

export type VerdictKind = "allow" | "audit" | "warn" | "block";

/** What an enforcement point would do with one request, and which rule decided. */
export interface Verdict {
  readonly verdict: VerdictKind;
  /** A warned user already clicked through within the bypass window. */
  readonly bypassed: boolean;
  readonly app: number | undefined;
  readonly rule: string;
}

/** On one indicator value, Defender applies Allow > Warn > Block; Audit only records. */
const PRECEDENCE: Record<PlanIndicator["action"], number> = { allow: 4, warn: 3, block: 2, audit: 1 };
const DEFAULT_BYPASS_S = 24 * 3600;

/**
 * Per-request verdicts against the final tags: URL indicators first (the longest URL wins),
 * then domain indicators (the most specific domain wins), then IP indicators, then the app's
 * tag. Decisions out of their scope or past `until` do not apply. A warn lets the same user
 * through for the bypass duration (24 h unless set). Apps on the never-block list are allowed.
 */
export class VerdictEngine {
  private readonly bypassUntil = new Map<string, number>();
  private readonly urlIndicators: PlanIndicator[];
  private readonly ipIndicators: PlanIndicator[];
  private readonly byDomain = new Map<string, PlanIndicator[]>();
  /** `until` as epoch ms, parsed once instead of per request. */
  private readonly untilMs = new Map<PlanIndicator, number>();

  constructor(
    private readonly plan: Plan,
    private readonly apps: HostMatcher,
    private readonly domainIndicators: HostMatcher,
    private readonly tags: ReadonlyMap<number, AppTagging>,
    private readonly groups: GroupResolver,
  ) {
    this.urlIndicators = plan.indicators.filter((i) => i.type === "url").sort((a, b) => b.value.length - a.value.length);
    this.ipIndicators = plan.indicators.filter((i) => i.type === "ip");
    for (const i of plan.indicators) {
      if (i.until !== undefined) this.untilMs.set(i, untilTime(i.until));
      if (i.type !== "domain") continue;
      const list = this.byDomain.get(i.value) ?? [];
      list.push(i);
      this.byDomain.set(i.value, list);
    }
  }

  verdict(r: EngineRecord, host: string | undefined): Verdict {
    const appIdx = host ? this.apps.match(host) : -1;
    const app = appIdx >= 0 ? appIdx : undefined;
    const fromIndicator = this.indicatorVerdict(r, host);
    if (fromIndicator) return this.finish(r, app, fromIndicator.action === "allow" ? "allow" : fromIndicator.mode === "audit" ? "audit" : fromIndicator.action, fromIndicator.bypassSeconds, describe(fromIndicator), fromIndicator.value);
    if (app === undefined) return { verdict: "allow", bypassed: false, app, rule: "no app or indicator" };
    const tagging = this.tags.get(app);
    const t = tagging?.layers.find((l) => this.groups.inScope(r, l.scope));
    if (!t) return { verdict: "allow", bypassed: false, app, rule: tagging ? `${tagging.from.name}: device out of scope` : "app not tagged" };
    const kind: VerdictKind = t.tag === "sanctioned" ? "allow" : t.mode === "audit" ? "audit" : t.tag === "unsanctioned" ? "block" : "warn";
    return this.finish(r, app, kind, t.bypassSeconds, `${t.tag} by ${t.from.kind === "manual" ? "manual decision" : "policy"} ${t.from.name}${t.mode === "audit" ? " (audit mode)" : ""}`, String(app));
  }

  private finish(r: EngineRecord, app: number | undefined, kind: VerdictKind, bypassSeconds: number | undefined, rule: string, key: string): Verdict {
    if ((kind === "block" || kind === "warn") && app !== undefined && this.plan.apps[app]!.neverBlock) {
      return { verdict: "allow", bypassed: false, app, rule: `${this.plan.apps[app]!.name} is on the never-block list` };
    }
    if (kind !== "warn") return { verdict: kind, bypassed: false, app, rule };
    const who = `${r.user ?? r.device ?? r.srcIp ?? "?"}\u0000${key}`;
    const until = this.bypassUntil.get(who);
    if (until !== undefined && r.time < until) return { verdict: "allow", bypassed: true, app, rule: `${rule}; bypassed after a warning` };
    this.bypassUntil.set(who, r.time + (bypassSeconds ?? DEFAULT_BYPASS_S) * 1000);
    return { verdict: "warn", bypassed: false, app, rule };
  }

  private applicable(list: readonly PlanIndicator[], r: EngineRecord): PlanIndicator | undefined {
    let best: PlanIndicator | undefined;
    for (const i of list) {
      const until = this.untilMs.get(i);
      if (until !== undefined && r.time >= until) continue;
      if (!this.groups.inScope(r, i.scope)) continue;
      if (!best || PRECEDENCE[i.action] > PRECEDENCE[best.action]) best = i;
    }
    return best;
  }

  private indicatorVerdict(r: EngineRecord, host: string | undefined): PlanIndicator | undefined {
    if (this.urlIndicators.length && r.url) {
      const url = r.url;
      // Longest URL first; among equal URLs the precedence rule decides.
      for (let i = 0; i < this.urlIndicators.length; ) {
        const len = this.urlIndicators[i]!.value.length;
        const same: PlanIndicator[] = [];
        while (i < this.urlIndicators.length && this.urlIndicators[i]!.value.length === len) {
          const ind = this.urlIndicators[i++]!;
          if (urlCovers(ind.value, url)) same.push(ind);
        }
        const hit = this.applicable(same, r);
        if (hit) return hit;
      }
    }
    if (host) {
      // The most specific decided domain whose decisions apply: when none of a domain's
      // decisions applies (out of scope, expired), its parent domain's decisions get their turn.
      let name: string | undefined = host;
      while (name !== undefined) {
        // The trie's payload is the index of the first indicator on that domain (see the
        // compiler's matchers stage), so no pattern string is built per request.
        const idx = this.domainIndicators.match(name);
        if (idx < 0) break;
        const value = this.plan.indicators[idx]!.value;
        const ind = this.applicable(this.byDomain.get(value) ?? [], r);
        if (ind) return ind;
        const dot = value.indexOf(".");
        name = dot < 0 ? undefined : value.slice(dot + 1);
      }
    }
    if (r.dstIp && this.ipIndicators.length) {
      const ind = this.applicable(this.ipIndicators.filter((i) => ipInRange(r.dstIp!, i.value)), r);
      if (ind) return ind;
    }
    return undefined;
  }
}

/** A URL indicator covers the URL itself and everything under its path. */
function urlCovers(indicator: string, url: string): boolean {
  if (url === indicator) return true;
  const base = indicator.endsWith("/") ? indicator : indicator + "/";
  return url.startsWith(base) || url.startsWith(indicator + "?");
}

function describe(i: PlanIndicator): string {
  return `${i.action} ${i.type} ${i.value} (${i.source})${i.mode === "audit" && i.action !== "allow" ? " in audit mode" : ""}`;
}
