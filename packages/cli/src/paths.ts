import * as path from "node:path";
import { displayPath } from "@sanction/semantics";

export function resolveFrom(cwd: string, p: string): string {
  return path.resolve(cwd, p);
}

/** `p` is `dir` or below it (both absolute and normalised); a name such as `..data` is below. */
export function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Paths in messages are relative to where the user ran the command. */
export function displayFrom(cwd: string, abs: string): string {
  return displayPath(abs, cwd);
}
