import * as path from "node:path";
import { displayPath } from "@sanction/semantics";

export { isInside } from "@sanction/semantics";

export function resolveFrom(cwd: string, p: string): string {
  return path.resolve(cwd, p);
}

/** Paths in messages are relative to where the user ran the command. */
export function displayFrom(cwd: string, abs: string): string {
  return displayPath(abs, cwd);
}
