import { createToken, Lexer, type TokenType } from "#chevrotain";

/*
 * Token order matters: chevrotain takes the first pattern that matches, not the longest.
 * Literals that start with digits come first and are guarded by look-aheads so that a domain
 * such as `1drv.ms` or `163.com` is not split into a number and garbage; dotted names come
 * before keywords so that `app.category` is one token; keywords use `longer_alt` so that
 * `index` is a name, not the keyword `in` followed by `dex`.
 */

// Letters allowed in names and domain labels: ASCII word characters, `-`, and non-ASCII
// letters (IDN labels); `*` is lexed inside dotted names so the checker can explain a
// misplaced wildcard instead of the lexer rejecting it.
const LABEL = "[A-Za-z0-9_\\-\\u00A0-\\uFFFF*]+";
const NOT_WORD_AFTER = "(?![A-Za-z0-9_\\-\\u00A0-\\uFFFF]|\\.[A-Za-z0-9_\\-\\u00A0-\\uFFFF])";

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00A0\uFEFF]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: "comments" });

export const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/ });
// A string that reaches the end of its line unclosed: kept as a token so the parser still sees
// a string and the checker can report SAN103 at the right place.
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*/,
  categories: [StringLiteral],
});

export const DateLiteral = createToken({
  name: "DateLiteral",
  pattern: new RegExp("\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:\\d{2})?)?" + NOT_WORD_AFTER),
});
export const IpLiteral = createToken({
  name: "IpLiteral",
  pattern: new RegExp("\\d{1,3}(?:\\.\\d{1,3}){3}(?:/\\d{1,3})?" + NOT_WORD_AFTER),
});
export const SizeLiteral = createToken({
  name: "SizeLiteral",
  pattern: new RegExp("\\d+(?:\\.\\d+)?(?:[KMGT]i?B|B)" + NOT_WORD_AFTER, "i"),
});
export const DurationLiteral = createToken({
  name: "DurationLiteral",
  pattern: new RegExp("\\d+[smhdw]" + NOT_WORD_AFTER),
});
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: new RegExp("\\d+(?:\\.\\d+)?" + NOT_WORD_AFTER),
});

/** Two or more labels joined by dots: an attribute path or a domain name, by context. */
export const DottedName = createToken({ name: "DottedName", pattern: new RegExp(`${LABEL}(?:\\.${LABEL})+`) });

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** Every keyword is also an Identifier (token category), so keywords are soft: a group may be named `audit`. */
function keyword(word: string): TokenType {
  return createToken({
    name: "Kw_" + word,
    pattern: new RegExp(word + "(?![A-Za-z0-9_])"),
    longer_alt: Identifier,
    categories: [Identifier],
  });
}

export const KEYWORD_WORDS = [
  "import", "group", "app", "override", "score", "policy", "uses", "template", "when", "and", "or",
  "not", "in", "contains", "matches", "scope", "all", "except", "mode", "then", "severity", "test",
  "traffic", "expect", "true", "false", "per", "first", "seen", "within", "until", "redirect",
  "bypass", "note", "vendor", "domains", "urls", "ips", "category", "hq", "tag", "verdict", "for",
  "no", "tagged", "domain", "url", "ip", "sanction", "unsanction", "monitor", "block", "warn", "audit", "allow", "alert",
] as const;
export type KeywordWord = (typeof KEYWORD_WORDS)[number];

// Longest words first so that a keyword that is a prefix of another never wins early.
export const Keywords: Record<KeywordWord, TokenType> = Object.fromEntries(
  [...KEYWORD_WORDS].map((w) => [w, keyword(w)]),
) as Record<KeywordWord, TokenType>;

export const LCurly = createToken({ name: "LCurly", pattern: /\{/ });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
export const DotDot = createToken({ name: "DotDot", pattern: /\.\./ });
export const EqEq = createToken({ name: "EqEq", pattern: /==/ });
export const NotEq = createToken({ name: "NotEq", pattern: /!=/ });
export const LtEq = createToken({ name: "LtEq", pattern: /<=/ });
export const GtEq = createToken({ name: "GtEq", pattern: />=/ });
export const Lt = createToken({ name: "Lt", pattern: /</ });
export const Gt = createToken({ name: "Gt", pattern: />/ });
export const Eq = createToken({ name: "Eq", pattern: /=/ });

const sortedKeywords = [...KEYWORD_WORDS].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map((w) => Keywords[w]);

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  DateLiteral,
  IpLiteral,
  SizeLiteral,
  DurationLiteral,
  NumberLiteral,
  DottedName,
  ...sortedKeywords,
  Identifier,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  DotDot,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Eq,
];
