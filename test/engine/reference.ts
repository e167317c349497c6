import { tryScoreApp, type CatalogApp, type ScoreConfig } from "@sanction/catalog";
import type { Decision, Filter, FilterValue, Group, GroupMemberRule, Model, Policy, ScopeSpec } from "@sanction/semantics";

/*
 * A slow, obviously-correct REFERENCE INTERPRETER of Sanction's runtime semantics, for
 * differential tests against the compiler (`compile`) and the engine (`simulate`, `runTests`).
 *
 * It reads only the checked Model (`@sanction/semantics`) and the effective catalog's apps as
 * plain data, and re-derives everything else itself: domains are plain strings and the longest
 * match is found by comparing suffixes, filters are interpreted directly over the app, usage
 * lives in plain objects keyed by app id and day, scopes are re-evaluated per record. Nothing
 * comes from the compiler or the engine (no evalFilter, no HostMatcher, no UsageTable, no
 * GroupResolver, no ipInRange): a bug there cannot hide behind the same bug here.
 *
 * It is written for clarity, not speed: every step is a linear scan over everything.
 * Each piece quotes the rule it implements: "REF" is grammar/REFERENCE.md, "DOC" the code
 * documentation of the layer the rule belongs to.
 *
 * The one thing borrowed is catalog arithmetic: the risk score comes from `tryScoreApp`
 * (@sanction/catalog is data and arithmetic, below the compiler; its tests live elsewhere).
 */

// ---- inputs and outputs ----------------------------------------------------------------------

/** One request, with the same fields as the engine's record (kept separate on purpose). */
export interface RefRecord {
  readonly time: number;
  readonly user?: string;
  readonly device?: string;
  readonly srcIp?: string;
  readonly host?: string;
  readonly dstIp?: string;
  readonly url?: string;
  readonly bytesUp: number;
  readonly bytesDown: number;
  readonly deviceTags?: readonly string[];
  readonly userGroups?: readonly string[];
}

export interface RefState {
  /** app id → epoch ms first seen */
  readonly firstSeen: Record<string, number>;
  /** policy name → app id → epoch ms of the day of the last alert */
  readonly lastAlert: Record<string, Record<string, number>>;
}

export interface RefApp {
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly category: string;
  /** Rounded to two decimals, or undefined when the app cannot be scored. */
  readonly score: number | undefined;
  readonly hq: string | undefined;
  readonly domains: readonly string[];
  /** Tags declared in the workspace (`tag NAME` in `app` / `override app`). */
  readonly declaredTags: readonly string[];
  /** What `app.tags` holds for filters: declared tags plus the tags manual decisions give. */
  readonly filterTags: readonly string[];
  readonly attributes: CatalogApp["attributes"];
  readonly neverBlock: boolean;
}

export interface RefDayUsage {
  users: Set<string>;
  devices: Set<string>;
  ips: Set<string>;
  transactions: number;
  upload: number;
  download: number;
  first: number;
  last: number;
}

export type Metric = "users" | "devices" | "ips" | "transactions" | "upload" | "download" | "traffic";

export interface RefMatch {
  readonly policy: string;
  readonly app: string;
  readonly day: string;
}

export interface RefAlert {
  readonly policy: string;
  readonly app: string;
  readonly day: string;
  readonly severity: string;
}

export type RefTagName = "sanctioned" | "unsanctioned" | "monitored";

export interface RefTag {
  readonly tag: RefTagName;
  readonly mode: "audit" | "enforce";
  /** The policy name, or `sanction app "X"` style text for a manual decision. */
  readonly by: string;
  readonly manual: boolean;
  readonly scope: ScopeSpec;
  readonly bypassSeconds?: number;
}

export interface RefConflict {
  readonly app: string;
  readonly winner: RefTagName;
  readonly by: string;
  readonly lost: RefTagName;
  readonly lostBy: string;
}

export type VerdictKind = "allow" | "audit" | "warn" | "block";
export interface RefVerdict {
  readonly verdict: VerdictKind;
  readonly bypassed: boolean;
  /** Id of the app the host belongs to, if any. */
  readonly app: string | undefined;
}

export interface RefResult {
  /** Every app of the effective catalog, sorted by id. */
  readonly apps: readonly RefApp[];
  /** app id → UTC day → usage. */
  readonly usage: ReadonlyMap<string, ReadonlyMap<string, RefDayUsage>>;
  /** Traffic to hosts no app claims, by registrable domain. */
  readonly unknown: ReadonlyMap<string, { users: Set<string>; devices: Set<string>; transactions: number; bytes: number; hosts: Set<string> }>;
  readonly totals: { records: number; attributed: number; unknown: number; withoutHost: number };
  readonly matches: readonly RefMatch[];
  readonly alerts: readonly RefAlert[];
  readonly suppressed: readonly RefMatch[];
  /** app id → governance tag. */
  readonly tags: ReadonlyMap<string, RefTag>;
  /** app id → every tag in force, in the order a request consults them (see step 4). */
  readonly layers: ReadonlyMap<string, readonly RefTag[]>;
  /** app id → custom tags added by policies (`then tag NAME`). */
  readonly custom: ReadonlyMap<string, ReadonlySet<string>>;
  readonly conflicts: readonly RefConflict[];
  /** One per input record, in input order. */
  readonly verdicts: readonly RefVerdict[];
  readonly state: RefState;
}

export interface RefInput {
  readonly model: Model;
  /** The apps of the effective catalog (workspace apps merged), in any order. */
  readonly apps: readonly CatalogApp[];
  /** Date age-based risk attributes are measured at (the compiler's `asOf`). */
  readonly asOf: string;
  readonly records: readonly RefRecord[];
  readonly state?: RefState;
}

// ---- time ------------------------------------------------------------------------------------

export const DAY = 86_400_000;

/** DOC (engine record.ts): "UTC day of an epoch-ms time, `YYYY-MM-DD`: the unit of 'all thresholds on the same day'". */
export function utcDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Midnight UTC starting a `YYYY-MM-DD` day. */
export function midnight(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/**
 * REF: "`until DATE` — the decision expires at that date"; a date is `2027-01-01` or an ISO
 * date-time (`2027-01-01T12:00:00Z`). A plain date expires at its midnight UTC, a date-time at
 * that instant.
 */
export function expiresAt(until: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(until) ? midnight(until) : Date.parse(until);
}

// ---- hosts and domains -----------------------------------------------------------------------

/**
 * The host a record asks for: its `host`, else the host of its `url`. Traffic readers give
 * hosts lowercased without a trailing dot; a URL's host is lowercased by URL parsing and its
 * trailing dot dropped here.
 */
export function hostOfRecord(r: RefRecord): string | undefined {
  if (r.host) return r.host;
  if (!r.url) return undefined;
  let h: string;
  try {
    h = new URL(r.url).hostname; // WHATWG URL parsing: lowercase, no port, no user info
  } catch {
    return undefined;
  }
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

/**
 * REF: "In an app's `domains`, `contosodrive.com` matches that host only; `*.contosodrive.net`
 * matches `contosodrive.net` itself and every subdomain."
 */
export function patternCovers(pattern: string, host: string): boolean {
  if (pattern.startsWith("*.")) {
    const name = pattern.slice(2);
    return host === name || host.endsWith("." + name);
  }
  return host === pattern;
}

const labelCount = (name: string) => name.split(".").length;

/**
 * The app a host belongs to. DOC (catalog types.ts): "the app whose domain pattern is the
 * longest suffix of the host (an exact name, or a `*.` subtree containing it)"; DOC (matcher):
 * "the longest name in labels wins; on a tie the exact pattern wins"; DOC (compiler matchers
 * stage): "Domain patterns claimed by more than one app: the first app (by id) keeps it".
 */
export function appForHost(apps: readonly RefApp[], host: string): RefApp | undefined {
  let best: { app: RefApp; labels: number; exact: boolean } | undefined;
  for (const app of apps) {
    // `apps` is sorted by id, so on an identical pattern the first app found keeps it
    for (const pattern of app.domains) {
      if (!patternCovers(pattern, host)) continue;
      const exact = !pattern.startsWith("*.");
      const labels = labelCount(exact ? pattern : pattern.slice(2));
      const better = !best || labels > best.labels || (labels === best.labels && exact && !best.exact);
      if (better) best = { app, labels, exact };
    }
  }
  return best?.app;
}

/**
 * A tiny public suffix list, enough for the hosts the tests generate: the ICANN suffixes
 * `com`, `net`, `org`, `io`, `uk`, `co.uk`, `example` and the private suffix `github.io`.
 * DOC (engine aggregate.ts): "Traffic to a host no app claims, kept by registrable domain".
 */
export const PUBLIC_SUFFIXES: readonly string[] = ["com", "net", "org", "io", "uk", "co.uk", "example", "github.io"];

/** The registrable domain: the longest public suffix of the host plus one label; the host itself when it has none. */
export function registrableDomain(host: string): string {
  let best: string | undefined;
  for (const s of PUBLIC_SUFFIXES) {
    if (host.endsWith("." + s) && (!best || s.length > best.length)) best = s;
  }
  if (!best) return host;
  const rest = host.slice(0, host.length - best.length - 1);
  const label = rest.slice(rest.lastIndexOf(".") + 1);
  return `${label}.${best}`;
}

// ---- IPv4 ------------------------------------------------------------------------------------

function ipv4(addr: string): number | undefined {
  const parts = addr.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Is the IPv4 address inside the address or CIDR range? (The generated tests use IPv4 only.) */
export function ipv4InRange(addr: string, range: string): boolean {
  const [net, bits] = range.split("/");
  const a = ipv4(addr);
  const n = ipv4(net!);
  if (a === undefined || n === undefined) return false;
  const prefix = bits === undefined ? 32 : Number(bits);
  // compare the leading `prefix` bits, by integer division (no bit tricks)
  const size = 2 ** (32 - prefix);
  return Math.floor(a / size) === Math.floor(n / size);
}

// ---- groups and scopes -----------------------------------------------------------------------

/** REF: "`matches` takes a glob: `*` any run of characters, `?` one character." Case-insensitive, whole string. */
export function globMatches(glob: string, text: string): boolean {
  const g = glob.toLowerCase();
  const s = text.toLowerCase();
  // plain recursive matcher, no regular expressions
  const at = (i: number, j: number): boolean => {
    if (i === g.length) return j === s.length;
    if (g[i] === "*") {
      for (let k = j; k <= s.length; k++) if (at(i + 1, k)) return true;
      return false;
    }
    if (j === s.length) return false;
    return (g[i] === "?" || g[i] === s[j]) && at(i + 1, j + 1);
  };
  return at(0, 0);
}

/**
 * REF (Groups): selectors `device.tag`, `device.name`, `user`, `user.group`, `ip`; operators
 * `==`, `!=`, `in`, `matches`. Names compare without regard to case (a UPN or a device name
 * is case-insensitive); `ip` values are addresses or ranges. `!=` holds when the record has
 * the attribute and no value of it equals the rule's value.
 */
function ruleHolds(rule: GroupMemberRule, r: RefRecord): boolean {
  const subjects: readonly string[] =
    rule.selector === "device.name"
      ? r.device
        ? [r.device]
        : []
      : rule.selector === "device.tag"
        ? (r.deviceTags ?? [])
        : rule.selector === "user"
          ? r.user
            ? [r.user]
            : []
          : rule.selector === "user.group"
            ? (r.userGroups ?? [])
            : r.srcIp
              ? [r.srcIp]
              : [];
  const one = (subject: string, value: string): boolean =>
    rule.selector === "ip" ? ipv4InRange(subject, value) : rule.op === "matches" ? globMatches(value, subject) : subject.toLowerCase() === value.toLowerCase();
  const some = subjects.some((s) => rule.values.some((v) => one(s, v)));
  if (rule.op === "!=") return subjects.length > 0 && !some;
  return some;
}

/** REF: "Members … combine with OR: a device or user belongs to the group when any member matches." */
export function groupsOf(groups: readonly Group[], r: RefRecord): string[] {
  return groups.filter((g) => g.rules.some((rule) => ruleHolds(rule, r))).map((g) => g.name);
}

/**
 * REF: "`scope all`, `scope marketing, sales`, `scope all except marketing, contractors` — the
 * device and user groups the policy's indicators apply to (default: all)."
 */
export function inScope(groups: readonly Group[], r: RefRecord, scope: ScopeSpec): boolean {
  const mine = groupsOf(groups, r);
  const included = scope.include === undefined || scope.include.some((g) => mine.includes(g));
  const excluded = scope.exclude.some((g) => mine.includes(g));
  return included && !excluded;
}

// ---- filters ---------------------------------------------------------------------------------

/** What a filter reads: `app.name`, `app.vendor`, `app.category`, `app.score`, `app.hq`, or a risk attribute (known values only). */
function readAttribute(app: RefApp, attribute: string): FilterValue | undefined {
  switch (attribute) {
    case "name":
      return app.name;
    case "vendor":
      return app.vendor;
    case "category":
      return app.category;
    case "score":
      return app.score;
    case "hq":
      return app.hq;
  }
  const v = app.attributes[attribute];
  return v && v.known ? v.value : undefined;
}

/** Equality of filter values; strings compare without regard to case (names, vendors, categories). */
function same(a: FilterValue, b: FilterValue): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** REF: "compare (ordering only for numbers and dates)"; dates are ISO strings, so they order as text. */
function ordered(a: FilterValue, op: string, b: FilterValue): boolean {
  const both = (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
  if (!both) return false;
  if (op === "<") return a < b;
  if (op === "<=") return a <= b;
  if (op === ">") return a > b;
  return a >= b;
}

/** `app.domain`: "any of the app's domains"; `*.x.com` counts as the domain `x.com`. */
const bareDomain = (d: string) => (d.startsWith("*.") ? d.slice(2) : d);

/**
 * A `when` filter over one app. DOC (compiler filter-eval.ts), two-valued on purpose: "a
 * comparison with an unknown value is false, `not` is plain negation, a bare boolean attribute
 * means 'known to be true', and `lacks_any` (compliance templates) holds when any listed
 * attestation is not known to be true". REF: "`PATH in [V, …]` one of the values; `PATH in
 * A..B` a number between A and B, both included; `app.tags contains NAME` the app carries the
 * tag; `PATH matches "GLOB"` a string or domain matches a glob".
 */
export function filterHolds(f: Filter, app: RefApp): boolean {
  switch (f.kind) {
    case "and":
      return f.args.every((x) => filterHolds(x, app));
    case "or":
      return f.args.some((x) => filterHolds(x, app));
    case "not":
      return !filterHolds(f.arg, app);
    case "truthy":
      return readAttribute(app, f.attribute) === true;
    case "lacks_any":
      return f.attributes.some((a) => readAttribute(app, a) !== true);
    case "contains":
      return app.filterTags.includes(f.value);
    case "range": {
      const v = readAttribute(app, f.attribute);
      return typeof v === "number" && f.from <= v && v <= f.to;
    }
    case "in": {
      if (f.attribute === "domain") return app.domains.some((d) => f.values.some((x) => bareDomain(d) === bareDomain(String(x))));
      const v = readAttribute(app, f.attribute);
      return v !== undefined && f.values.some((x) => same(v, x));
    }
    case "matches": {
      if (f.attribute === "domain") return app.domains.some((d) => globMatches(f.pattern, bareDomain(d)));
      const v = readAttribute(app, f.attribute);
      return typeof v === "string" && globMatches(f.pattern, v);
    }
    case "compare": {
      if (f.attribute === "domain") {
        const has = app.domains.some((d) => bareDomain(d) === bareDomain(String(f.value)));
        return f.op === "==" ? has : f.op === "!=" ? !has : false;
      }
      const v = readAttribute(app, f.attribute);
      if (v === undefined) return false; // unknown: every comparison is false
      if (f.op === "==") return same(v, f.value);
      if (f.op === "!=") return !same(v, f.value);
      return ordered(v, f.op, f.value);
    }
  }
}

function holds(observed: number, op: string, bound: number): boolean {
  if (op === ">") return observed > bound;
  if (op === ">=") return observed >= bound;
  if (op === "<") return observed < bound;
  return observed <= bound;
}

/**
 * Can this policy ever match this app, whatever the usage? REF: the `when` filter, and for
 * `new_risky_app` the template's `score < N` bound ("an app that cannot be scored has no score
 * to compare": unknown, so false).
 */
export function policyAccepts(p: Policy, app: RefApp): boolean {
  if (p.filter && !filterHolds(p.filter, app)) return false;
  for (const t of p.thresholds) {
    if (t.param !== "score") continue;
    if (app.score === undefined || !holds(app.score, t.op, t.value)) return false;
  }
  return true;
}

export function metricOf(u: RefDayUsage, m: Metric): number {
  switch (m) {
    case "users":
      return u.users.size;
    case "devices":
      return u.devices.size;
    case "ips":
      return u.ips.size;
    case "transactions":
      return u.transactions;
    case "upload":
      return u.upload;
    case "download":
      return u.download;
    case "traffic":
      return u.upload + u.download;
  }
}

// ---- the interpreter -------------------------------------------------------------------------

const RANK: Record<RefTagName, number> = { unsanctioned: 3, monitored: 2, sanctioned: 1 };
const TAG_OF: Record<string, RefTagName> = { sanction: "sanctioned", unsanction: "unsanctioned", monitor: "monitored" };
/** REF: "On one indicator value with several actions: Allow > Warn > Block (then Audit, which only logs)". */
const STRENGTH: Record<string, number> = { allow: 4, warn: 3, block: 2, audit: 1 };
const DEFAULT_DAILY_LIMIT = 5;
const DEFAULT_BYPASS_SECONDS = 24 * 3600;
const NINETY_DAYS = 90 * DAY;

/** The effective catalog as the reference sees it: sorted by id, scored, with declared tags. */
export function referenceApps(model: Model, apps: readonly CatalogApp[], asOf: string): RefApp[] {
  const score: ScoreConfig = { ...model.score, asOf };
  return [...apps]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((app) => {
      const s = tryScoreApp(app, score);
      // DOC (compiler apps stage): "Scores are shown and compared at two decimals"
      const rounded = s === undefined ? undefined : Math.round(s * 100) / 100;
      const declaredTags = [...new Set(model.apps.filter((d) => d.name.toLowerCase() === app.name.toLowerCase()).flatMap((d) => d.tags))].sort();
      // REF: "`app.tags` holds the tags declared for the app and the governance tags that manual
      // decisions give it (not those that policies give)".
      const manualTags = model.decisions.filter((d) => d.target === "app" && d.value.toLowerCase() === app.name.toLowerCase()).map((d) => TAG_OF[d.verb]!);
      return {
        id: app.id,
        name: app.name,
        vendor: app.vendor,
        category: app.category,
        score: rounded,
        hq: app.hq,
        domains: app.domains,
        declaredTags,
        filterTags: [...new Set([...declaredTags, ...manualTags])],
        attributes: app.attributes,
        neverBlock: app.neverBlock === true,
      };
    });
}

export function runReference(input: RefInput): RefResult {
  const { model, records } = input;
  const apps = referenceApps(model, input.apps, input.asOf);
  const appIndex = (id: string) => apps.findIndex((a) => a.id === id);
  const prior: RefState = input.state ?? { firstSeen: {}, lastAlert: {} };

  // -- 1. usage per app per UTC day ------------------------------------------------------------
  // DOC (engine simulate.ts): "Pass one attributes every request to an app (longest domain
  // match) and aggregates usage per app per UTC day." REF thresholds: users = distinct users,
  // devices = distinct devices, ips = distinct source IP addresses, transactions = requests
  // (log lines), upload / download = bytes, traffic = bytes up plus down.
  const usage = new Map<string, Map<string, RefDayUsage>>();
  const unknown = new Map<string, { users: Set<string>; devices: Set<string>; transactions: number; bytes: number; hosts: Set<string> }>();
  const totals = { records: 0, attributed: 0, unknown: 0, withoutHost: 0 };
  const firstInRun = new Map<string, number>();
  for (const r of records) {
    totals.records++;
    const host = hostOfRecord(r);
    if (!host) {
      // records without a host are counted, not lost
      totals.withoutHost++;
      continue;
    }
    const app = appForHost(apps, host);
    if (!app) {
      totals.unknown++;
      const domain = registrableDomain(host);
      const u = unknown.get(domain) ?? { users: new Set<string>(), devices: new Set<string>(), transactions: 0, bytes: 0, hosts: new Set<string>() };
      unknown.set(domain, u);
      if (r.user) u.users.add(r.user);
      if (r.device) u.devices.add(r.device);
      u.transactions++;
      u.bytes += r.bytesUp + r.bytesDown;
      u.hosts.add(host);
      continue;
    }
    totals.attributed++;
    const days = usage.get(app.id) ?? new Map<string, RefDayUsage>();
    usage.set(app.id, days);
    const day = utcDay(r.time);
    const u = days.get(day) ?? { users: new Set<string>(), devices: new Set<string>(), ips: new Set<string>(), transactions: 0, upload: 0, download: 0, first: Infinity, last: -Infinity };
    days.set(day, u);
    if (r.user) u.users.add(r.user);
    if (r.device) u.devices.add(r.device);
    if (r.srcIp) u.ips.add(r.srcIp);
    u.transactions++;
    u.upload += r.bytesUp;
    u.download += r.bytesDown;
    u.first = Math.min(u.first, r.time);
    u.last = Math.max(u.last, r.time);
    firstInRun.set(app.id, Math.min(firstInRun.get(app.id) ?? Infinity, r.time));
  }

  // The report lists at most 20 example hosts per unknown domain: the alphabetically first,
  // so that the list does not depend on record order or on how records were split.
  for (const u of unknown.values()) u.hosts = new Set([...u.hosts].sort().slice(0, 20));

  // DOC (engine state.ts): "when each app was first seen (so 'new app' means new since the first
  // run, not new in this log)".
  const firstSeen = (id: string): number | undefined => {
    const candidates = [prior.firstSeen[id], firstInRun.get(id)].filter((x): x is number => x !== undefined);
    return candidates.length ? Math.min(...candidates) : undefined;
  };

  // -- 2. policy matches -----------------------------------------------------------------------
  // REF: "All thresholds of a policy must hold on the same day"; "`first seen within 7d` keeps
  // apps first seen in the last 7 days". DOC (engine evaluate.ts): "the day lies inside the
  // window after the app was first seen. Policies act on discovered apps only: an app with no
  // traffic never matches." The window counts whole UTC days: `within Nd` holds on the day the
  // app was first seen and the N-1 days after it.
  const matches: RefMatch[] = [];
  for (const p of model.policies) {
    for (const app of apps) {
      if (!policyAccepts(p, app)) continue;
      const days = usage.get(app.id);
      if (!days) continue;
      for (const day of [...days.keys()].sort()) {
        if (p.firstSeenWithin !== undefined) {
          const fs = firstSeen(app.id)!;
          const windowDays = Math.round(p.firstSeenWithin / 86400);
          const daysSinceFirst = (midnight(day) - midnight(utcDay(fs))) / DAY;
          if (daysSinceFirst >= windowDays) continue;
        }
        const u = days.get(day)!;
        const allHold = p.thresholds.filter((t) => t.param !== "score").every((t) => holds(metricOf(u, t.param as Metric), t.op, t.value));
        if (allHold) matches.push({ policy: p.name, app: app.id, day });
      }
    }
  }

  // -- 3. alerts -------------------------------------------------------------------------------
  // DOC (engine evaluate.ts): "Alerts from matches, in day order: at most one per app per
  // policy per 90 days (remembered in the state across runs), and at most the policy's daily
  // limit per day." REF: "`limit: N` — at most N alerts a day for this policy"; the default
  // daily limit is Defender's, 5. Within a day, policies in name order and apps in id order.
  const lastAlert: Record<string, Record<string, number>> = JSON.parse(JSON.stringify(prior.lastAlert));
  const alerts: RefAlert[] = [];
  const suppressed: RefMatch[] = [];
  const policyByName = new Map(model.policies.map((p) => [p.name, p]));
  const inOrder = [...matches].sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.policy !== b.policy ? (a.policy < b.policy ? -1 : 1) : appIndex(a.app) - appIndex(b.app)));
  const alertedToday = new Map<string, number>();
  // "at most N alerts a day" holds across runs: alerts an earlier run raised count toward their
  // day's limit (the state keeps, per policy and app, the day of the last alert)
  for (const [policy, apps] of Object.entries(prior.lastAlert)) {
    for (const t of Object.values(apps)) {
      const key = `${policy} on ${utcDay(t)}`;
      alertedToday.set(key, (alertedToday.get(key) ?? 0) + 1);
    }
  }
  for (const m of inOrder) {
    const p = policyByName.get(m.policy)!;
    const alert = p.actions.find((a) => a.kind === "alert");
    if (!alert || alert.kind !== "alert") continue;
    const t = midnight(m.day);
    const prev = lastAlert[m.policy]?.[m.app];
    if (prev !== undefined && prev <= t && t < prev + NINETY_DAYS) {
      // already alerted within 90 days (a repeat of the alert's own day is not reported)
      if (t !== prev) suppressed.push(m);
      continue;
    }
    const key = `${m.policy} on ${m.day}`;
    const n = alertedToday.get(key) ?? 0;
    if (n >= (alert.dailyLimit ?? DEFAULT_DAILY_LIMIT)) {
      suppressed.push(m);
      continue;
    }
    alertedToday.set(key, n + 1);
    (lastAlert[m.policy] ??= {})[m.app] = t;
    alerts.push({ policy: m.policy, app: m.app, day: m.day, severity: p.severity });
  }

  // -- 4. tags ---------------------------------------------------------------------------------
  // REF Precedence 1: "Manual decisions win over policies." 2: "Among policies, the most
  // restrictive tag wins: unsanctioned > monitored > sanctioned. The conflicting policies are
  // reported." A policy that matched on any day proposes its tag action and adds its custom
  // tags. DOC (engine evaluate.ts): "`asOf` (end of the traffic window) expires `until`
  // decisions"; on equal rank the policy first by name wins.
  const endOfWindow = records.length ? Math.max(...records.map((r) => r.time)) : 0;
  const matchedPairs = new Set(matches.map((m) => `${m.policy}\u0000${m.app}`));
  const custom = new Map<string, Set<string>>();
  const proposals = new Map<string, RefTag[]>();
  for (const p of model.policies) {
    for (const app of apps) {
      if (!matchedPairs.has(`${p.name}\u0000${app.id}`)) continue;
      for (const a of p.actions) {
        if (a.kind === "tag") {
          const set = custom.get(app.id) ?? new Set<string>();
          set.add(a.tag);
          custom.set(app.id, set);
        } else if (a.kind === "sanction" || a.kind === "unsanction" || a.kind === "monitor") {
          const list = proposals.get(app.id) ?? [];
          list.push({ tag: TAG_OF[a.kind]!, mode: p.mode, by: p.name, manual: false, scope: p.scope, ...(a.kind === "monitor" && a.bypassSeconds ? { bypassSeconds: a.bypassSeconds } : {}) });
          proposals.set(app.id, list);
        }
      }
    }
  }
  // REF: several manual decisions on one app apply each in its own scope; a request takes the
  // first tag whose scope holds its device, consulting manual decisions (those naming groups
  // first, then "all except …", then everyone) before policies (most restrictive first).
  const manual = new Map<string, RefTag[]>();
  for (const d of model.decisions) {
    if (d.target !== "app") continue;
    const app = apps.find((a) => a.name.toLowerCase() === d.value.toLowerCase());
    if (!app) continue;
    if (d.until !== undefined && expiresAt(d.until) <= endOfWindow) continue; // expired
    const tag = TAG_OF[d.verb]!;
    const list = manual.get(app.id) ?? [];
    list.push({ tag, mode: d.mode, by: `${d.verb} app "${app.name}"`, manual: true, scope: d.scope, ...(d.bypassSeconds ? { bypassSeconds: d.bypassSeconds } : {}) });
    manual.set(app.id, list);
  }
  const breadth = (t: RefTag) => (t.scope.include !== undefined ? 0 : t.scope.exclude.length ? 1 : 2);
  const tags = new Map<string, RefTag>();
  const layers = new Map<string, RefTag[]>();
  const conflicts: RefConflict[] = [];
  for (const app of apps) {
    const fromPolicies = [...(proposals.get(app.id) ?? [])].sort((a, b) => RANK[b.tag] - RANK[a.tag] || (a.by < b.by ? -1 : a.by > b.by ? 1 : 0));
    const manuals = [...(manual.get(app.id) ?? [])].sort((a, b) => breadth(a) - breadth(b));
    const winner = manuals[0] ?? fromPolicies[0];
    if (!winner) continue;
    tags.set(app.id, winner);
    layers.set(app.id, [...manuals, ...fromPolicies]);
    for (const loser of fromPolicies) {
      if (loser !== winner && loser.tag !== winner.tag) conflicts.push({ app: app.name, winner: winner.tag, by: winner.by, lost: loser.tag, lostBy: loser.by });
    }
  }

  // -- 5. verdicts -----------------------------------------------------------------------------
  const verdicts = verdictsFor(model, apps, layers, records);

  // -- 6. the state for the next run ----------------------------------------------------------
  const nextFirstSeen: Record<string, number> = { ...prior.firstSeen };
  for (const id of firstInRun.keys()) nextFirstSeen[id] = firstSeen(id)!;

  return { apps, usage, unknown, totals, matches, alerts, suppressed, tags, layers, custom, conflicts, verdicts, state: { firstSeen: nextFirstSeen, lastAlert } };
}

// ---- verdicts --------------------------------------------------------------------------------

/** REF: a URL indicator covers the URL itself and everything under its path ("a URL over the domain it lies in"). */
export function urlCovers(indicator: string, url: string): boolean {
  if (url === indicator) return true;
  const dir = indicator.endsWith("/") ? indicator : indicator + "/";
  return url.startsWith(dir) || url.startsWith(indicator + "?");
}

/** REF: "A manual decision on a domain always covers its subdomains". */
export function domainCovers(decided: string, host: string): boolean {
  return host === decided || host.endsWith("." + decided);
}

/**
 * The verdict an endpoint gives each request, once the final tags are known. REF Precedence:
 * 3. "Tags become indicators: an unsanctioned app's domains get Block indicators, a monitored
 *    app's get Warn, a sanctioned app's get none; in `mode audit` they get Audit instead."
 * 4. "For one request, the most specific indicator decides: a URL over the domain it lies in, a
 *    longer URL path over a shorter one, and a more specific domain over its parent."
 * 5. "On one indicator value with several actions: Allow > Warn > Block (then Audit)."
 * DOC (engine verdicts.ts): "URL indicators first (the longest URL wins), then domain
 * indicators (the most specific domain wins), then IP indicators, then the app's tag.
 * Decisions out of their scope or past `until` do not apply. A warn lets the same user through
 * for the bypass duration (24 h unless set). Apps on the never-block list are allowed."
 *
 * Warnings and bypasses happen in time order (records of equal time in input order).
 */
export function verdictsFor(model: Model, apps: readonly RefApp[], layers: ReadonlyMap<string, readonly RefTag[]>, records: readonly RefRecord[]): RefVerdict[] {
  const indicators = model.decisions.filter((d) => d.target !== "app");
  const order = records.map((r, i) => ({ r, i })).sort((a, b) => a.r.time - b.r.time || a.i - b.i);
  const bypassUntil = new Map<string, number>();
  const out: RefVerdict[] = new Array(records.length);
  for (const { r, i } of order) {
    const host = hostOfRecord(r);
    const app = host ? appForHost(apps, host) : undefined;
    // which indicator or tag decides, as (kind, mode, rule key, bypass)
    let decided: { kind: VerdictKind; key: string; bypassSeconds?: number } | undefined;

    const applies = (d: Decision) => (d.until === undefined || r.time < expiresAt(d.until)) && inScope(model.groups, r, d.scope);
    const strongest = (list: readonly Decision[]) => [...list].sort((a, b) => STRENGTH[b.verb]! - STRENGTH[a.verb]!)[0];
    const outcome = (d: Decision): VerdictKind => (d.verb === "allow" ? "allow" : d.mode === "audit" ? "audit" : (d.verb as VerdictKind));

    // URL indicators: the longest covering URL that applies; on equal URLs the strongest action
    if (r.url) {
      const covering = indicators.filter((d) => d.target === "url" && urlCovers(d.value, r.url!) && applies(d));
      const longest = Math.max(-1, ...covering.map((d) => d.value.length));
      const d = strongest(covering.filter((x) => x.value.length === longest));
      if (d) decided = { kind: outcome(d), key: `indicator ${d.value}`, ...(d.bypassSeconds ? { bypassSeconds: d.bypassSeconds } : {}) };
    }
    // domain indicators: the most specific covering domain that applies
    if (!decided && host) {
      const covering = indicators.filter((d) => d.target === "domain" && domainCovers(d.value, host) && applies(d));
      const most = Math.max(-1, ...covering.map((d) => labelCount(d.value)));
      const d = strongest(covering.filter((x) => labelCount(x.value) === most));
      if (d) decided = { kind: outcome(d), key: `indicator ${d.value}`, ...(d.bypassSeconds ? { bypassSeconds: d.bypassSeconds } : {}) };
    }
    // IP indicators on the destination address
    if (!decided && r.dstIp) {
      const covering = indicators.filter((d) => d.target === "ip" && ipv4InRange(r.dstIp!, d.value) && applies(d));
      const d = strongest(covering);
      if (d) decided = { kind: outcome(d), key: `indicator ${d.value}`, ...(d.bypassSeconds ? { bypassSeconds: d.bypassSeconds } : {}) };
    }
    // the app's tag, inside the tag's scope
    if (!decided && app) {
      const t = (layers.get(app.id) ?? []).find((l) => inScope(model.groups, r, l.scope));
      if (t) {
        const kind: VerdictKind = t.tag === "sanctioned" ? "allow" : t.mode === "audit" ? "audit" : t.tag === "unsanctioned" ? "block" : "warn";
        decided = { kind, key: `app ${app.id}`, ...(t.bypassSeconds ? { bypassSeconds: t.bypassSeconds } : {}) };
      }
    }
    let verdict: VerdictKind = decided?.kind ?? "allow";
    let bypassed = false;
    // never-block apps (admin and sign-in portals) are never blocked or warned
    if ((verdict === "block" || verdict === "warn") && app?.neverBlock) verdict = "allow";
    if (verdict === "warn") {
      // the same user (else device, else address) through the same rule, within the bypass window
      const who = `${r.user ?? r.device ?? r.srcIp ?? "?"} via ${decided!.key}`;
      const until = bypassUntil.get(who);
      if (until !== undefined && r.time < until) {
        verdict = "allow";
        bypassed = true;
      } else {
        bypassUntil.set(who, r.time + (decided!.bypassSeconds ?? DEFAULT_BYPASS_SECONDS) * 1000);
      }
    }
    out[i] = { verdict, bypassed, app: app?.id };
  }
  return out;
}

/** Convenience for tests: the per-day metrics of one app, as plain numbers. */
export function dayMetrics(u: RefDayUsage): Record<Metric, number> {
  return {
    users: u.users.size,
    devices: u.devices.size,
    ips: u.ips.size,
    transactions: u.transactions,
    upload: u.upload,
    download: u.download,
    traffic: u.upload + u.download,
  };
}
