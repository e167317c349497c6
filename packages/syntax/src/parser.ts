import { EmbeddedActionsParser, type IToken, type TokenType } from "#chevrotain";
import { span, type Span } from "@sanction/diagnostics";
import * as T from "./tokens.js";
import type * as A from "./ast.js";
import { errorMessages } from "./parser-messages.js";
import { decodeString, parseDuration, parseSize } from "./literals.js";

const K = T.Keywords;

/**
 * Keywords that start clauses or combine conditions are never values, so that a missing value
 * (`when app.category ==` at the end of a line) is reported there and the next clause parses.
 */
const STRUCTURAL: ReadonlySet<TokenType> = new Set(
  (["when", "then", "severity", "scope", "mode", "first", "policy", "test", "group", "import", "override", "expect", "traffic", "and", "or", "not", "uses", "template", "per", "except", "until", "redirect", "bypass", "note"] as const).map((w) => K[w]),
);

/**
 * The grammar of one top-level item (see grammar/SYNTAX.md). The file level is not a rule:
 * `parse.ts` splits the token stream into items first, so an error in one item can never
 * swallow the next one, and each item is parsed with chevrotain's own recovery on.
 *
 * Rules build AST nodes inside `ACTION` so nothing runs during chevrotain's grammar
 * recording. Tokens inserted by recovery have no position; `real()` turns them into
 * `undefined`, which the AST types allow everywhere a part may be missing.
 */
export class ItemParser extends EmbeddedActionsParser {
  /** Set before each item; spans need the file name. */
  file = "";

  /**
   * `validate` runs chevrotain's grammar validations (ambiguities, left recursion, unreachable
   * alternatives), a third of the parser's build time. The grammar is fixed at build time, so
   * the shared parser skips them and a test builds one with them on (test/syntax/grammar-validity.test.ts).
   */
  constructor(options: { readonly validate?: boolean } = {}) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: errorMessages, skipValidations: options.validate !== true });
    this.performSelfAnalysis();
  }

  /** Opening braces whose block ended without `}`; `parse` reports them. Reset per item. */
  unclosed: IToken[] = [];

  /**
   * The closing brace of a block, or undefined when it is missing. Making it optional keeps the
   * block's node (with the clauses that did parse) instead of losing the whole item.
   */
  private closeBrace(open: IToken): IToken | undefined {
    const close = this.OPTION9(() => this.CONSUME9(T.RCurly));
    this.ACTION(() => {
      if (!close && this.real(open)) this.unclosed.push(open);
    });
    return close;
  }

  /** The last real token consumed so far (for spans of unclosed blocks). */
  private lastToken(fallback: IToken): IToken {
    const t = this.LA(0);
    return this.real(t) ? t : fallback;
  }

  // ---- helpers (plain methods: only called inside ACTION) -------------------------------

  private real(tok: IToken | undefined): IToken | undefined {
    return tok && !tok.isInsertedInRecovery && Number.isFinite(tok.startOffset) ? tok : undefined;
  }
  private spanOf(first: IToken | { span: Span } | undefined, last: IToken | { span: Span } | undefined): Span {
    const start = (x: IToken | { span: Span } | undefined): number | undefined =>
      x === undefined ? undefined : "span" in x ? x.span.start : this.real(x) ? x.startOffset : undefined;
    const end = (x: IToken | { span: Span } | undefined): number | undefined =>
      x === undefined ? undefined : "span" in x ? x.span.end : this.real(x) ? (x.startOffset + x.image.length) : undefined;
    const s = start(first) ?? end(first) ?? start(last) ?? 0;
    const e = end(last) ?? end(first) ?? s;
    return span(this.file, s, Math.max(s, e));
  }
  private name(tok: IToken | undefined): A.Name | undefined {
    const t = this.real(tok);
    if (!t) return undefined;
    return { kind: "Name", text: t.image, dotted: t.tokenType === T.DottedName, span: this.spanOf(t, t) };
  }
  private str(tok: IToken | undefined): A.StringLit | undefined {
    const t = this.real(tok);
    if (!t) return undefined;
    const terminated = t.tokenType !== T.UnterminatedString;
    const body = terminated ? t.image.slice(1, -1) : t.image.slice(1);
    return { kind: "String", value: decodeString(body), terminated, span: this.spanOf(t, t) };
  }
  private op(tok: IToken | undefined): A.Operator | undefined {
    const t = this.real(tok);
    if (!t) return undefined;
    return { kind: "Operator", op: t.image as A.Operator["op"], span: this.spanOf(t, t) };
  }
  private last<N>(items: readonly N[]): N | undefined {
    return items.length ? items[items.length - 1] : undefined;
  }
  private defined<N>(items: readonly (N | undefined)[]): N[] {
    return items.filter((x): x is N => x !== undefined);
  }

  // ---- items --------------------------------------------------------------------------

  public item = this.RULE("item", (): A.Item | undefined =>
    this.OR([
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.groupDecl) },
      { ALT: () => this.SUBRULE(this.appDecl) },
      { ALT: () => this.SUBRULE(this.scoreDecl) },
      { ALT: () => this.SUBRULE(this.policyDecl) },
      { ALT: () => this.SUBRULE(this.testDecl) },
      { ALT: () => this.SUBRULE(this.decisionDecl) },
    ]),
  );

  private importDecl = this.RULE("importDecl", (): A.ImportDecl => {
    const kw = this.CONSUME(K.import);
    const path = this.CONSUME(T.StringLiteral);
    return this.ACTION(() => ({ kind: "Import", path: this.str(path), span: this.spanOf(kw, path) }));
  });

  private groupDecl = this.RULE("groupDecl", (): A.GroupDecl => {
    const kw = this.CONSUME(K.group);
    const name = this.CONSUME(T.Identifier);
    const open = this.CONSUME(T.LCurly);
    const members: (A.GroupMember | undefined)[] = [];
    this.MANY(() => {
      members.push(this.SUBRULE(this.groupMember));
    });
    const close = this.closeBrace(open);
    return this.ACTION(() => ({ kind: "Group", name: this.name(name), members: this.defined(members), span: this.spanOf(kw, close ?? this.lastToken(open)) }));
  });

  private groupMember = this.RULE("groupMember", (): A.GroupMember => {
    const sel = this.OR([{ ALT: () => this.CONSUME(T.DottedName) }, { ALT: () => this.CONSUME(T.Identifier) }]);
    const op = this.OR2([
      { ALT: () => this.CONSUME(T.EqEq) },
      { ALT: () => this.CONSUME(T.NotEq) },
      { ALT: () => this.CONSUME(K.in) },
      { ALT: () => this.CONSUME(K.matches) },
    ]);
    const values = this.SUBRULE(this.valueList);
    return this.ACTION(() => ({
      kind: "GroupMember",
      selector: this.name(sel)!,
      op: this.op(op),
      values,
      span: this.spanOf(sel, this.last(values) ?? op),
    }));
  });

  private valueList = this.RULE("valueList", (): A.Value[] => {
    const values: (A.Value | undefined)[] = [];
    values.push(this.SUBRULE(this.value));
    this.MANY(() => {
      this.CONSUME(T.Comma);
      values.push(this.SUBRULE2(this.value));
    });
    return this.ACTION(() => this.defined(values));
  });

  private appDecl = this.RULE("appDecl", (): A.AppDecl => {
    const ov = this.OPTION(() => this.CONSUME(K.override));
    const kw = this.CONSUME(K.app);
    const name = this.CONSUME(T.StringLiteral);
    const open = this.CONSUME(T.LCurly);
    const clauses: (A.AppClause | undefined)[] = [];
    this.MANY(() => {
      clauses.push(this.SUBRULE(this.appClause));
    });
    const close = this.closeBrace(open);
    return this.ACTION(() => ({
      kind: "App",
      override: ov !== undefined,
      name: this.str(name),
      clauses: this.defined(clauses),
      span: this.spanOf(ov ?? kw, close ?? this.lastToken(open)),
    }));
  });

  private appClause = this.RULE("appClause", (): A.AppClause => {
    let note: IToken | undefined;
    const result: { kw: IToken | undefined; attr: IToken | undefined; values: (A.Value | undefined)[] } = this.OR([
      {
        ALT: () => {
          const kw = this.OR2([
            { ALT: () => this.CONSUME(K.vendor) },
            { ALT: () => this.CONSUME(K.domains) },
            { ALT: () => this.CONSUME(K.urls) },
            { ALT: () => this.CONSUME(K.ips) },
            { ALT: () => this.CONSUME(K.category) },
            { ALT: () => this.CONSUME(K.hq) },
            { ALT: () => this.CONSUME(K.tag) },
          ]);
          const values = this.SUBRULE(this.valueList);
          return { kw, attr: undefined as IToken | undefined, values: values as (A.Value | undefined)[] };
        },
      },
      {
        ALT: () => {
          const kw = this.CONSUME(K.score);
          const v = this.SUBRULE(this.value);
          this.OPTION(() => {
            this.CONSUME(K.note);
            note = this.CONSUME2(T.StringLiteral);
          });
          return { kw, attr: undefined as IToken | undefined, values: [v] };
        },
      },
      {
        ALT: () => {
          const attr = this.CONSUME(T.DottedName);
          this.CONSUME(T.Eq);
          const v = this.SUBRULE2(this.value);
          return { kw: undefined as IToken | undefined, attr, values: [v] };
        },
      },
    ]);
    return this.ACTION(() => {
      const values = this.defined(result.values);
      const noteLit = this.str(note);
      return {
        kind: "AppClause",
        keyword: this.name(result.kw),
        attribute: this.name(result.attr),
        values,
        note: noteLit,
        span: this.spanOf(result.kw ?? result.attr, noteLit ?? this.last(values) ?? result.kw ?? result.attr),
      };
    });
  });

  private scoreDecl = this.RULE("scoreDecl", (): A.ScoreDecl => {
    const kw = this.CONSUME(K.score);
    const open = this.CONSUME(T.LCurly);
    const entries: (A.ScoreEntry | undefined)[] = [];
    this.MANY(() => {
      const key = this.OR([{ ALT: () => this.CONSUME(T.DottedName) }, { ALT: () => this.CONSUME(T.Identifier) }]);
      this.CONSUME(T.Colon);
      const value = this.CONSUME2(T.Identifier);
      this.OPTION(() => this.CONSUME(T.Comma));
      entries.push(
        this.ACTION(() => {
          const k = this.name(key);
          return k ? { kind: "ScoreEntry" as const, key: k, value: this.name(value), span: this.spanOf(key, value) } : undefined;
        }),
      );
    });
    const close = this.closeBrace(open);
    return this.ACTION(() => ({ kind: "Score", entries: this.defined(entries), span: this.spanOf(kw, close ?? this.lastToken(open)) }));
  });

  private policyDecl = this.RULE("policyDecl", (): A.PolicyDecl => {
    const kw = this.CONSUME(K.policy);
    const name = this.CONSUME(T.StringLiteral);
    let template: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(K.uses);
      this.CONSUME(K.template);
      template = this.CONSUME(T.Identifier);
    });
    const open = this.CONSUME(T.LCurly);
    const clauses: (A.PolicyClause | undefined)[] = [];
    this.MANY(() => {
      clauses.push(this.SUBRULE(this.policyClause));
    });
    const close = this.closeBrace(open);
    return this.ACTION(() => ({
      kind: "Policy",
      name: this.str(name),
      template: this.name(template),
      clauses: this.defined(clauses),
      span: this.spanOf(kw, close ?? this.lastToken(open)),
    }));
  });

  private policyClause = this.RULE("policyClause", (): A.PolicyClause | undefined =>
    this.OR([
      {
        ALT: () => {
          const kw = this.CONSUME(K.severity);
          const level = this.CONSUME(T.Identifier);
          return this.ACTION(() => ({ kind: "Severity" as const, level: this.name(level), span: this.spanOf(kw, level) }));
        },
      },
      {
        ALT: () => {
          const kw = this.CONSUME(K.when);
          const expr = this.SUBRULE(this.expr);
          return this.ACTION(() => ({ kind: "When" as const, expr, span: this.spanOf(kw, expr ?? kw) }));
        },
      },
      {
        ALT: () => {
          const kw = this.CONSUME(K.first);
          this.CONSUME(K.seen);
          this.CONSUME(K.within);
          const v = this.SUBRULE(this.value);
          return this.ACTION(() => ({ kind: "FirstSeen" as const, within: v, span: this.spanOf(kw, v ?? kw) }));
        },
      },
      {
        ALT: () => {
          const kw = this.CONSUME(K.scope);
          const scope = this.SUBRULE(this.scopeSpec);
          return this.ACTION(() => ({ kind: "Scope" as const, scope, span: this.spanOf(kw, scope) }));
        },
      },
      {
        ALT: () => {
          const kw = this.CONSUME(K.mode);
          const mode = this.CONSUME2(T.Identifier);
          return this.ACTION(() => ({ kind: "Mode" as const, mode: this.name(mode), span: this.spanOf(kw, mode) }));
        },
      },
      {
        ALT: () => {
          const kw = this.CONSUME(K.then);
          const actions: (A.Action | undefined)[] = [];
          actions.push(this.SUBRULE(this.action));
          this.MANY(() => {
            this.CONSUME(T.Comma);
            actions.push(this.SUBRULE2(this.action));
          });
          return this.ACTION(() => {
            const list = this.defined(actions);
            return { kind: "Then" as const, actions: list, span: this.spanOf(kw, this.last(list) ?? kw) };
          });
        },
      },
      {
        // `users > 50 per day`: the metric is any name; the checker knows the valid ones.
        ALT: () => {
          const metric = this.CONSUME3(T.Identifier);
          const op = this.SUBRULE(this.compareOp);
          const v = this.SUBRULE2(this.value);
          let per: IToken | undefined;
          this.OPTION(() => {
            this.CONSUME(K.per);
            per = this.CONSUME4(T.Identifier);
          });
          return this.ACTION(() => ({
            kind: "Threshold" as const,
            metric: this.name(metric)!,
            op: this.op(op),
            value: v,
            per: this.name(per),
            span: this.spanOf(metric, per ?? v ?? op ?? metric),
          }));
        },
      },
    ]),
  );

  private compareOp = this.RULE("compareOp", (): IToken =>
    this.OR([
      { ALT: () => this.CONSUME(T.EqEq) },
      { ALT: () => this.CONSUME(T.NotEq) },
      { ALT: () => this.CONSUME(T.LtEq) },
      { ALT: () => this.CONSUME(T.GtEq) },
      { ALT: () => this.CONSUME(T.Lt) },
      { ALT: () => this.CONSUME(T.Gt) },
    ]),
  );

  private scopeSpec = this.RULE("scopeSpec", (): A.Scope => {
    let all: IToken | undefined;
    const include: IToken[] = [];
    const exclude: IToken[] = [];
    // `all` is also a name; the first alternative wins, so `scope all` is never a group.
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
      { ALT: () => (all = this.CONSUME(K.all)) },
      {
        ALT: () => {
          include.push(this.CONSUME(T.Identifier));
          this.MANY(() => {
            this.CONSUME(T.Comma);
            include.push(this.CONSUME2(T.Identifier));
          });
        },
      },
    ]});
    this.OPTION(() => {
      this.CONSUME(K.except);
      exclude.push(this.CONSUME3(T.Identifier));
      this.MANY2(() => {
        this.CONSUME2(T.Comma);
        exclude.push(this.CONSUME4(T.Identifier));
      });
    });
    return this.ACTION(() => {
      const inc = this.defined(include.map((t) => this.name(t)));
      const exc = this.defined(exclude.map((t) => this.name(t)));
      const first = all ?? include[0];
      const last = this.last(exc) ?? this.last(inc) ?? all;
      return { kind: "ScopeSpec", all: all !== undefined, include: inc, exclude: exc, span: this.spanOf(first, last) };
    });
  });

  private action = this.RULE("action", (): A.Action => {
    let tag: IToken | undefined;
    const args: (A.Arg | undefined)[] = [];
    let close: IToken | undefined;
    const name = this.OR([
      {
        ALT: () => {
          const kw = this.CONSUME(K.tag);
          tag = this.CONSUME(T.Identifier);
          return kw;
        },
      },
      {
        ALT: () => {
          const n = this.CONSUME2(T.Identifier);
          this.OPTION(() => {
            this.CONSUME(T.LParen);
            args.push(this.SUBRULE(this.arg));
            this.MANY(() => {
              this.CONSUME(T.Comma);
              args.push(this.SUBRULE2(this.arg));
            });
            close = this.CONSUME(T.RParen);
          });
          return n;
        },
      },
    ]);
    return this.ACTION(() => ({
      kind: "Action",
      name: this.name(name)!,
      args: this.defined(args),
      tag: this.name(tag),
      span: this.spanOf(name, close ?? tag ?? this.last(this.defined(args)) ?? name),
    }));
  });

  private arg = this.RULE("arg", (): A.Arg | undefined => {
    const name = this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    const v = this.SUBRULE(this.value);
    return this.ACTION(() => {
      const n = this.name(name);
      return n ? { kind: "Arg" as const, name: n, value: v, span: this.spanOf(name, v ?? name) } : undefined;
    });
  });

  // ---- expressions ----------------------------------------------------------------------

  private expr = this.RULE("expr", (): A.Expr => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(K.or);
      const right = this.SUBRULE2(this.andExpr);
      left = this.ACTION(() => ({ kind: "Logical" as const, op: "or" as const, left, right, span: this.spanOf(left, right ?? left) }));
    });
    return left;
  });

  private andExpr = this.RULE("andExpr", (): A.Expr => {
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(K.and);
      const right = this.SUBRULE2(this.notExpr);
      left = this.ACTION(() => ({ kind: "Logical" as const, op: "and" as const, left, right, span: this.spanOf(left, right ?? left) }));
    });
    return left;
  });

  private notExpr = this.RULE("notExpr", (): A.Expr =>
    this.OR([
      {
        ALT: () => {
          const kw = this.CONSUME(K.not);
          const operand = this.SUBRULE(this.notExpr);
          return this.ACTION(() => ({ kind: "Not" as const, operand, span: this.spanOf(kw, operand ?? kw) }));
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expr);
          const close = this.CONSUME(T.RParen);
          return this.ACTION(() => ({ kind: "Paren" as const, inner, span: this.spanOf(open, close) }));
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]),
  );

  private comparison = this.RULE("comparison", (): A.CompareExpr => {
    const path = this.OR([{ ALT: () => this.CONSUME(T.DottedName) }, { ALT: () => this.CONSUME(T.Identifier) }]);
    let op: IToken | undefined;
    let v: A.Value | undefined;
    this.OPTION(() => {
      this.OR2([
        {
          ALT: () => {
            op = this.SUBRULE(this.compareOp);
            v = this.SUBRULE(this.value);
          },
        },
        {
          ALT: () => {
            op = this.CONSUME(K.in);
            v = this.OR3([{ ALT: () => this.SUBRULE(this.range) }, { ALT: () => this.SUBRULE2(this.value) }]);
          },
        },
        {
          ALT: () => {
            op = this.OR4([{ ALT: () => this.CONSUME(K.contains) }, { ALT: () => this.CONSUME(K.matches) }]);
            v = this.SUBRULE3(this.value);
          },
        },
      ]);
    });
    return this.ACTION(() => ({ kind: "Compare", path: this.name(path)!, op: this.op(op), value: v, span: this.spanOf(path, v ?? op ?? path) }));
  });

  private range = this.RULE("range", (): A.RangeLit => {
    const from = this.CONSUME(T.NumberLiteral);
    this.CONSUME(T.DotDot);
    const to = this.CONSUME2(T.NumberLiteral);
    return this.ACTION(() => {
      const num = (t: IToken): A.NumberLit | undefined =>
        this.real(t) ? { kind: "Number", value: Number(t.image), raw: t.image, span: this.spanOf(t, t) } : undefined;
      return { kind: "Range", from: num(from), to: num(to), span: this.spanOf(from, to) };
    });
  });

  // ---- values -----------------------------------------------------------------------------

  // Keywords `true`/`false` are also names; listing them first makes them win.
  private value = this.RULE("value", (): A.Value | undefined =>
    this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.literal(this.CONSUME(T.StringLiteral)) },
      { ALT: () => this.literal(this.CONSUME(T.SizeLiteral)) },
      { ALT: () => this.literal(this.CONSUME(T.DurationLiteral)) },
      { ALT: () => this.literal(this.CONSUME(T.DateLiteral)) },
      { ALT: () => this.literal(this.CONSUME(T.IpLiteral)) },
      { ALT: () => this.literal(this.CONSUME(T.NumberLiteral)) },
      { ALT: () => this.literal(this.CONSUME(K.true)) },
      { ALT: () => this.literal(this.CONSUME(K.false)) },
      { ALT: () => this.literal(this.CONSUME(T.DottedName)) },
      { GATE: () => !STRUCTURAL.has(this.LA(1).tokenType), ALT: () => this.literal(this.CONSUME(T.Identifier)) },
    ]}),
  );

  private literal(tok: IToken): A.Value | undefined {
    return this.ACTION(() => {
      const t = this.real(tok);
      if (!t) return undefined;
      const s = this.spanOf(t, t);
      const type: TokenType = t.tokenType;
      if (type === T.StringLiteral || type === T.UnterminatedString) return this.str(t);
      if (type === T.SizeLiteral) return { kind: "Size", bytes: parseSize(t.image), raw: t.image, span: s };
      if (type === T.DurationLiteral) return { kind: "Duration", seconds: parseDuration(t.image), raw: t.image, span: s };
      if (type === T.DateLiteral) return { kind: "Date", raw: t.image, span: s };
      if (type === T.IpLiteral) return { kind: "Ip", raw: t.image, span: s };
      if (type === T.NumberLiteral) return { kind: "Number", value: Number(t.image), raw: t.image, span: s };
      if (type === K.true || type === K.false) return { kind: "Bool", value: type === K.true, span: s };
      return this.name(t);
    });
  }

  private list = this.RULE("list", (): A.ListLit => {
    const open = this.CONSUME(T.LBracket);
    let items: A.Value[] = [];
    this.OPTION(() => {
      items = this.SUBRULE(this.valueList);
    });
    const close = this.CONSUME(T.RBracket);
    return this.ACTION(() => ({ kind: "List", items, span: this.spanOf(open, close) }));
  });

  // ---- manual decisions ---------------------------------------------------------------------

  private decisionDecl = this.RULE("decisionDecl", (): A.DecisionDecl => {
    const verb = this.OR([
      { ALT: () => this.CONSUME(K.sanction) },
      { ALT: () => this.CONSUME(K.unsanction) },
      { ALT: () => this.CONSUME(K.monitor) },
      { ALT: () => this.CONSUME(K.block) },
      { ALT: () => this.CONSUME(K.warn) },
      { ALT: () => this.CONSUME(K.audit) },
      { ALT: () => this.CONSUME(K.allow) },
    ]);
    const target = this.CONSUME(T.Identifier);
    const value = this.OR2([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.DottedName) },
      { ALT: () => this.CONSUME(T.IpLiteral) },
    ]);
    const options: (A.DecisionOption | undefined)[] = [];
    this.MANY(() => {
      options.push(this.SUBRULE(this.decisionOption));
    });
    return this.ACTION(() => {
      const opts = this.defined(options);
      const v = this.real(value);
      const val: A.DecisionDecl["value"] = !v
        ? undefined
        : v.tokenType === T.IpLiteral
          ? { kind: "Ip", raw: v.image, span: this.spanOf(v, v) }
          : v.tokenType === T.DottedName
            ? this.name(v)
            : this.str(v);
      return {
        kind: "Decision",
        verb: this.name(verb)!,
        target: this.name(target),
        value: val,
        options: opts,
        span: this.spanOf(verb, this.last(opts) ?? value ?? target ?? verb),
      };
    });
  });

  private decisionOption = this.RULE("decisionOption", (): A.DecisionOption => {
    let v: A.Value | undefined;
    let scope: A.Scope | undefined;
    const kw = this.OR([
      {
        ALT: () => {
          const k = this.OR2([
            { ALT: () => this.CONSUME(K.until) },
            { ALT: () => this.CONSUME(K.mode) },
            { ALT: () => this.CONSUME(K.redirect) },
            { ALT: () => this.CONSUME(K.bypass) },
            { ALT: () => this.CONSUME(K.note) },
          ]);
          v = this.SUBRULE(this.value);
          return k;
        },
      },
      {
        ALT: () => {
          const k = this.CONSUME(K.scope);
          scope = this.SUBRULE(this.scopeSpec);
          return k;
        },
      },
    ]);
    return this.ACTION(() => ({ kind: "DecisionOption", name: this.name(kw)!, value: v, scope, span: this.spanOf(kw, scope ?? v ?? kw) }));
  });

  // ---- tests ---------------------------------------------------------------------------------

  private testDecl = this.RULE("testDecl", (): A.TestDecl => {
    const kw = this.CONSUME(K.test);
    const name = this.CONSUME(T.StringLiteral);
    const open = this.CONSUME(T.LCurly);
    const body: (A.TrafficDecl | A.ExpectDecl | undefined)[] = [];
    this.MANY(() => {
      body.push(this.OR([{ ALT: () => this.SUBRULE(this.trafficDecl) }, { ALT: () => this.SUBRULE(this.expectDecl) }]));
    });
    const close = this.closeBrace(open);
    return this.ACTION(() => ({ kind: "Test", name: this.str(name), body: this.defined(body), span: this.spanOf(kw, close ?? this.lastToken(open)) }));
  });

  private trafficDecl = this.RULE("trafficDecl", (): A.TrafficDecl => {
    const kw = this.CONSUME(K.traffic);
    const open = this.CONSUME(T.LCurly);
    const fields: (A.TrafficField | undefined)[] = [];
    this.MANY(() => {
      const n = this.CONSUME(T.Identifier);
      const v = this.SUBRULE(this.value);
      fields.push(this.ACTION(() => ({ kind: "TrafficField" as const, name: this.name(n)!, value: v, span: this.spanOf(n, v ?? n) })));
    });
    const close = this.closeBrace(open);
    return this.ACTION(() => ({ kind: "Traffic", fields: this.defined(fields), span: this.spanOf(kw, close ?? this.lastToken(open)) }));
  });

  private expectDecl = this.RULE("expectDecl", (): A.ExpectDecl => {
    const kw = this.CONSUME(K.expect);
    let what: IToken | undefined;
    let negated: IToken | undefined;
    let subject: IToken | undefined;
    let outcome: IToken | undefined;
    let tag: IToken | undefined;
    let device: IToken | undefined;
    this.OR([
      {
        ALT: () => {
          what = this.CONSUME(K.app);
          subject = this.CONSUME(T.StringLiteral);
          this.OPTION(() => (negated = this.CONSUME(K.not)));
          this.OR2([
            {
              ALT: () => {
                outcome = this.CONSUME(K.tagged);
                tag = this.CONSUME(T.Identifier);
              },
            },
            { ALT: () => (outcome = this.CONSUME2(T.Identifier)) },
          ]);
        },
      },
      {
        ALT: () => {
          what = this.CONSUME(K.verdict);
          subject = this.OR3([{ ALT: () => this.CONSUME2(T.StringLiteral) }, { ALT: () => this.CONSUME(T.DottedName) }, { ALT: () => this.CONSUME(T.IpLiteral) }]);
          this.OPTION2(() => {
            this.CONSUME(K.for);
            this.CONSUME3(T.Identifier); // `device`
            device = this.CONSUME3(T.StringLiteral);
          });
          outcome = this.CONSUME4(T.Identifier);
        },
      },
      {
        ALT: () => {
          this.OPTION3(() => (negated = this.CONSUME(K.no)));
          what = this.CONSUME(K.alert);
          this.OPTION4(() => (subject = this.CONSUME4(T.StringLiteral)));
        },
      },
    ]);
    return this.ACTION(() => {
      const subj = this.real(subject);
      return {
        kind: "Expect",
        what: this.name(what),
        negated: negated !== undefined,
        subject: subj
          ? subj.tokenType === T.DottedName
            ? this.name(subj)
            : subj.tokenType === T.IpLiteral
              ? { kind: "Ip" as const, raw: subj.image, span: this.spanOf(subj, subj) }
              : this.str(subj)
          : undefined,
        outcome: this.name(outcome),
        tag: this.name(tag),
        device: this.str(device),
        span: this.spanOf(kw, tag ?? outcome ?? subject ?? what ?? kw),
      };
    });
  });
}

let shared: ItemParser | undefined;

/** The parser is expensive to build (grammar analysis) and stateless between inputs: build it once. */
export function itemParser(): ItemParser {
  return (shared ??= new ItemParser());
}
