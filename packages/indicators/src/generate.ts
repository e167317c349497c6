import type { Plan } from "@sanction/compiler";
import { resolveTags, type AppTagging } from "@sanction/engine";
import { cmpIndicator, cmpStr, hostOfUrl, suffixes, underDomain, type Indicator, type IndicatorAction, type IndicatorNote, type IndicatorSet, type IndicatorSeverity } from "./model.js";

export interface GenerateOptions {
  /**
   * App tags: from `decide()` when traffic was replayed through the policies. Without them,
   * only the manual decisions of the plan count (`resolveTags` with no policy matches).
   */
  readonly tags?: ReadonlyMap<number, AppTagging>;
  /**
   * Domains that must never get a Block or Warn indicator (each covering its subdomains). By
   * default the domains of the catalog's never-block apps: the Defender for Cloud Apps,
   * Defender, Purview, Intune and Entra portals, Windows Update.
   */
  readonly neverBlock?: readonly string[];
}

/** `*.x.com` and `x.com` both become `x.com`: a Defender domain indicator covers subdomains. */
export function baseDomain(pattern: string): string {
  return pattern.startsWith("*.") ? pattern.slice(2) : pattern;
}

export function defaultNeverBlock(plan: Plan): string[] {
  const out = new Set<string>();
  for (const a of plan.apps) if (a.neverBlock) for (const d of a.domains) out.add(baseDomain(d));
  return [...out].sort(cmpStr);
}

const TAG_VERB = { unsanctioned: "unsanction", monitored: "monitor", sanctioned: "sanction" } as const;

/**
 * Plan + tags → the indicator set: unsanctioned apps → Block, monitored → Warn (with the
 * redirect and bypass), audit mode → Audit, manual allow → Allow; one indicator per app
 * domain; manual domain, URL and IP decisions; expiry kept. Never-block domains are taken out
 * (reported), and a Block or Warn on a parent of a sanctioned app's domain is reported.
 * Deterministic: the result depends only on the plan, the tags and the options.
 */
export function generate(plan: Plan, opts: GenerateOptions = {}): IndicatorSet {
  const tags = opts.tags ?? resolveTags(plan, [], -Infinity).tags;
  const notes: IndicatorNote[] = [];
  const wanted: Indicator[] = [];
  const sanctioned = new Map<string, string>(); // domain → app
  const untilOf = new Map<number, string>();
  for (const d of plan.appDecisions) if (d.until) untilOf.set(d.app, d.until);

  for (const [appIndex, t] of [...tags.entries()].sort((a, b) => a[0] - b[0])) {
    const app = plan.apps[appIndex];
    if (!app) continue;
    if (t.tag === "sanctioned") {
      for (const d of app.domains) if (!sanctioned.has(baseDomain(d))) sanctioned.set(baseDomain(d), app.name);
      continue;
    }
    const base: IndicatorAction = t.tag === "unsanctioned" ? "block" : "warn";
    const action: IndicatorAction = t.mode === "audit" ? "audit" : base;
    const policy = t.from.kind === "policy" ? plan.policies.find((p) => p.name === t.from.name) : undefined;
    const severity: IndicatorSeverity = policy ? policy.severity : base === "block" ? "medium" : "low";
    const rule = t.from.kind === "policy" ? `policy "${t.from.name}" (${TAG_VERB[t.tag]})` : t.from.name;
    const until = t.from.kind === "manual" ? untilOf.get(appIndex) : undefined;
    for (const d of new Set(app.domains.map(baseDomain))) {
      wanted.push(
        oneShape({
          kind: "domain",
          value: d,
          action,
          app: app.name,
          rule,
          source: t.from.source,
          severity,
          until: until || undefined,
          redirect: t.redirect || undefined,
          bypassSeconds: (base === "warn" && t.bypassSeconds) || undefined,
          scope: { include: t.scope.include, exclude: t.scope.exclude },
          note: undefined,
        }),
      );
    }
  }
  for (const m of plan.indicators) {
    const action: IndicatorAction = m.mode === "audit" && m.action !== "allow" ? "audit" : m.action;
    wanted.push(
      oneShape({
        kind: m.type,
        value: m.type === "domain" ? baseDomain(m.value) : m.value,
        action,
        app: undefined,
        rule: `${m.action} ${m.type} "${m.value}"`,
        source: m.source,
        severity: action === "block" ? "medium" : action === "warn" ? "low" : "informational",
        until: m.until || undefined,
        redirect: m.redirect || undefined,
        bypassSeconds: m.bypassSeconds || undefined,
        scope: { include: m.scope.include, exclude: m.scope.exclude },
        note: m.note || undefined,
      }),
    );
  }

  // Never-block: a Block or Warn on such a domain, under it, or above it would cut the
  // organisation off its own admin and security portals.
  const neverBlock = opts.neverBlock ?? defaultNeverBlock(plan);
  const nbAncestors = new Map<string, string>();
  for (const nb of neverBlock) for (const s of suffixes(nb)) if (!nbAncestors.has(s)) nbAncestors.set(s, nb);
  const nbSet = new Set(neverBlock);
  const kept: Indicator[] = [];
  for (const ind of wanted) {
    if (ind.action === "block" || ind.action === "warn") {
      const host = ind.kind === "domain" ? ind.value : ind.kind === "url" ? hostOfUrl(ind.value) : undefined;
      if (host !== undefined) {
        const under = suffixes(host).find((s) => nbSet.has(s));
        const above = nbAncestors.get(host);
        const hit = under ?? above;
        if (hit !== undefined) {
          notes.push({
            kind: "never-block",
            message: `not emitted: ${ind.action} ${ind.value} (${ind.rule}${ind.app ? `, app ${ind.app}` : ""}) would ${under !== undefined ? "block the never-block domain" : "also catch the never-block domain"} ${hit}`,
          });
          continue;
        }
      }
    }
    kept.push(ind);
  }

  // A parent-domain Block or Warn that also catches a sanctioned app's domain.
  const sancAncestors = new Map<string, { domain: string; app: string }[]>();
  for (const [d, app] of sanctioned) for (const s of suffixes(d)) (sancAncestors.get(s) ?? sancAncestors.set(s, []).get(s)!).push({ domain: d, app });
  const domainActions = new Map<string, Indicator[]>();
  for (const ind of kept) {
    if (ind.kind === "domain") (domainActions.get(ind.value) ?? domainActions.set(ind.value, []).get(ind.value)!).push(ind);
    if ((ind.action === "block" || ind.action === "warn") && ind.kind === "domain") {
      for (const s of sancAncestors.get(ind.value) ?? []) {
        if (s.app === ind.app) continue;
        notes.push({ kind: "sanctioned-caught", message: `${ind.action} ${ind.value} (${ind.rule}) also catches ${s.domain} of the sanctioned app ${s.app}; add \`allow domain "${s.domain}"\` if it must stay reachable` });
      }
    }
  }
  // URL decisions under a domain decision: Defender lets the longer path win.
  for (const ind of kept) {
    if (ind.kind !== "url") continue;
    const host = hostOfUrl(ind.value);
    if (!host) continue;
    for (const s of suffixes(host)) {
      for (const d of domainActions.get(s) ?? []) {
        if (d.action !== ind.action && underDomain(host, d.value)) {
          notes.push({ kind: "url-precedence", message: `${ind.action} ${ind.value} (${ind.rule}) wins over ${d.action} ${d.value} (${d.rule}) under that path: the longer URL wins` });
        }
      }
    }
  }
  const indicators = kept.sort(cmpIndicator);
  return { indicators, notes: dedupeNotes(notes) };
}

/**
 * Every indicator is built with all its fields, in one order (absent ones undefined), so all
 * have the same shape: the targets' loops over 30,000 of them then read properties at a fixed
 * place instead of looking each one up among a dozen shapes.
 */
function oneShape(f: { [K in keyof Required<Indicator>]: Indicator[K] | undefined }): Indicator {
  return f as Indicator;
}

export function dedupeNotes(notes: readonly IndicatorNote[]): IndicatorNote[] {
  const seen = new Set<string>();
  const out: IndicatorNote[] = [];
  for (const n of notes) {
    const k = `${n.kind}\u0000${n.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(n);
  }
  return out.sort((a, b) => cmpStr(a.kind, b.kind) || cmpStr(a.message, b.message));
}
