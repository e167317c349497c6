import * as path from "node:path";
import { isInside } from "./paths.js";

/**
 * The folder imports must stay inside: `--root` when given; otherwise the working directory,
 * or, when an entry lies outside it, the deepest folder that contains every entry.
 */
export function workspaceRoot(cwd: string, entries: readonly string[], explicit?: string): string {
  if (explicit) return path.resolve(cwd, explicit);
  const abs = entries.map((e) => path.resolve(cwd, e));
  if (abs.every((p) => isInside(cwd, p))) return cwd;
  let root = path.dirname(abs[0]!);
  while (!abs.every((p) => isInside(root, p))) root = path.dirname(root);
  return root;
}
