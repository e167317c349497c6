import type { IParserErrorMessageProvider, IToken, TokenType } from "#chevrotain";

/** How a token type reads in an error message: keywords as themselves, literals by kind. */
export function describeTokenType(t: TokenType): string {
  const n = t.name;
  if (n.startsWith("Kw_")) return "`" + n.slice(3) + "`";
  const fixed: Record<string, string> = {
    StringLiteral: "a string",
    UnterminatedString: "a string",
    DateLiteral: "a date",
    IpLiteral: "an IP address",
    SizeLiteral: "a size such as 50MB",
    DurationLiteral: "a duration such as 24h",
    NumberLiteral: "a number",
    DottedName: "a dotted name",
    Identifier: "a name",
    LCurly: "`{`",
    RCurly: "`}`",
    LParen: "`(`",
    RParen: "`)`",
    LBracket: "`[`",
    RBracket: "`]`",
    Comma: "`,`",
    Colon: "`:`",
    DotDot: "`..`",
    EqEq: "`==`",
    NotEq: "`!=`",
    LtEq: "`<=`",
    GtEq: "`>=`",
    Lt: "`<`",
    Gt: "`>`",
    Eq: "`=`",
    EOF: "the end of the declaration",
  };
  return fixed[n] ?? n;
}

export function describeToken(tok: IToken): string {
  if (tok.tokenType.name === "EOF") return "the end of the declaration";
  const img = tok.image.length > 40 ? tok.image.slice(0, 37) + "..." : tok.image;
  return "`" + img + "`";
}

function oneOf(types: string[]): string {
  const uniq = [...new Set(types)];
  if (uniq.length <= 1) return uniq[0] ?? "something else";
  if (uniq.length > 6) return uniq.slice(0, 6).join(", ") + ", …";
  return uniq.slice(0, -1).join(", ") + " or " + uniq[uniq.length - 1];
}

const ruleNames: Record<string, string> = {
  item: "a declaration",
  policyClause: "a policy clause (severity, when, a threshold, first seen within, scope, mode, then)",
  appClause: "an app clause (vendor, domains, urls, ips, category, hq, score, tag, or attribute = value)",
  value: "a value",
  expectDecl: "an expectation",
  decisionOption: "an option (until, mode, redirect, bypass, note, scope)",
  notExpr: "a condition",
  action: "an action",
};

/** Messages in the project's style: lowercase, no final period, saying what was expected. */
export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${describeTokenType(expected)} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)} after the end of the declaration`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => (path[0] ? describeTokenType(path[0]) : "")));
    const what = ruleNames[ruleName] ?? oneOf(firsts.filter(Boolean));
    return `expected ${what} but found ${describeToken(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const firsts = expectedIterationPaths.map((p) => (p[0] ? describeTokenType(p[0]) : ""));
    return `expected at least one ${oneOf(firsts.filter(Boolean))} but found ${describeToken(actual[0]!)}`;
  },
};
