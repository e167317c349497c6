import fc from "fast-check";
import type { AttributeValue, CatalogApp } from "@sanction/catalog";
import type { Filter } from "@sanction/semantics";
import { DAY, midnight, type RefRecord, type RefState } from "./reference.js";

/*
 * Generators for the engine differential tests: small catalogs whose domains nest (so the
 * longest match matters), policy workspaces written as SOURCE TEXT (so the parser and the
 * checker run on them), and traffic over a few days, users and devices.
 *
 * The policy text is built to type-check: names come from the generated catalog, groups are
 * declared before they are scoped to, each app gets at most one manual decision, a policy
 * takes at most one of sanction/unsanction/monitor. The few cases the checker still rejects
 * are skipped by the tests (and counted, so a generator drifting into errors is noticed).
 */

/** `numRuns`: FC_RUNS from the environment, else `fallback`; at most `cap` when given. */
export function runs(fallback: number, cap = Infinity): number {
  const n = Number(process.env["FC_RUNS"]);
  return Math.min(Number.isInteger(n) && n > 0 ? n : fallback, cap);
}

// ---- catalog ---------------------------------------------------------------------------------

/** Domain patterns that nest: `x.com` ⊂ `*.x.com`, `a.x.com` ⊂ `*.a.x.com` ∋ `b.a.x.com`, … */
export const PATTERNS = [
  "x.com",
  "*.x.com",
  "a.x.com",
  "*.a.x.com",
  "b.a.x.com",
  "files.x.com",
  "y.net",
  "*.y.net",
  "c.y.net",
  "*.c.y.net",
  "z.co.uk",
  "*.z.co.uk",
  "www.z.co.uk",
] as const;

const bare = (p: string) => (p.startsWith("*.") ? p.slice(2) : p);

/** Hosts traffic goes to: every pattern's name, names below them, and hosts no app claims. */
export const HOSTS: readonly string[] = [
  ...new Set([
    ...PATTERNS.map(bare),
    ...PATTERNS.map((p) => "www." + bare(p)),
    ...PATTERNS.map((p) => "deep.q." + bare(p)),
    "zed.io",
    "app.zed.io",
    "unknown.com",
    "www.unknown.com",
    "shop.other.co.uk",
    "other.co.uk",
    "foo.github.io",
    "bar.foo.github.io",
    "site.org",
    "cdn.thing.io",
  ]),
].sort();

export const CATEGORIES = ["cloud_storage", "collaboration", "crm", "social_network"] as const;
export const APP_IDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"] as const;
/** Names deliberately not in id order, so "sorted by id" and "sorted by name" differ. */
const APP_NAMES: Record<string, string> = { alpha: "Zulu Drive", bravo: "Bravo Chat", charlie: "Able CRM", delta: "Delta Share", echo: "Echo Meet", foxtrot: "Fox Social" };

const BOOL_ATTRIBUTES = ["security.mfa", "compliance.soc2", "compliance.ssae16", "compliance.isae3402", "compliance.pci_dss", "compliance.iso27001", "compliance.hipaa"] as const;
const PROVENANCE = { source: "generated", date: "2026-01-01" };

const known = (value: boolean | number | string): AttributeValue => ({ known: true, value, provenance: PROVENANCE });

const arbAttributes = (): fc.Arbitrary<Record<string, AttributeValue>> =>
  fc
    .record({
      bools: fc.array(fc.tuple(fc.constantFrom(...BOOL_ATTRIBUTES), fc.boolean()), { maxLength: 6 }),
      popularity: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
      founded: fc.option(fc.integer({ min: 1990, max: 2020 }), { nil: undefined }),
      protocol: fc.option(fc.constantFrom("ssl3", "tls1_0", "tls1_2", "tls1_3"), { nil: undefined }),
    })
    .map(({ bools, popularity, founded, protocol }) => {
      const out: Record<string, AttributeValue> = {};
      for (const [id, v] of bools) out[id] = known(v);
      if (popularity !== undefined) out["general.consumer_popularity"] = known(popularity);
      if (founded !== undefined) out["general.founded"] = known(founded);
      if (protocol !== undefined) out["security.encryption_protocol"] = known(protocol);
      return out;
    });

export const arbCatalogApps = (): fc.Arbitrary<CatalogApp[]> =>
  fc
    .uniqueArray(fc.constantFrom(...APP_IDS), { minLength: 2, maxLength: 5 })
    .chain((ids) =>
      fc.tuple(
        ...ids.map((id) =>
          fc.record({
            category: fc.constantFrom(...CATEGORIES),
            vendor: fc.constantFrom("Vendor A", "Vendor B", "vendor a"),
            domains: fc.uniqueArray(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 3 }),
            hq: fc.option(fc.constantFrom("US", "GB", "FR"), { nil: undefined }),
            attributes: arbAttributes(),
            /** one app in ten is an admin portal that must never be blocked */
            portal: fc.integer({ min: 0, max: 9 }),
          }).map((r): CatalogApp => ({
            id,
            name: APP_NAMES[id]!,
            vendor: r.vendor,
            category: r.category,
            domains: r.domains,
            ...(r.hq ? { hq: r.hq } : {}),
            attributes: r.attributes,
            origin: "curated",
            ...(r.portal === 0 ? { neverBlock: true } : {}),
          })),
        ),
      ),
    );

// ---- filters (with their meaning, to check the parser's precedence) --------------------------

/** A filter expression: its text and the Filter it must mean (spans left out; the reference ignores them). */
export interface Expr {
  readonly text: string;
  /** 1 or, 2 and, 3 not, 4 atom: how tightly the text binds. */
  readonly prec: number;
  readonly filter: Filter;
}

const NO_SPAN = { file: "", start: 0, end: 0 };
/** A Filter without its span (distributes over the union). */
type NoSpan<T> = T extends unknown ? Omit<T, "span"> : never;
const atom = (text: string, filter: NoSpan<Filter>): Expr => ({ text, prec: 4, filter: { ...filter, span: NO_SPAN } as Filter });

function atoms(names: readonly string[]): fc.Arbitrary<Expr> {
  const name = names[0] ?? "Zulu Drive";
  return fc.oneof(
    fc.constantFrom(...CATEGORIES).map((c) => atom(`app.category == ${c}`, { kind: "compare", attribute: "category", op: "==", value: c })),
    fc.constantFrom(...CATEGORIES).map((c) => atom(`app.category != ${c}`, { kind: "compare", attribute: "category", op: "!=", value: c })),
    fc.uniqueArray(fc.constantFrom(...CATEGORIES), { minLength: 1, maxLength: 2 }).map((cs) => atom(`app.category in [${cs.join(", ")}]`, { kind: "in", attribute: "category", values: cs })),
    fc.tuple(fc.constantFrom("<", ">=", ">", "<="), fc.integer({ min: 0, max: 10 })).map(([op, n]) => atom(`app.score ${op} ${n}`, { kind: "compare", attribute: "score", op: op as "<", value: n })),
    fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 4 })).map(([a, w]) => atom(`app.score in ${a}..${a + w}`, { kind: "range", attribute: "score", from: a, to: a + w })),
    fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 3 })).map(([a, w]) =>
      atom(`app.general.consumer_popularity in ${a}..${a + w}`, { kind: "range", attribute: "general.consumer_popularity", from: a, to: a + w }),
    ),
    fc.constantFrom(...BOOL_ATTRIBUTES).map((a) => atom(`app.${a}`, { kind: "truthy", attribute: a })),
    fc.tuple(fc.constantFrom(...BOOL_ATTRIBUTES), fc.boolean()).map(([a, b]) => atom(`app.${a} == ${b}`, { kind: "compare", attribute: a, op: "==", value: b })),
    fc.tuple(fc.constantFrom(...BOOL_ATTRIBUTES), fc.boolean()).map(([a, b]) => atom(`app.${a} != ${b}`, { kind: "compare", attribute: a, op: "!=", value: b })),
    fc.integer({ min: 0, max: 10 }).map((n) => atom(`app.general.consumer_popularity > ${n}`, { kind: "compare", attribute: "general.consumer_popularity", op: ">", value: n })),
    fc.integer({ min: 1990, max: 2020 }).map((n) => atom(`app.general.founded <= ${n}`, { kind: "compare", attribute: "general.founded", op: "<=", value: n })),
    fc.constantFrom(...names, name.toUpperCase(), "Nobody").map((n) => atom(`app.name == ${JSON.stringify(n)}`, { kind: "compare", attribute: "name", op: "==", value: n })),
    fc.constantFrom("*a*", "Z*", "?ravo*", "*crm").map((g) => atom(`app.name matches ${JSON.stringify(g)}`, { kind: "matches", attribute: "name", pattern: g })),
    fc.constantFrom("Vendor A", "vendor b").map((v) => atom(`app.vendor == ${JSON.stringify(v)}`, { kind: "compare", attribute: "vendor", op: "==", value: v })),
    fc.constantFrom("US", "GB").map((h) => atom(`app.hq == ${JSON.stringify(h)}`, { kind: "compare", attribute: "hq", op: "==", value: h })),
    fc.constantFrom("US", "GB").map((h) => atom(`app.hq != ${JSON.stringify(h)}`, { kind: "compare", attribute: "hq", op: "!=", value: h })),
    fc.constantFrom(...PATTERNS).map((p) => atom(`app.domain == ${p}`, { kind: "compare", attribute: "domain", op: "==", value: p })),
    fc.constantFrom(...PATTERNS).map((p) => atom(`app.domain != ${p}`, { kind: "compare", attribute: "domain", op: "!=", value: p })),
    fc.uniqueArray(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 2 }).map((ps) => atom(`app.domain in [${ps.join(", ")}]`, { kind: "in", attribute: "domain", values: ps })),
    fc.constantFrom("*.x.com", "*.net", "a.*", "z.co.?k").map((g) => atom(`app.domain matches ${JSON.stringify(g)}`, { kind: "matches", attribute: "domain", pattern: g })),
    fc.constantFrom("review", "internal").map((t) => atom(`app.tags contains ${t}`, { kind: "contains", attribute: "tags", value: t })),
    fc.uniqueArray(fc.constantFrom("ssl3", "tls1_0", "tls1_2", "tls1_3"), { minLength: 1, maxLength: 2 }).map((vs) =>
      atom(`app.security.encryption_protocol in [${vs.join(", ")}]`, { kind: "in", attribute: "security.encryption_protocol", values: vs }),
    ),
  );
}

/** Parenthesise `e` when it binds more loosely than `need`; sometimes add redundant parentheses. */
function wrap(e: Expr, need: number, extra: boolean): string {
  return e.prec < need || (extra && e.prec < 4) ? `(${e.text})` : e.text;
}

/** Random expressions, printed with the fewest parentheses REFERENCE.md's precedence allows (`not` > `and` > `or`). */
export function arbExpr(names: readonly string[]): fc.Arbitrary<Expr> {
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      atoms(names),
      fc.tuple(tie("expr"), fc.boolean()).map(([e, extra]) => ({ text: `not ${wrap(e, 3, extra)}`, prec: 3, filter: { kind: "not", arg: e.filter } as Filter })),
      fc.tuple(tie("expr"), tie("expr"), fc.boolean()).map(([a, b, extra]) => ({ text: `${wrap(a, 2, extra)} and ${wrap(b, 2, false)}`, prec: 2, filter: { kind: "and", args: [a.filter, b.filter] } as Filter })),
      fc.tuple(tie("expr"), tie("expr"), fc.boolean()).map(([a, b, extra]) => ({ text: `${wrap(a, 1, extra)} or ${wrap(b, 1, false)}`, prec: 1, filter: { kind: "or", args: [a.filter, b.filter] } as Filter })),
    ),
  }));
  return expr;
}

// ---- the workspace as text -------------------------------------------------------------------

export const GROUP_NAMES = ["marketing", "pilot", "build", "comms"] as const;
const GROUP_RULES = [
  `device.tag == "Marketing"`,
  `device.name matches "MKT-*"`,
  `user in "ann", "bob"`,
  `user.group == "Comms"`,
  `ip in 10.1.0.0/16`,
  `device.name != "pc-1"`,
  `user matches "?o*"`,
  `device.tag in "Finance", "marketing"`,
  `ip == 192.168.1.10`,
];

const arbScope = (groups: readonly string[]): fc.Arbitrary<string | undefined> => {
  if (groups.length === 0) return fc.constantFrom(undefined, "scope all");
  return fc.oneof(
    fc.constant(undefined),
    fc.constant("scope all"),
    fc.uniqueArray(fc.constantFrom(...groups), { minLength: 1, maxLength: 2 }).map((gs) => `scope ${gs.join(", ")}`),
    fc.uniqueArray(fc.constantFrom(...groups), { minLength: 1, maxLength: 2 }).map((gs) => `scope all except ${gs.join(", ")}`),
    ...(groups.length >= 2 ? [fc.shuffledSubarray([...groups], { minLength: 2, maxLength: 2 }).map(([a, b]) => `scope ${a} except ${b}`)] : []),
  );
};

const THRESHOLDS = [
  "users > 1",
  "users >= 2",
  "users < 3",
  "devices >= 2",
  "devices <= 1",
  "ips > 0",
  "ips > 1",
  "transactions >= 3",
  "transactions < 4",
  "transactions > 1",
  "upload > 1KB",
  "upload >= 500B",
  "download >= 2KB",
  "download < 1KiB",
  "traffic > 2KB",
  "traffic <= 3KiB",
  "traffic >= 0B",
];
const thresholdKey = (t: string) => t.split(" ")[0]! + t.split(" ")[1]![0];

const arbThresholds = (max: number): fc.Arbitrary<string[]> =>
  fc
    .uniqueArray(fc.constantFrom(...THRESHOLDS), { maxLength: max, selector: thresholdKey })
    .chain((ts) => fc.tuple(...ts.map((t) => fc.boolean().map((perDay) => (perDay ? `${t} per day` : t)))).map((x) => [...x]));

interface PolicyText {
  readonly name: string;
  readonly text: string;
  /** The `when` filter as generated (undefined when none); templates add their own part. */
  readonly when: Filter | undefined;
}

const arbActions = (): fc.Arbitrary<string> =>
  fc
    .record({
      alert: fc.constantFrom(undefined, "alert", "alert(limit: 1)", "alert(limit: 2)"),
      tagAction: fc.constantFrom(undefined, undefined, "sanction", "unsanction", `unsanction(redirect: "https://intranet.example.com/blocked")`, "monitor", "monitor(bypass: 2h)"),
      custom: fc.constantFrom(undefined, "tag review", "tag hot"),
    })
    .map(({ alert, tagAction, custom }) => [alert, tagAction, custom].filter(Boolean).join(", ") || "alert");

function arbPolicy(index: number, names: readonly string[], groups: readonly string[]): fc.Arbitrary<PolicyText> {
  const name = `P${index} ${["risky", "storage", "new", "bulk"][index % 4]}`;
  const plain = fc
    .record({
      severity: fc.constantFrom(undefined, "low", "high", "informational"),
      when: fc.option(arbExpr(names), { nil: undefined, freq: 3 }),
      thresholds: arbThresholds(3),
      firstSeen: fc.constantFrom(undefined, undefined, "1d", "2d", "3d", "1w"),
      scope: arbScope(groups),
      mode: fc.constantFrom(undefined, undefined, "mode audit", "mode enforce"),
      then: arbActions(),
    })
    .map((p) => {
      const clauses = [
        p.severity && `severity ${p.severity}`,
        p.when && `when ${p.when.text}`,
        ...p.thresholds,
        p.firstSeen && `first seen within ${p.firstSeen}`,
        p.scope,
        p.mode,
        `then ${p.then}`,
      ].filter(Boolean);
      return { name, text: `policy ${JSON.stringify(name)} {\n  ${clauses.join("\n  ")}\n}`, when: p.when?.filter };
    });
  const template = fc
    .record({
      template: fc.constantFrom("new_cloud_storage_app", "new_crm_app", "new_risky_app", "new_popular_app", "cloud_storage_compliance_check", "crm_compliance_check", "new_high_upload_volume_app"),
      when: fc.option(arbExpr(names), { nil: undefined, freq: 4 }),
      score: fc.constantFrom(undefined, "score < 4", "score < 8", "score <= 10"),
      firstSeen: fc.constantFrom(undefined, "2d", "4d"),
      scope: arbScope(groups),
      then: arbActions(),
    })
    .map((p) => {
      const isNew = p.template.startsWith("new_");
      // override the template's thresholds with small ones so they can hold on this traffic
      const thresholds = ["users > 0", "traffic > 0B", ...(p.template === "new_high_upload_volume_app" ? ["upload >= 0B"] : [])];
      const clauses = [
        p.when && `when ${p.when.text}`,
        ...thresholds,
        p.template === "new_risky_app" && p.score,
        isNew && p.firstSeen && `first seen within ${p.firstSeen}`,
        p.scope,
        `then ${p.then}`,
      ].filter(Boolean);
      return { name, text: `policy ${JSON.stringify(name)} uses template ${p.template} {\n  ${clauses.join("\n  ")}\n}`, when: p.when?.filter };
    });
  return fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: template });
}

/** Observes every app on every day it is seen: its matches report the day's metrics. */
export const OBSERVER = "~observe";
const OBSERVER_TEXT = `policy "${OBSERVER}" {
  users >= 0 devices >= 0 ips >= 0 transactions >= 0 upload >= 0B download >= 0B traffic >= 0B
  then tag observed
}`;

const UNTILS = ["2026-01-01", "2026-03-03", "2026-03-04T12:00:00Z", "2026-03-05", "2027-01-01", "2026-03-03T06:30:00+02:00"];
export const URLS = ["https://a.x.com/files", "https://a.x.com/files/secret", "https://a.x.com/", "https://www.unknown.com/dl", "https://c.y.net/files"];
export const DST_IPS = ["203.0.113.7", "203.0.113.200", "198.51.100.1"];
const IP_DECISIONS = ["203.0.113.0/24", "203.0.113.7", "198.51.100.0/24"];

function arbAppDecision(name: string, groups: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({
      verb: fc.constantFrom("sanction", "unsanction", "monitor"),
      until: fc.option(fc.constantFrom(...UNTILS), { nil: undefined }),
      audit: fc.boolean(),
      bypass: fc.constantFrom(undefined, "1h", "30m"),
      scope: arbScope(groups),
    })
    .map((d) =>
      [
        `${d.verb} app ${JSON.stringify(name)}`,
        d.until && `until ${d.until}`,
        d.audit && d.verb !== "sanction" && "mode audit",
        d.verb === "monitor" && d.bypass && `bypass ${d.bypass}`,
        d.scope,
      ]
        .filter(Boolean)
        .join(" "),
    );
}

function arbIndicatorDecision(groups: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({
      verb: fc.constantFrom("block", "warn", "audit", "allow"),
      target: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...HOSTS.filter((h) => !h.startsWith("deep.")), "unknown.com").map((h) => `domain ${h}`) },
        { weight: 2, arbitrary: fc.constantFrom(...URLS).map((u) => `url ${JSON.stringify(u)}`) },
        { weight: 1, arbitrary: fc.constantFrom(...IP_DECISIONS).map((ip) => `ip ${ip}`) },
      ),
      until: fc.option(fc.constantFrom(...UNTILS), { nil: undefined, freq: 3 }),
      audit: fc.boolean(),
      bypass: fc.constantFrom(undefined, "1h", "2h"),
      scope: arbScope(groups),
    })
    .map((d) =>
      [
        `${d.verb} ${d.target}`,
        d.until && `until ${d.until}`,
        d.audit && (d.verb === "block" || d.verb === "warn") && "mode audit",
        d.verb === "warn" && d.bypass && `bypass ${d.bypass}`,
        d.scope,
      ]
        .filter(Boolean)
        .join(" "),
    );
}

export interface Workspace {
  readonly text: string;
  /** The `when` filter of each generated policy, by name (for the precedence check). */
  readonly whens: ReadonlyMap<string, Filter | undefined>;
}

export function arbWorkspace(apps: readonly CatalogApp[], opts: { observer?: boolean } = {}): fc.Arbitrary<Workspace> {
  const names = apps.map((a) => a.name);
  return fc
    .uniqueArray(fc.constantFrom(...GROUP_NAMES), { maxLength: 3 })
    .chain((groups) =>
      fc.record({
        groups: fc.tuple(...groups.map((g) => fc.uniqueArray(fc.constantFrom(...GROUP_RULES), { minLength: 1, maxLength: 2 }).map((rules) => `group ${g} {\n  ${rules.join("\n  ")}\n}`))),
        policies: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbPolicy(i + 1, names, groups)))),
        appDecisions: fc.shuffledSubarray(names, { maxLength: 2 }).chain((ns) => fc.tuple(...ns.map((n) => arbAppDecision(n, groups)))),
        indicators: fc.array(arbIndicatorDecision(groups), { maxLength: 5 }),
        overrides: fc.shuffledSubarray(names, { maxLength: 2 }).chain((ns) =>
          fc.tuple(...ns.map((n) => fc.constantFrom("tag review", "tag internal", "security.mfa = true", "compliance.soc2 = false\n  tag review").map((c) => `override app ${JSON.stringify(n)} {\n  ${c}\n}`))),
        ),
        custom: fc.constantFrom(undefined, undefined, `app "Zed Tool" {\n  category crm\n  domains *.zed.io\n  tag review\n}`, `app "Zed Tool" {\n  category cloud_storage\n  domains zed.io, a.x.com\n}`),
      }),
    )
    .map((w) => {
      const items = [...w.groups, ...w.overrides, ...(w.custom ? [w.custom] : []), ...w.policies.map((p) => p.text), ...(opts.observer === false ? [] : [OBSERVER_TEXT]), ...w.appDecisions, ...w.indicators];
      return { text: items.join("\n\n") + "\n", whens: new Map(w.policies.map((p) => [p.name, p.when])) };
    });
}

// ---- traffic ---------------------------------------------------------------------------------

/** The first day of generated traffic. */
export const BASE_DAY = "2026-03-01";
const BASE = midnight(BASE_DAY);
const PATHS = ["/", "/files", "/files/secret/doc", "/filesx", "/files?id=1", "/dl/file"];

export const arbRecord = (days = 5): fc.Arbitrary<RefRecord> =>
  fc
    .record({
      day: fc.integer({ min: 0, max: days - 1 }),
      // exact hours often, so that bypass windows (1h, 2h, 24h) end exactly on a request
      ms: fc.oneof(fc.integer({ min: 0, max: DAY - 1 }), fc.constantFrom(0, DAY - 1, 10 * 3600_000, 11 * 3600_000, 12 * 3600_000)),
      user: fc.constantFrom("ann", "bob", "cy", "Bob", undefined),
      device: fc.constantFrom("pc-1", "MKT-7", "W10-PILOT-1", undefined),
      srcIp: fc.constantFrom("10.1.2.3", "10.1.2.4", "10.2.0.1", "192.168.1.10", undefined),
      target: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...HOSTS).map((host) => ({ host })) },
        { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...HOSTS, "a.x.com", "c.y.net", "www.unknown.com"), fc.constantFrom(...PATHS)).map(([h, p]) => ({ url: `https://${h}${p}` })) },
        { weight: 1, arbitrary: fc.constant({}) },
      ),
      dstIp: fc.option(fc.constantFrom(...DST_IPS), { nil: undefined, freq: 3 }),
      up: fc.integer({ min: 0, max: 1500 }),
      down: fc.integer({ min: 0, max: 1500 }),
      deviceTags: fc.option(fc.subarray(["Marketing", "Finance"], { minLength: 1 }), { nil: undefined }),
      userGroups: fc.option(fc.constant(["Comms"]), { nil: undefined, freq: 3 }),
    })
    .map((r) => ({
      time: BASE + r.day * DAY + r.ms,
      ...(r.user ? { user: r.user } : {}),
      ...(r.device ? { device: r.device } : {}),
      ...(r.srcIp ? { srcIp: r.srcIp } : {}),
      ...r.target,
      ...(r.dstIp ? { dstIp: r.dstIp } : {}),
      bytesUp: r.up,
      bytesDown: r.down,
      ...(r.deviceTags ? { deviceTags: r.deviceTags } : {}),
      ...(r.userGroups ? { userGroups: r.userGroups } : {}),
    }));

/**
 * Records in time order (input order kept for equal times), as one log has them, or, in about
 * a third of the runs, in no order at all (several logs given in any order, a log not sorted):
 * warnings and bypasses must follow time either way.
 */
export const arbTraffic = (maxRecords = 40): fc.Arbitrary<RefRecord[]> =>
  fc
    .tuple(fc.array(arbRecord(), { maxLength: maxRecords, size: "max" }), fc.nat(2))
    .map(([rs, order]) => (order === 0 ? rs : rs.map((r, i) => ({ r, i })).sort((a, b) => a.r.time - b.r.time || a.i - b.i).map(({ r }) => r)));

/** A state left by earlier runs: first-seen times and past alerts, some within 90 days. */
export function arbState(appIds: readonly string[], policyNames: readonly string[]): fc.Arbitrary<RefState | undefined> {
  return fc.option(
    fc.record({
      firstSeen: fc.array(fc.tuple(fc.constantFrom(...appIds), fc.integer({ min: -12, max: 4 }), fc.integer({ min: 0, max: DAY - 1 })), { maxLength: 3 }),
      // days before the first traffic day; -89 and -88 are inside the 90 days for days 0 and 1, -90 just outside
      lastAlert: fc.array(fc.tuple(fc.constantFrom(...policyNames), fc.constantFrom(...appIds), fc.constantFrom(-120, -91, -90, -89, -88, -30, 0, 2)), { maxLength: 6 }),
    }).map(({ firstSeen, lastAlert }) => {
      const state: RefState = { firstSeen: {}, lastAlert: {} };
      for (const [id, d, ms] of firstSeen) state.firstSeen[id] = BASE + d * DAY + ms;
      for (const [p, id, d] of lastAlert) (state.lastAlert[p] ??= {})[id] = BASE + d * DAY;
      return state;
    }),
    { nil: undefined, freq: 3 },
  );
}
