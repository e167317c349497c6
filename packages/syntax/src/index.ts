export * from "./ast.js";
export { parse, MAX_NESTING, MAX_SYNTAX_ERRORS, type ParseResult } from "./parse.js";
export { parseSize, parseDuration, decodeString, encodeString } from "./literals.js";
export * as tokens from "./tokens.js";
export { KEYWORD_WORDS } from "./tokens.js";
