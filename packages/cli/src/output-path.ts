import * as fs from "node:fs";
import * as path from "node:path";
import type { GlobalOptions } from "./args.js";
import { IOFailure, type CliIO } from "./io.js";
import { displayFrom, isInside } from "./paths.js";

/*
 * Where the CLI may write. Every output path (-o, --indicators, --state, --junit, fmt --write,
 * …) must resolve inside one of the allowed folders: the working directory, the `--root` folder
 * when the command has one, and each folder named with `--output-root`. Paths are compared
 * after resolving symbolic links, so `..`, absolute paths, a symlinked folder and a symlinked
 * file cannot lead a write outside. Writing elsewhere (e.g. /etc/unbound) stays possible, but
 * only by naming the folder.
 */

export interface OutputRoot {
  /** The folder, absolute, with symbolic links resolved. */
  readonly dir: string;
  /** How the user gave it, for messages: "the working directory", "--root", "--output-root". */
  readonly via: string;
}

/** The folders a command may write under. */
export function outputRoots(io: CliIO, globals: GlobalOptions, rootOption?: string): OutputRoot[] {
  const roots: OutputRoot[] = [{ dir: canonical(io.cwd), via: "the working directory" }];
  if (rootOption) roots.push({ dir: canonical(path.resolve(io.cwd, rootOption)), via: "--root" });
  for (const r of globals.outputRoots) roots.push({ dir: canonical(path.resolve(io.cwd, r)), via: "--output-root" });
  return roots;
}

/** Refused: the output would land outside every allowed folder. Exit code 2, like any I/O error. */
export class OutputRefused extends IOFailure {}

/**
 * The absolute path to write `raw` (as given on the command line) to, checked against `roots`.
 * Missing folders are allowed (the writer creates them) when their deepest existing ancestor,
 * symbolic links resolved, is inside a root. When the target itself is a symbolic link to a
 * file inside a root, the real file is returned, so the write replaces that file and the link
 * stays; a link leading outside, or to nothing, is refused. Nothing is written here.
 */
export function resolveOutput(io: CliIO, raw: string, roots: readonly OutputRoot[]): string {
  const abs = path.resolve(io.cwd, raw);
  const parent = canonical(path.dirname(abs), (link) => refuse(raw, roots, `folder ${displayFrom(io.cwd, link)} is a symbolic link to a missing folder`, undefined));
  let target = path.join(parent, path.basename(abs));
  const link = fs.lstatSync(target, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) {
    const real = realpathOrUndefined(target);
    if (real === undefined) refuse(raw, roots, `it is a symbolic link to a missing file (${fs.readlinkSync(target)})`, undefined);
    if (!inAnyRoot(real, roots)) refuse(raw, roots, `it is a symbolic link to ${real}, outside the allowed folders`, path.dirname(real));
    target = real;
  }
  if (!inAnyRoot(target, roots)) {
    const viaLink = linkOutside(path.dirname(abs), roots);
    const why = viaLink ? `folder ${displayFrom(io.cwd, viaLink.link)} is a symbolic link to ${viaLink.real}, outside the allowed folders` : `${target} is outside the allowed folders`;
    refuse(raw, roots, why, path.dirname(target));
  }
  return target;
}

function refuse(raw: string, roots: readonly OutputRoot[], why: string, allow: string | undefined): never {
  const allowed = roots.map((r) => (r.via === "the working directory" ? `the working directory ${r.dir}` : `${r.via} ${r.dir}`)).join(", ");
  const hint = allow ? `; to write there, add --output-root ${allow}` : "";
  throw new OutputRefused(`cannot write ${raw}: ${why} (allowed: ${allowed})${hint}; nothing written`);
}

function inAnyRoot(p: string, roots: readonly OutputRoot[]): boolean {
  return roots.some((r) => isInside(r.dir, p));
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * `abs` with symbolic links resolved in its deepest existing ancestor; the missing rest is
 * appended as written (it will be created as plain folders). A missing component that is a
 * dangling symbolic link is reported through `onDangling` (creating through it would follow it).
 */
function canonical(abs: string, onDangling?: (link: string) => never): string {
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    const real = realpathOrUndefined(cur);
    if (real !== undefined) return path.join(real, ...missing.reverse());
    if (onDangling && fs.lstatSync(cur, { throwIfNoEntry: false })?.isSymbolicLink()) onDangling(cur);
    const up = path.dirname(cur);
    if (up === cur) return abs;
    missing.push(path.basename(cur));
    cur = up;
  }
}

/** For the message: the deepest folder on the way to `dir` that is a link, when it resolves outside the roots. */
function linkOutside(dir: string, roots: readonly OutputRoot[]): { link: string; real: string } | undefined {
  for (let cur = dir; path.dirname(cur) !== cur; cur = path.dirname(cur)) {
    if (!fs.lstatSync(cur, { throwIfNoEntry: false })?.isSymbolicLink()) continue;
    const real = realpathOrUndefined(cur);
    return real !== undefined && !inAnyRoot(real, roots) ? { link: cur, real } : undefined;
  }
  return undefined;
}
