import fc from "fast-check";
import { KEYWORD_WORDS } from "@sanction/syntax";

/*
 * fast-check generators of VALID Sanction source text (grammar/SYNTAX.md), for property tests
 * of the parser, checker and formatter.
 *
 * Every construct is generated as a list of tokens (`arbXxxTokens`). `layoutTokens` turns a
 * token list into text in one of three layouts (`FileOptions.layout`): `messy` puts random
 * whitespace, line breaks (LF and CRLF), blank lines and `#` comments (own-line and trailing)
 * between any two tokens, and no whitespace at all next to punctuation where the lexer allows
 * it; `tidy` writes one clause per line with comments where people put them; `spaced` writes
 * one line. `arbPolicyFile()` mixes all three. The text arbitraries for single constructs
 * (`arbExpr`, `arbPolicy`, …) are one line each (`joinTokens`).
 *
 * The output is syntactically valid; it is NOT semantically valid (unknown groups, apps,
 * categories and out-of-range values are generated freely), which suits the parser and the
 * formatter; checker tests get diagnostics for it, never crashes.
 *
 * Only `score { }` entries get optional commas; SYNTAX.md does not allow commas between the
 * clauses of other blocks. `{ clauseCommas: true }` generates them anyway (group members, app,
 * policy and traffic clauses), for tests of the error path.
 */

export type Tokens = readonly string[];

/**
 * A pseudo-token marking a natural line break (after `{`, between clauses and items, before
 * `}`); the `tidy` layout breaks lines there, the others drop it.
 */
export const BREAK = "\u0000";
const isBreak = (t: string) => t === BREAK;

export interface FileOptions {
  /**
   * `messy`: random whitespace, line breaks, blank lines and comments between any two tokens;
   * `tidy`: one clause per line, the odd blank line, comments before and after clauses and
   * items (what people write); `spaced`: everything on one line (see `joinTokens`);
   * `any` (default): each file picks one of the three (messy most often).
   */
  readonly layout?: "messy" | "tidy" | "spaced" | "any";
  /** Generate comments at all (default true; not with `spaced`). */
  readonly comments?: boolean;
  /** Most items per file (default 8). */
  readonly maxItems?: number;
  /** Commas between group members and app/policy/traffic clauses: INVALID input (default false). */
  readonly clauseCommas?: boolean;
}

// ---- small helpers ---------------------------------------------------------------------------

const KEYWORDS: ReadonlySet<string> = new Set<string>([...KEYWORD_WORDS, "unknown", "ignored", "counts_as_risk"]);

const tok = (s: string): fc.Arbitrary<Tokens> => fc.constant([s]);
const one = (a: fc.Arbitrary<string>): fc.Arbitrary<Tokens> => a.map((s) => [s]);
/** Concatenate token lists. */
function seq(...parts: fc.Arbitrary<Tokens>[]): fc.Arbitrary<Tokens> {
  return fc.tuple(...parts).map((ts) => ts.flat());
}
/** `x` or nothing. */
function opt(a: fc.Arbitrary<Tokens>, freq = 1): fc.Arbitrary<Tokens> {
  return fc.oneof({ arbitrary: fc.constant([] as Tokens), weight: 1 }, { arbitrary: a, weight: freq });
}
/** `x ("," x)*`. */
function commaList(a: fc.Arbitrary<Tokens>, maxLength = 3): fc.Arbitrary<Tokens> {
  return fc.array(a, { minLength: 1, maxLength }).map((xs) => xs.flatMap((x, i) => (i === 0 ? x : [",", ...x])));
}
/** Random ASCII case for case-insensitive units. */
function randomCase(s: string): fc.Arbitrary<string> {
  return fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(""));
}
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const pad2 = (n: number) => String(n).padStart(2, "0");

// ---- names and literals ------------------------------------------------------------------------

const NAME_POOL = ["marketing", "finance", "cloud_storage", "social_network", "reviewed", "legacy", "eng", "sales_emea", "_tmp", "x", "limit", "hr2"];

/** A name that is not a keyword: `marketing`, `cloud_storage`, `_x1`. */
export function arbName(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...NAME_POOL), weight: 3 },
    { arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/).filter((s) => !KEYWORDS.has(s)), weight: 2 },
  );
}

const label = () => fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);

/** An attribute path (`app.category`, `security.mfa`, `app.compliance.soc2`). */
export function arbDottedName(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom("app.category", "app.score", "app.security.mfa", "app.compliance.soc2", "app.hq", "app.tags", "app.name", "security.mfa", "legal.gdpr"),
    fc.array(label(), { minLength: 2, maxLength: 4 }).map((ls) => ls.join(".")),
  );
}

const DOMAIN_POOL = ["contosodrive.com", "*.contosodrive.net", "1drv.ms", "163.com", "www.file-dropper.com", "5mb.example.org", "a.b.c.d.e", "x_y.io", "bücher.example", "*.中文.cn"];

/** A domain as written after `domains` or `host`: dotted, wildcard, or (for IDNs) a string. */
export function arbDomain(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...DOMAIN_POOL), weight: 3 },
    {
      arbitrary: fc
        .tuple(fc.boolean(), fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/), { minLength: 1, maxLength: 3 }), fc.constantFrom("com", "net", "io", "de"))
        .map(([wild, ls, tld]) => (wild ? "*." : "") + [...ls, tld].join(".")),
      weight: 2,
    },
    { arbitrary: fc.constantFrom('"bücher.example"', '"xn--bcher-kva.example"', '"example.com"'), weight: 1 },
  );
}

const STRING_CHARS = fc.oneof(
  { arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_./:"), weight: 20 },
  { arbitrary: fc.constantFrom('"', "\\", "\n", "\t", "#", "{", "}", "(", ",", "é", "ü", "中", "😀", "\u00a0"), weight: 3 },
);

/**
 * A string literal as source text. The value is random (quotes, backslashes, newlines, tabs,
 * non-ASCII, `#`); its encoding is random too where the lexer allows a choice (a tab may be
 * raw or `\t`), so formatters and printers see non-canonical spellings.
 */
export function arbStringLiteral(): fc.Arbitrary<string> {
  return fc.tuple(fc.array(STRING_CHARS, { maxLength: 16 }), fc.array(fc.boolean(), { minLength: 16, maxLength: 16 })).map(([chars, raw]) =>
    '"' +
    chars
      .map((c, i) => (c === '"' ? '\\"' : c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\t" ? (raw[i] ? "\t" : "\\t") : c))
      .join("") +
    '"',
  );
}

/** A plausible string for URLs and names (no escapes): `"https://intranet.example.com/apps"`. */
function arbPlainString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('"https://intranet.example.com/apps"', '"https://www.dropbox.com/enterprise"', '"Dropbox"', '"ann"', '"pc-1"', '"US"', '"MKT-*"'),
    arbStringLiteral(),
  );
}

/** `42`, `5.5`, `007` (raw text is kept by the parser, so odd spellings are generated). */
export function arbNumber(): fc.Arbitrary<string> {
  return fc.oneof(fc.nat({ max: 10000 }).map(String), fc.tuple(digits(1, 3), digits(1, 3)).map(([a, b]) => `${a}.${b}`), digits(1, 4));
}

/** `50MB`, `1.5GB`, `10KiB`, `3mb` (units are case-insensitive). */
export function arbSize(): fc.Arbitrary<string> {
  return fc
    .tuple(arbNumber(), fc.constantFrom("B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"), fc.boolean())
    .chain(([n, unit, odd]) => (odd ? randomCase(unit) : fc.constant(unit)).map((u) => n + u));
}

/** `24h`, `7d`, `30s`. */
export function arbDuration(): fc.Arbitrary<string> {
  return fc.tuple(digits(1, 3), fc.constantFrom("s", "m", "h", "d", "w")).map(([n, u]) => n + u);
}

/** `2027-01-01`, `2027-01-01T12:00:00Z`, `2026-11-01T08:30+02:00`. */
export function arbDate(): fc.Arbitrary<string> {
  const date = fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${pad2(m)}-${pad2(d)}`);
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.option(fc.integer({ min: 0, max: 59 })), fc.constantFrom("", "Z", "+02:00", "-05:30"))
    .map(([h, m, s, z]) => `T${pad2(h)}:${pad2(m)}${s === null ? "" : ":" + pad2(s)}${z}`);
  return fc.tuple(date, fc.option(time)).map(([d, t]) => d + (t ?? ""));
}

/** `10.1.2.3` or `10.0.0.0/8`. */
export function arbIp(): fc.Arbitrary<string> {
  const octet = fc.integer({ min: 0, max: 255 });
  return fc.tuple(octet, octet, octet, octet, fc.option(fc.integer({ min: 0, max: 32 }))).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}${p === null ? "" : "/" + p}`);
}

/** Any scalar value. */
export function arbScalar(): fc.Arbitrary<string> {
  return fc.oneof(
    arbStringLiteral(),
    arbNumber(),
    arbSize(),
    arbDuration(),
    arbDate(),
    arbIp(),
    fc.constantFrom("true", "false"),
    arbName(),
    arbDottedName(),
  );
}

/** A value: a scalar or a (possibly nested, possibly empty) list `[a, b]`. */
export function arbValueTokens(): fc.Arbitrary<Tokens> {
  const { value } = fc.letrec<{ value: Tokens; list: Tokens }>((tie) => ({
    value: fc.oneof({ depthIdentifier: "value", maxDepth: 2 }, { arbitrary: one(arbScalar()), weight: 5 }, { arbitrary: tie("list"), weight: 1 }),
    list: fc.oneof(
      fc.constant(["[", "]"] as Tokens),
      commaList(tie("value")).map((xs) => ["[", ...xs, "]"]),
    ),
  }));
  return value;
}

// ---- expressions ----------------------------------------------------------------------------------

/** `app.category == cloud_storage`, `app.score in 0..2`, `app.tags contains "x"`, a bare path. */
export function arbComparisonTokens(): fc.Arbitrary<Tokens> {
  const path = one(arbDottedName());
  const range = fc.tuple(arbNumber(), arbNumber()).map(([a, b]) => [a, "..", b] as Tokens);
  const list = commaList(arbValueTokens()).map((xs) => ["[", ...xs, "]"] as Tokens);
  return fc.oneof(
    { arbitrary: seq(path, one(fc.constantFrom("==", "!=", "<", "<=", ">", ">=")), arbValueTokens()), weight: 5 },
    { arbitrary: seq(path, tok("in"), fc.oneof(range, list, fc.constant(["[", "]"] as Tokens), one(arbScalar()))), weight: 5 },
    { arbitrary: seq(path, one(fc.constantFrom("contains", "matches")), one(arbScalar())), weight: 5 },
    { arbitrary: path, weight: 5 },
    // The parser also takes a bare name as a path (the checker rejects unknown ones).
    { arbitrary: seq(one(arbName()), one(fc.constantFrom("==", "!=")), one(arbScalar())), weight: 1 },
  );
}

/** A boolean expression with `and`, `or`, `not` and parentheses, nested a few levels. */
export function arbExprTokens(maxDepth = 3): fc.Arbitrary<Tokens> {
  const join = (op: string) => (xs: Tokens[]) => xs.flatMap((x, i) => (i === 0 ? x : [op, ...x]));
  const { expr } = fc.letrec<{ expr: Tokens; and: Tokens; not: Tokens; primary: Tokens }>((tie) => ({
    expr: fc.array(tie("and"), { minLength: 1, maxLength: 3 }).map(join("or")),
    and: fc.array(tie("not"), { minLength: 1, maxLength: 3 }).map(join("and")),
    not: fc.oneof(
      { depthIdentifier: "expr", maxDepth },
      { arbitrary: tie("primary"), weight: 4 },
      { arbitrary: tie("not").map((x) => ["not", ...x]), weight: 1 },
    ),
    primary: fc.oneof(
      { depthIdentifier: "expr", maxDepth },
      { arbitrary: arbComparisonTokens(), weight: 4 },
      { arbitrary: tie("expr").map((x) => ["(", ...x, ")"]), weight: 1 },
    ),
  }));
  return expr;
}

// ---- items ------------------------------------------------------------------------------------------

/** `import "shared/groups.sanction"`. */
export function arbImportTokens(): fc.Arbitrary<Tokens> {
  return seq(tok("import"), one(fc.oneof(fc.constantFrom('"groups.sanction"', '"./shared/apps.sanction"'), arbStringLiteral())));
}

function memberTokens(): fc.Arbitrary<Tokens> {
  return fc.oneof(
    seq(one(fc.constantFrom("device.tag", "device.name", "user", "user.group")), one(fc.constantFrom("==", "!=", "in", "matches")), commaList(one(arbPlainString()))),
    seq(tok("ip"), one(fc.constantFrom("==", "!=", "in")), commaList(one(fc.oneof(arbIp(), fc.constant('"2001:db8::/32"'))))),
  );
}

/** `group marketing { device.tag == "marketing" … }`. */
export function arbGroupTokens(opts: FileOptions = {}): fc.Arbitrary<Tokens> {
  return seq(tok("group"), one(arbName()), tok("{"), clauses(memberTokens(), opts, 1), tok("}"));
}

/** Block bodies: clauses one after another, with optional commas between them when asked. */
function clauses(clause: fc.Arbitrary<Tokens>, opts: FileOptions, minLength = 0, maxLength = 5): fc.Arbitrary<Tokens> {
  return fc
    .array(fc.tuple(clause, fc.boolean()), { minLength, maxLength })
    .map((cs) => [BREAK, ...cs.flatMap(([c, comma], i) => (opts.clauseCommas && comma && i < cs.length - 1 ? [...c, ",", BREAK] : [...c, BREAK]))]);
}

function appClauseTokens(): fc.Arbitrary<Tokens> {
  return fc.oneof(
    seq(tok("vendor"), one(arbPlainString())),
    seq(tok("domains"), commaList(one(arbDomain()))),
    seq(tok("urls"), commaList(one(arbPlainString()))),
    seq(tok("ips"), commaList(one(fc.oneof(arbIp(), fc.constant('"2001:db8::1"'))))),
    seq(tok("category"), one(arbName())),
    seq(tok("hq"), one(fc.constantFrom('"US"', '"DE"', '"IE"'))),
    seq(tok("score"), one(arbNumber()), opt(seq(tok("note"), one(arbStringLiteral())))),
    seq(tok("tag"), one(arbName())),
    seq(one(arbDottedName()), tok("="), arbValueTokens()),
  );
}

/** `app "X" { … }` or `override app "Dropbox" { … }` with every clause kind. */
export function arbAppTokens(opts: FileOptions = {}): fc.Arbitrary<Tokens> {
  return seq(opt(tok("override")), tok("app"), one(arbPlainString()), tok("{"), clauses(appClauseTokens(), opts, 0, 6), tok("}"));
}

/** `score { security: high, unknown: counts_as_risk }` (commas optional). */
export function arbScoreTokens(): fc.Arbitrary<Tokens> {
  const importance = fc.constantFrom("ignored", "low", "medium", "high", "very_high");
  const weight = fc.oneof(
    fc.tuple(fc.oneof(arbName(), arbDottedName(), fc.constantFrom("security", "compliance", "legal", "general")), importance).map(([k, v]) => [k, ":", v] as Tokens),
    fc.constantFrom("ignored", "counts_as_risk").map((v) => ["unknown", ":", v] as Tokens),
  );
  return fc
    .array(fc.tuple(weight, fc.boolean()), { minLength: 1, maxLength: 5 })
    .map((ws) => ["score", "{", BREAK, ...ws.flatMap(([w, comma], i) => (comma && i < ws.length - 1 ? [...w, ",", BREAK] : [...w, BREAK])), "}"]);
}

function scopeTokens(): fc.Arbitrary<Tokens> {
  return seq(fc.oneof(tok("all"), commaList(one(arbName()))), opt(seq(tok("except"), commaList(one(arbName())))));
}

function argTokens(): fc.Arbitrary<Tokens> {
  return fc.oneof(
    fc.tuple(fc.constantFrom("limit", "max"), arbNumber()).map(([n, v]) => [n, ":", v] as Tokens),
    fc.tuple(fc.constantFrom("redirect", "url"), arbPlainString()).map(([n, v]) => [n, ":", v] as Tokens),
    arbDuration().map((v) => ["bypass", ":", v] as Tokens),
    fc.tuple(arbName(), arbValueTokens()).map(([n, v]) => [n, ":", ...v] as Tokens),
  );
}

/** `alert`, `alert(limit: 5)`, `monitor(redirect: "…", bypass: 24h)`, `tag reviewed`, … */
export function arbActionTokens(): fc.Arbitrary<Tokens> {
  const args = commaList(argTokens()).map((xs) => ["(", ...xs, ")"] as Tokens);
  return fc.oneof(
    seq(tok("alert"), opt(args)),
    tok("sanction"),
    seq(tok("unsanction"), opt(args)),
    seq(tok("monitor"), opt(args)),
    seq(tok("tag"), one(arbName())),
  );
}

function policyClauseTokens(): fc.Arbitrary<Tokens> {
  return fc.oneof(
    seq(tok("severity"), one(fc.constantFrom("informational", "low", "medium", "high"))),
    { arbitrary: seq(tok("when"), arbExprTokens()), weight: 3 },
    seq(
      one(fc.constantFrom("users", "devices", "ips", "transactions", "upload", "download", "traffic", "score")),
      one(fc.constantFrom(">", ">=", "<", "<=", "==", "!=")),
      one(fc.oneof(arbNumber(), arbSize())),
      opt(fc.constant(["per", "day"] as Tokens)),
    ),
    seq(tok("first"), tok("seen"), tok("within"), one(arbDuration())),
    seq(tok("scope"), scopeTokens()),
    seq(tok("mode"), one(fc.constantFrom("audit", "enforce"))),
    { arbitrary: seq(tok("then"), commaList(arbActionTokens())), weight: 2 },
  );
}

/** `policy "…" uses template t { … }` with every clause kind and nested expressions. */
export function arbPolicyTokens(opts: FileOptions = {}): fc.Arbitrary<Tokens> {
  return seq(
    tok("policy"),
    one(arbPlainString()),
    opt(seq(tok("uses"), tok("template"), one(fc.oneof(fc.constantFrom("new_cloud_storage_app", "risky_app"), arbName())))),
    tok("{"),
    clauses(policyClauseTokens(), opts, 0, 6),
    tok("}"),
  );
}

function decisionOptionTokens(): fc.Arbitrary<Tokens> {
  return fc.oneof(
    seq(tok("until"), one(arbDate())),
    seq(tok("mode"), one(fc.constantFrom("audit", "enforce"))),
    seq(tok("redirect"), one(arbPlainString())),
    seq(tok("bypass"), one(arbDuration())),
    seq(tok("scope"), scopeTokens()),
    seq(tok("note"), one(arbStringLiteral())),
  );
}

/** `unsanction app "iTunes" mode audit`, `block domain x.com until 2027-01-01`, `allow ip 10.0.0.0/8`. */
export function arbDecisionTokens(): fc.Arbitrary<Tokens> {
  const appVerb = fc.constantFrom("sanction", "unsanction", "monitor").map((v) => [v, "app"] as Tokens);
  const indicatorVerb = fc.constantFrom("block", "warn", "audit", "allow");
  const head = fc.oneof(
    seq(appVerb, one(arbPlainString())),
    seq(one(indicatorVerb), tok("app"), one(arbPlainString())),
    seq(one(indicatorVerb), tok("domain"), one(fc.oneof(arbDomain().filter((d) => d.includes(".")), arbPlainString()))),
    seq(one(indicatorVerb), tok("url"), one(arbPlainString())),
    seq(one(indicatorVerb), tok("ip"), one(fc.oneof(arbIp(), fc.constant('"2001:db8::1"'), fc.constant('"2001:db8::/32"')))),
  );
  return seq(head, fc.array(decisionOptionTokens(), { maxLength: 3 }).map((xs) => xs.flat()));
}

function trafficFieldTokens(): fc.Arbitrary<Tokens> {
  return fc.oneof(
    seq(tok("user"), one(arbPlainString())),
    seq(tok("users"), one(arbNumber())),
    seq(tok("device"), one(arbPlainString())),
    seq(tok("ip"), one(fc.oneof(arbIp(), fc.constant('"2001:db8::1"')))),
    seq(tok("host"), one(fc.oneof(arbDomain().filter((d) => d.includes(".")), arbPlainString()))),
    seq(tok("url"), one(arbPlainString())),
    seq(tok("up"), one(arbSize())),
    seq(tok("down"), one(arbSize())),
    seq(tok("at"), one(arbDate())),
    seq(tok("days"), one(arbNumber())),
    seq(one(fc.constantFrom("tag", "group")), fc.oneof(one(arbPlainString()), commaList(one(arbPlainString())).map((xs) => ["[", ...xs, "]"]))),
  );
}

function expectTokens(): fc.Arbitrary<Tokens> {
  return fc.oneof(
    seq(
      tok("expect"),
      tok("app"),
      one(arbPlainString()),
      opt(tok("not")),
      fc.oneof(one(fc.constantFrom("sanctioned", "unsanctioned", "monitored")), seq(tok("tagged"), one(arbName()))),
    ),
    seq(
      tok("expect"),
      tok("verdict"),
      one(fc.oneof(arbPlainString(), arbDomain().filter((d) => d.includes(".") && !d.startsWith('"')), arbIp())),
      opt(seq(tok("for"), tok("device"), one(arbPlainString()))),
      one(fc.constantFrom("allow", "audit", "warn", "block")),
    ),
    seq(tok("expect"), opt(tok("no")), tok("alert"), opt(one(arbPlainString()))),
  );
}

/** `test "…" { traffic { … } expect … }`. */
export function arbTestTokens(opts: FileOptions = {}): fc.Arbitrary<Tokens> {
  const traffic = seq(tok("traffic"), tok("{"), clauses(trafficFieldTokens(), opts, 0, 5).map((ts) => ts.filter((t) => !isBreak(t))), tok("}"));
  return seq(
    tok("test"),
    one(arbPlainString()),
    tok("{"),
    fc.array(fc.oneof(traffic, expectTokens()), { maxLength: 5 }).map((xs) => [BREAK, ...xs.flatMap((x) => [...x, BREAK])]),
    tok("}"),
  );
}

/** Any top-level item. */
export function arbItemTokens(opts: FileOptions = {}): fc.Arbitrary<Tokens> {
  return fc.oneof(
    arbImportTokens(),
    arbGroupTokens(opts),
    arbAppTokens(opts),
    arbScoreTokens(),
    { arbitrary: arbPolicyTokens(opts), weight: 3 },
    { arbitrary: arbDecisionTokens(), weight: 2 },
    arbTestTokens(opts),
  );
}

// ---- layout -------------------------------------------------------------------------------------------

const PUNCTUATION = new Set(["{", "}", "(", ")", "[", "]", ",", ":", "..", "==", "!=", "<", "<=", ">", ">=", "="]);

/** May `a` and `b` touch without whitespace and still lex as the same two tokens? */
export function mayTouch(a: string, b: string): boolean {
  if (!PUNCTUATION.has(a) && !PUNCTUATION.has(b)) return false;
  // `<` `=` would become `<=`, `=` `=` would become `==`.
  if (/[<>=!]$/.test(a) && b.startsWith("=")) return false;
  return true;
}

const COMMENT_CHARS = fc.oneof(
  { arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789 "), weight: 20 },
  { arbitrary: fc.constantFrom("#", '"', "{", "}", "\\", "\t", "é", "😀", "\u00a0", "*", "/"), weight: 3 },
);
/** Comment text after `#` (may be empty, may end in spaces). */
export function arbCommentText(): fc.Arbitrary<string> {
  return fc.array(COMMENT_CHARS, { maxLength: 20 }).map((cs) => cs.join(""));
}

type Gap = { readonly kind: "space" | "none"; readonly text: string } | { readonly kind: "comment"; readonly text: string };

function arbGap(comments: boolean): fc.Arbitrary<Gap> {
  const ws = fc.constantFrom(" ", "  ", "\t", "\n", "\n  ", "\n\n", "\r\n", "\r\n\r\n    ", " \n\t ", "\n\n\n");
  const options: fc.WeightedArbitrary<Gap>[] = [
    { arbitrary: fc.constant({ kind: "space", text: " " } as const), weight: 12 },
    { arbitrary: ws.map((text) => ({ kind: "space", text }) as const), weight: 6 },
    { arbitrary: fc.constant({ kind: "none", text: "" } as const), weight: 2 },
  ];
  if (comments) {
    const nl = fc.constantFrom("\n", "\r\n", "\n\n", "\n    ");
    options.push(
      { arbitrary: fc.tuple(fc.constantFrom("", " ", "   "), arbCommentText(), nl).map(([pre, c, post]) => ({ kind: "comment", text: `${pre}#${c}${post}` }) as const), weight: 2 },
      { arbitrary: fc.tuple(nl, arbCommentText(), nl).map(([pre, c, post]) => ({ kind: "comment", text: `${pre}#${c}${post}` }) as const), weight: 2 },
    );
  }
  return fc.oneof(...options);
}

function messy(ts: Tokens, comments: boolean): fc.Arbitrary<string> {
  return fc.array(arbGap(comments), { minLength: ts.length + 1, maxLength: ts.length + 1 }).map((gaps) => {
    let out = gaps[0]!.kind === "none" ? "" : gaps[0]!.text;
    ts.forEach((t, i) => {
      out += t;
      const g = gaps[i + 1]!;
      const next = ts[i + 1];
      if (next === undefined) out += g.kind === "comment" ? g.text : g.text.trim() === "" ? g.text : "";
      else out += g.kind === "none" && !mayTouch(t, next) ? " " : g.text;
    });
    return out;
  });
}

/** At a line break: a newline, sometimes a blank line, sometimes comments before or after. */
function arbLineGap(comments: boolean): fc.Arbitrary<string> {
  const plain = fc.constantFrom("\n", "\n", "\n", "\n\n");
  if (!comments) return plain;
  return fc.oneof(
    { arbitrary: plain, weight: 6 },
    { arbitrary: arbCommentText().map((c) => ` #${c}\n`), weight: 1 },
    { arbitrary: fc.tuple(plain, arbCommentText()).map(([nl, c]) => `${nl}# ${c}\n`), weight: 1 },
  );
}

function tidy(ts: Tokens, comments: boolean): fc.Arbitrary<string> {
  const breaks = ts.filter(isBreak).length;
  return fc.array(arbLineGap(comments), { minLength: breaks, maxLength: breaks }).map((gaps) => {
    let out = "";
    let depth = 0;
    let k = 0;
    let atLineStart = true;
    for (const t of ts) {
      if (isBreak(t)) {
        if (!atLineStart) out += gaps[k]!;
        k++;
        atLineStart = true;
        continue;
      }
      if (t === "}") depth--;
      out += atLineStart ? "  ".repeat(Math.max(0, depth)) : " ";
      out += t;
      if (t === "{") depth++;
      atLineStart = false;
    }
    return out;
  });
}

/**
 * Join tokens into source text in the chosen layout (see `FileOptions.layout`). In `messy`
 * layout, tokens that may touch (`mayTouch`) sometimes get no whitespace at all.
 */
export function layoutTokens(tokens: fc.Arbitrary<Tokens>, opts: FileOptions = {}): fc.Arbitrary<string> {
  const comments = opts.comments ?? true;
  const spacedText = joinTokens;
  const kind = opts.layout ?? "any";
  const pick =
    kind === "any"
      ? fc.oneof({ arbitrary: fc.constant("messy" as const), weight: 3 }, { arbitrary: fc.constant("tidy" as const), weight: 2 }, { arbitrary: fc.constant("spaced" as const), weight: 1 })
      : fc.constant(kind);
  return fc.tuple(tokens, pick).chain(([ts, k]) =>
    k === "spaced" ? fc.constant(spacedText(ts)) : k === "tidy" ? tidy(ts, comments) : messy(ts.filter((t) => !isBreak(t)), comments),
  );
}

// ---- text arbitraries -------------------------------------------------------------------------------

/** A whole policy file (see the module comment; messy layout and comments by default). */
export function arbPolicyFile(opts: FileOptions = {}): fc.Arbitrary<string> {
  const items = fc.array(arbItemTokens(opts), { maxLength: opts.maxItems ?? 8 }).map((xs) => xs.flatMap((x) => [...x, BREAK]));
  return layoutTokens(items, opts);
}

/**
 * Tokens joined on one line with conventional spacing: `alert(limit: 5)`, `[a, b]`, `0..2`.
 * (Not necessarily the formatter's output: that is the formatter's business.)
 */
export function joinTokens(ts: Tokens): string {
  let out = "";
  let prev: string | undefined;
  for (const t of ts) {
    if (isBreak(t)) continue;
    const glue = prev === undefined || [",", ")", "]", ":", ".."].includes(t) || ["(", "[", ".."].includes(prev) || (t === "(" && /^[A-Za-z_]/.test(prev) && !["when", "and", "or", "not"].includes(prev));
    out += (glue ? "" : " ") + t;
    prev = t;
  }
  return out;
}

const spaced = (a: fc.Arbitrary<Tokens>) => a.map(joinTokens);
/** A one-line expression, e.g. `not (app.x == 1 or app.y) and app.z in [1]`. */
export const arbExpr = (maxDepth = 3): fc.Arbitrary<string> => spaced(arbExprTokens(maxDepth));
export const arbValue = (): fc.Arbitrary<string> => spaced(arbValueTokens());
export const arbImport = (): fc.Arbitrary<string> => spaced(arbImportTokens());
export const arbGroup = (): fc.Arbitrary<string> => spaced(arbGroupTokens());
export const arbApp = (): fc.Arbitrary<string> => spaced(arbAppTokens());
export const arbScore = (): fc.Arbitrary<string> => spaced(arbScoreTokens());
export const arbPolicy = (): fc.Arbitrary<string> => spaced(arbPolicyTokens());
export const arbDecision = (): fc.Arbitrary<string> => spaced(arbDecisionTokens());
export const arbTest = (): fc.Arbitrary<string> => spaced(arbTestTokens());
export const arbItem = (): fc.Arbitrary<string> => spaced(arbItemTokens());

/** `numRuns` for property tests: `FC_RUNS` from the environment (CI sets it higher), default 200. */
export function fcRuns(defaultRuns = 200): number {
  const n = Number(process.env["FC_RUNS"]);
  return Number.isInteger(n) && n > 0 ? n : defaultRuns;
}

/**
 * `numRuns` for a property whose every run is costly (it starts a process such as xmllint or
 * cmark-gfm, drives a language server through a burst of edits, or writes files for every
 * reader): `FC_RUNS` like the others, but never more than `max`, so CI's 10,000 runs do not
 * turn one property into an hour.
 */
export function fcRunsCapped(defaultRuns: number, max: number): number {
  return Math.min(fcRuns(defaultRuns), max);
}
