import * as path from "node:path";

/**
 * The folder imports must stay inside: `--root` when given; otherwise the working directory,
 * or, when an entry lies outside it, the deepest folder that contains every entry.
 */
export function workspaceRoot(cwd: string, entries: readonly string[], explicit?: string): string {
  if (explicit) return path.resolve(cwd, explicit);
  const abs = entries.map((e) => path.resolve(cwd, e));
  const inside = (dir: string, p: string) => {
    const rel = path.relative(dir, p);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
  };
  if (abs.every((p) => inside(cwd, p))) return cwd;
  let root = path.dirname(abs[0]!);
  while (!abs.every((p) => inside(root, p))) root = path.dirname(root);
  return root;
}
