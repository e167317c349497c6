import type { Plan, PlanIndicator } from "@sanction/compiler";
import type { HostMatcher } from "@sanction/matcher";
import { ownString } from "./intern.js";
import { ipInRange } from "./ip.js";
import type { GroupMasks } from "./masks.js";
import { untilTime, type EngineRecord } from "./record.js";

/** On one indicator value, Defender applies Allow > Warn > Block; Audit only records. */
const PRECEDENCE: Record<PlanIndicator["action"], number> = { allow: 4, warn: 3, block: 2, audit: 1 };
const EMPTY: readonly (readonly PlanIndicator[])[] = [];
/** Distinct destination IPs whose matching IP decisions are remembered. */
const IP_CACHE = 100_000;
/** Hosts under a decided domain whose chain of decisions is remembered. */
const CHAIN_CACHE = 100_000;
/** Up to this many decided domains, a host is checked against each by suffix before the trie. */
const FEW_DOMAINS = 8;

/**
 * The manual domain, URL and IP decision that applies to a request, with the rules of
 * VerdictEngine (verdicts.ts): URL decisions first (the longest URL wins), then domain decisions
 * (the most specific decided domain whose decisions apply), then IP decisions; a decision out of
 * its scope or past `until` does not apply. Everything that depends on the host alone (the chain
 * of decided parent domains) is computed once per host under a decided domain; URL decisions are indexed
 * by `scheme://host` and IP decisions cached per destination address, so a request only looks at
 * decisions that could cover it.
 */
export class IndicatorIndex {
  readonly any: boolean;
  /** Indicator values as small ids: warn bypasses are kept per (user, value). */
  readonly valueIds = new Map<string, number>();
  private readonly untilMs = new Map<PlanIndicator, number>();
  private readonly byDomain = new Map<string, PlanIndicator[]>();
  /** URL decisions by the `scheme://host` part, longest first, plus those without a scheme. */
  private readonly urlByKey = new Map<string, PlanIndicator[]>();
  private readonly urlLoose: PlanIndicator[];
  private readonly urlKeys: string[];
  private readonly hasUrl: boolean;
  private readonly ips: PlanIndicator[];
  private readonly ipCache = new Map<string, PlanIndicator[]>();
  private readonly hasDomains: boolean;
  /** Host → its chain of decided domains, for hosts under a decided domain. */
  private readonly chains = new Map<string, readonly (readonly PlanIndicator[])[]>();
  /** With few decided domains: each one, for a suffix check that most hosts fail (cheaper than a trie walk). */
  private readonly fewDomains: readonly string[] | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly domainIndicators: HostMatcher,
  ) {
    this.any = plan.indicators.length > 0;
    for (const i of plan.indicators) {
      if (!this.valueIds.has(i.value)) this.valueIds.set(i.value, this.valueIds.size);
      if (i.until !== undefined) this.untilMs.set(i, untilTime(i.until));
      if (i.type !== "domain") continue;
      const list = this.byDomain.get(i.value) ?? [];
      list.push(i);
      this.byDomain.set(i.value, list);
    }
    const urls = plan.indicators.filter((i) => i.type === "url").sort((a, b) => b.value.length - a.value.length);
    this.hasUrl = urls.length > 0;
    this.urlLoose = urls.filter((i) => urlKey(i.value) === undefined);
    for (const key of new Set(urls.map((i) => urlKey(i.value)).filter((k) => k !== undefined))) {
      // a URL decision covers only URLs that start with it, which have the same key
      this.urlByKey.set(key!, urls.filter((i) => urlKey(i.value) === key || urlKey(i.value) === undefined));
    }
    this.urlKeys = [...this.urlByKey.keys()];
    this.hasDomains = this.byDomain.size > 0;
    this.fewDomains = this.byDomain.size <= FEW_DOMAINS ? [...this.byDomain.keys()] : undefined;
    this.ips = plan.indicators.filter((i) => i.type === "ip");
  }

  /** The decided domains above `host`, most specific first, each with its decisions. */
  private chainOf(host: string | undefined): readonly (readonly PlanIndicator[])[] {
    // most hosts have no decided domain above them: one matcher lookup says so
    if (host === undefined || !this.hasDomains || !this.mayBeUnder(host) || this.domainIndicators.match(host) < 0) return EMPTY;
    let chain = this.chains.get(host);
    if (chain === undefined) {
      chain = this.domainChain(host);
      if (this.chains.size >= CHAIN_CACHE) this.chains.clear();
      this.chains.set(ownString(host), chain);
    }
    return chain;
  }

  /**
   * False when no decided domain can cover `host`: with few decided domains, none is `host` or a
   * label suffix of it (the trie matches whole labels only, so it would answer -1 too). A host
   * with a trailing dot is left to the trie.
   */
  private mayBeUnder(host: string): boolean {
    const few = this.fewDomains;
    if (few === undefined || host.charCodeAt(host.length - 1) === 46) return true;
    for (let i = 0; i < few.length; i++) {
      const d = few[i]!;
      const at = host.length - d.length;
      if (at >= 0 && host.endsWith(d) && (at === 0 || host.charCodeAt(at - 1) === 46)) return true;
    }
    return false;
  }

  private domainChain(host: string): readonly (readonly PlanIndicator[])[] {
    let chain: (readonly PlanIndicator[])[] | undefined;
    let name: string | undefined = host;
    while (name !== undefined) {
      // The trie's payload is the index of the first indicator on that domain (see the
      // compiler's matchers stage).
      const idx = this.domainIndicators.match(name);
      if (idx < 0) break;
      const value = this.plan.indicators[idx]!.value;
      (chain ??= []).push(this.byDomain.get(value) ?? []);
      const dot = value.indexOf(".");
      name = dot < 0 ? undefined : value.slice(dot + 1);
    }
    return chain ?? EMPTY;
  }

  /** The decision for a request to `host` (undefined: none) in group mask `mask`. */
  find(r: EngineRecord, host: string | undefined, mask: number, masks: GroupMasks): PlanIndicator | undefined {
    if (this.hasUrl && r.url) {
      const url = r.url;
      const key = this.keyOf(url);
      const list = (key === undefined ? undefined : this.urlByKey.get(key)) ?? this.urlLoose;
      // Longest URL first; among equal URLs the precedence rule decides.
      for (let i = 0; i < list.length; ) {
        const len = list[i]!.value.length;
        let best: PlanIndicator | undefined;
        for (; i < list.length && list[i]!.value.length === len; i++) {
          const ind = list[i]!;
          if (urlCovers(ind.value, url) && this.applies(ind, r.time, mask, masks) && (!best || PRECEDENCE[ind.action] > PRECEDENCE[best.action])) best = ind;
        }
        if (best) return best;
      }
    }
    const chain = this.chainOf(host);
    for (let c = 0; c < chain.length; c++) {
      const ind = this.best(chain[c]!, r.time, mask, masks);
      if (ind) return ind;
    }
    if (r.dstIp && this.ips.length) {
      let list = this.ipCache.get(r.dstIp);
      if (list === undefined) {
        list = this.ips.filter((i) => ipInRange(r.dstIp!, i.value));
        if (this.ipCache.size >= IP_CACHE) this.ipCache.clear();
        this.ipCache.set(ownString(r.dstIp), list);
      }
      return this.best(list, r.time, mask, masks);
    }
    return undefined;
  }

  /** The URL's `scheme://host` key when some URL decision has it; with few keys, without building a string. */
  private keyOf(url: string): string | undefined {
    const keys = this.urlKeys;
    if (keys.length > 16) return urlKey(url);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (!url.startsWith(k)) continue;
      const c = url.charCodeAt(k.length);
      if (c !== c || c === 47 || c === 63) return k;
    }
    return undefined;
  }

  private applies(i: PlanIndicator, time: number, mask: number, masks: GroupMasks): boolean {
    const until = this.untilMs.get(i);
    if (until !== undefined && time >= until) return false;
    return masks.inScope(mask, i.scope);
  }

  private best(list: readonly PlanIndicator[], time: number, mask: number, masks: GroupMasks): PlanIndicator | undefined {
    let best: PlanIndicator | undefined;
    for (const i of list) {
      if (!this.applies(i, time, mask, masks)) continue;
      if (!best || PRECEDENCE[i.action] > PRECEDENCE[best.action]) best = i;
    }
    return best;
  }
}

/** `scheme://host` of a URL (up to the first `/` or `?` after `://`); undefined without `://`. */
function urlKey(url: string): string | undefined {
  const s = url.indexOf("://");
  if (s < 0) return undefined;
  for (let i = s + 3; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 || c === 63) return url.slice(0, i);
  }
  return url;
}

/** A URL indicator covers the URL itself and everything under its path. */
function urlCovers(indicator: string, url: string): boolean {
  if (url === indicator) return true;
  const base = indicator.endsWith("/") ? indicator : indicator + "/";
  return url.startsWith(base) || url.startsWith(indicator + "?");
}
