import type { Span } from "@sanction/diagnostics";

/*
 * The AST keeps every user-written token's text and span. Nodes that recovery could not
 * complete have their missing parts `undefined`; consumers must tolerate that, because the
 * parser never fails (it returns a partial tree plus diagnostics).
 */

interface NodeBase {
  readonly span: Span;
}

// ---- literals and values -------------------------------------------------------------------

/** A bare name (`marketing`) or a dotted name (`app.category`, `contoso.com`). */
export interface Name extends NodeBase {
  readonly kind: "Name";
  readonly text: string;
  readonly dotted: boolean;
}
export interface StringLit extends NodeBase {
  readonly kind: "String";
  /** Unescaped value. */
  readonly value: string;
  /** False when the closing quote is missing (reported as SAN103). */
  readonly terminated: boolean;
}
export interface NumberLit extends NodeBase {
  readonly kind: "Number";
  readonly value: number;
  readonly raw: string;
}
export interface SizeLit extends NodeBase {
  readonly kind: "Size";
  /** Bytes. */
  readonly bytes: number;
  readonly raw: string;
}
export interface DurationLit extends NodeBase {
  readonly kind: "Duration";
  readonly seconds: number;
  readonly raw: string;
}
export interface DateLit extends NodeBase {
  readonly kind: "Date";
  readonly raw: string;
}
export interface IpLit extends NodeBase {
  readonly kind: "Ip";
  readonly raw: string;
}
export interface BoolLit extends NodeBase {
  readonly kind: "Bool";
  readonly value: boolean;
}
export interface RangeLit extends NodeBase {
  readonly kind: "Range";
  readonly from: NumberLit | undefined;
  readonly to: NumberLit | undefined;
}
export interface ListLit extends NodeBase {
  readonly kind: "List";
  readonly items: readonly Value[];
}
export type Scalar = StringLit | NumberLit | SizeLit | DurationLit | DateLit | IpLit | BoolLit | Name;
export type Value = Scalar | RangeLit | ListLit;

// ---- file and items ------------------------------------------------------------------------

export interface Comment extends NodeBase {
  readonly kind: "Comment";
  /** Text after `#`, verbatim. */
  readonly text: string;
}

export interface PolicyFile extends NodeBase {
  readonly kind: "File";
  readonly items: readonly Item[];
  readonly comments: readonly Comment[];
}

export type Item = ImportDecl | GroupDecl | AppDecl | ScoreDecl | PolicyDecl | DecisionDecl | TestDecl;

export interface ImportDecl extends NodeBase {
  readonly kind: "Import";
  readonly path: StringLit | undefined;
}

export interface GroupDecl extends NodeBase {
  readonly kind: "Group";
  readonly name: Name | undefined;
  readonly members: readonly GroupMember[];
}
/** `device.tag == "marketing"`, `device.name matches "MKT-*"`, `ip in 10.0.0.0/8, 10.2.0.0/16`. */
export interface GroupMember extends NodeBase {
  readonly kind: "GroupMember";
  readonly selector: Name;
  readonly op: Operator | undefined;
  readonly values: readonly Value[];
}

export interface Operator extends NodeBase {
  readonly kind: "Operator";
  readonly op: "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "matches" | "contains" | "=";
}

export interface AppDecl extends NodeBase {
  readonly kind: "App";
  /** `override app "Dropbox" { … }` changes a catalog app; `app "X" { … }` declares a new one. */
  readonly override: boolean;
  readonly name: StringLit | undefined;
  readonly clauses: readonly AppClause[];
}
/**
 * One line of an app body. `keyword` is the clause word (`vendor`, `domains`, `urls`, `ips`,
 * `category`, `hq`, `score`, `tag`), or `undefined` for an attribute assignment
 * `security.mfa = false` whose attribute is `attribute`.
 */
export interface AppClause extends NodeBase {
  readonly kind: "AppClause";
  readonly keyword: Name | undefined;
  readonly attribute: Name | undefined;
  readonly values: readonly Value[];
  /** `score 7 note "…"`. */
  readonly note: StringLit | undefined;
}

export interface ScoreDecl extends NodeBase {
  readonly kind: "Score";
  readonly entries: readonly ScoreEntry[];
}
/** `security: high`, `security.mfa: very_high`, `unknown: counts_as_risk`. */
export interface ScoreEntry extends NodeBase {
  readonly kind: "ScoreEntry";
  readonly key: Name;
  readonly value: Name | undefined;
}

export interface PolicyDecl extends NodeBase {
  readonly kind: "Policy";
  readonly name: StringLit | undefined;
  readonly template: Name | undefined;
  readonly clauses: readonly PolicyClause[];
}
export type PolicyClause = SeverityClause | WhenClause | ThresholdClause | FirstSeenClause | ScopeClause | ModeClause | ThenClause;

export interface SeverityClause extends NodeBase {
  readonly kind: "Severity";
  readonly level: Name | undefined;
}
export interface WhenClause extends NodeBase {
  readonly kind: "When";
  readonly expr: Expr | undefined;
}
/** `users > 50 per day`. `per` is the window word when written (only `day` is valid). */
export interface ThresholdClause extends NodeBase {
  readonly kind: "Threshold";
  readonly metric: Name;
  readonly op: Operator | undefined;
  readonly value: Value | undefined;
  readonly per: Name | undefined;
}
/** `first seen within 7d`: the app counts as new when first seen inside the window. */
export interface FirstSeenClause extends NodeBase {
  readonly kind: "FirstSeen";
  readonly within: Value | undefined;
}
export interface ScopeClause extends NodeBase {
  readonly kind: "Scope";
  readonly scope: Scope;
}
export interface Scope extends NodeBase {
  readonly kind: "ScopeSpec";
  /** `all`, or the included groups. */
  readonly all: boolean;
  readonly include: readonly Name[];
  readonly exclude: readonly Name[];
}
export interface ModeClause extends NodeBase {
  readonly kind: "Mode";
  readonly mode: Name | undefined;
}
export interface ThenClause extends NodeBase {
  readonly kind: "Then";
  readonly actions: readonly Action[];
}
/** `unsanction`, `alert(limit: 5)`, `monitor(redirect: "…", bypass: 24h)`, `tag reviewed`. */
export interface Action extends NodeBase {
  readonly kind: "Action";
  readonly name: Name;
  readonly args: readonly Arg[];
  /** The tag name of `tag NAME`. */
  readonly tag: Name | undefined;
}
export interface Arg extends NodeBase {
  readonly kind: "Arg";
  readonly name: Name;
  readonly value: Value | undefined;
}

// ---- expressions ---------------------------------------------------------------------------

export type Expr = LogicalExpr | NotExpr | CompareExpr | ParenExpr;
export interface LogicalExpr extends NodeBase {
  readonly kind: "Logical";
  readonly op: "and" | "or";
  readonly left: Expr;
  readonly right: Expr | undefined;
}
export interface NotExpr extends NodeBase {
  readonly kind: "Not";
  readonly operand: Expr | undefined;
}
export interface ParenExpr extends NodeBase {
  readonly kind: "Paren";
  readonly inner: Expr | undefined;
}
/** `app.category == cloud_storage`, `app.score in 0..2`, or a bare boolean path `app.compliance.soc2`. */
export interface CompareExpr extends NodeBase {
  readonly kind: "Compare";
  readonly path: Name;
  readonly op: Operator | undefined;
  readonly value: Value | undefined;
}

// ---- manual decisions and tests ------------------------------------------------------------

/** `unsanction app "iTunes" mode audit`, `block domain "x.com" until 2027-01-01`. */
export interface DecisionDecl extends NodeBase {
  readonly kind: "Decision";
  readonly verb: Name;
  readonly target: Name | undefined;
  readonly value: StringLit | Name | IpLit | undefined;
  readonly options: readonly DecisionOption[];
}
export interface DecisionOption extends NodeBase {
  readonly kind: "DecisionOption";
  /** `until`, `mode`, `redirect`, `bypass`, `note`, `scope`. */
  readonly name: Name;
  readonly value: Value | undefined;
  readonly scope: Scope | undefined;
}

export interface TestDecl extends NodeBase {
  readonly kind: "Test";
  readonly name: StringLit | undefined;
  readonly body: readonly (TrafficDecl | ExpectDecl)[];
}
export interface TrafficDecl extends NodeBase {
  readonly kind: "Traffic";
  readonly fields: readonly TrafficField[];
}
/** `user "ann"`, `host www.example.com`, `up 10MB`, `at 2026-11-01`, `users 60`, `days 3`. */
export interface TrafficField extends NodeBase {
  readonly kind: "TrafficField";
  readonly name: Name;
  readonly value: Value | undefined;
}
export interface ExpectDecl extends NodeBase {
  readonly kind: "Expect";
  /** `app`, `verdict` or `alert`. */
  readonly what: Name | undefined;
  /** `not` (for app) or `no` (for alert). */
  readonly negated: boolean;
  /** The app name, host, URL, IP address, or policy name. */
  readonly subject: StringLit | Name | IpLit | undefined;
  /** `sanctioned`, `unsanctioned`, `monitored`, `tagged` + tag, or a verdict word. */
  readonly outcome: Name | undefined;
  readonly tag: Name | undefined;
  readonly device: StringLit | undefined;
}

export type AnyNode =
  | PolicyFile | Item | GroupMember | Operator | AppClause | ScoreEntry | PolicyClause | Scope | Action | Arg | Expr
  | DecisionOption | TrafficDecl | ExpectDecl | TrafficField | Value | Comment;
