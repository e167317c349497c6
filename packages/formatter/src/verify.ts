import type { PolicyFile } from "@sanction/syntax";
import { commentText } from "./comments.js";

/**
 * A canonical string for a parsed file with positions removed and comments compared by their
 * printed text (the formatter drops trailing whitespace inside comments). Two files that give
 * the same key mean the same program with the same comments in the same order.
 */
export function programKey(ast: PolicyFile): string {
  return JSON.stringify(ast, function (this: unknown, key: string, value: unknown) {
    if (key === "span") return undefined;
    if (key === "text" && isComment(this)) return commentText(this);
    return value;
  });
}

function isComment(x: unknown): x is { kind: "Comment"; text: string } {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "Comment";
}
