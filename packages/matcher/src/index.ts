export { buildMatcher, type MatcherEntry } from "./build.js";
export { HostMatcher, MatcherFormatError, type PatternMatch } from "./matcher.js";
export { fromBase64, toBase64 } from "./base64.js";
