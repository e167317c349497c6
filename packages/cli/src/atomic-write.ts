import * as fs from "node:fs";
import * as path from "node:path";
import { IOFailure } from "./io.js";
import { ioMessage } from "@sanction/semantics";

/**
 * Write a file so that readers see the old or the new content, never a half-written file:
 * write a temporary file in the same folder, then rename it over the target. The file mode of
 * an existing target is kept; a missing folder is created.
 *
 * `target` should come from `resolveOutput` (output-path.ts), which confines it to the allowed
 * folders and resolves symbolic links. A rename would replace a symbolic link rather than write
 * through it, silently turning an operator's link into a plain file, so a target that is a link
 * here is refused. The temporary file is created exclusively, so a planted file or link at its
 * name is never followed.
 */
export function writeFileAtomic(target: string, content: string): void {
  const dir = path.dirname(target);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new IOFailure(`cannot create folder ${dir}: ${ioMessage(e)}`);
  }
  const existing = fs.lstatSync(target, { throwIfNoEntry: false });
  if (existing?.isSymbolicLink()) throw new IOFailure(`cannot write ${target}: it is a symbolic link (not replaced); nothing written`);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  let created = false;
  try {
    const mode = existing ? existing.mode & 0o7777 : undefined;
    const fd = fs.openSync(tmp, "wx", mode);
    created = true;
    try {
      fs.writeFileSync(fd, content);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      if (created) fs.rmSync(tmp, { force: true });
    } catch {
      // already gone; nothing else to clean
    }
    throw new IOFailure(`cannot write ${target}: ${ioMessage(e)}`);
  }
}

/**
 * Replace the files of a folder that a consumer reads as one set (Defender's import batches) so
 * that it never sees old and new files side by side: the whole new folder is built beside the
 * old one (`.NAME.PID.TIME.new`, keeping the old folder's other files), then two renames swap
 * them and the old one is removed. A run killed between the two renames leaves no folder at
 * the name (never a mixed one) with the old set intact beside it as `.NAME.PID.TIME.old`; the
 * next run removes what dead runs left. `replaced(name)` tells which of the old folder's files
 * belong to the set being replaced (they are not kept).
 */
export function replaceFolderAtomic(target: string, files: readonly { name: string; content: string }[], replaced: (name: string) => boolean): void {
  const dir = path.dirname(target);
  const base = path.basename(target);
  const stamp = `${process.pid}.${Date.now()}`;
  const staging = path.join(dir, `.${base}.${stamp}.new`);
  const old = path.join(dir, `.${base}.${stamp}.old`);
  let existing: fs.Stats | undefined;
  try {
    fs.mkdirSync(dir, { recursive: true });
    removeLeftovers(dir, base);
    existing = fs.lstatSync(target, { throwIfNoEntry: false });
    if (existing?.isSymbolicLink()) throw new Error("it is a symbolic link; give the folder it points to");
    if (existing && !existing.isDirectory()) throw new Error("it is not a folder");
    fs.mkdirSync(staging);
    if (existing) {
      for (const e of fs.readdirSync(target, { withFileTypes: true })) {
        if (replaced(e.name)) continue;
        fs.cpSync(path.join(target, e.name), path.join(staging, e.name), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      }
      fs.chmodSync(staging, existing.mode & 0o7777);
    }
    for (const f of files) fs.writeFileSync(path.join(staging, f.name), f.content, { flag: "wx" });
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new IOFailure(`cannot write ${target}: ${ioMessage(e)}`);
  }
  try {
    if (existing) fs.renameSync(target, old);
    fs.renameSync(staging, target);
  } catch (e) {
    // Put the old folder back when the new one could not take its place.
    if (existing && !fs.existsSync(target) && fs.existsSync(old)) fs.renameSync(old, target);
    fs.rmSync(staging, { recursive: true, force: true });
    throw new IOFailure(`cannot write ${target}: ${ioMessage(e)}`);
  }
  fs.rmSync(old, { recursive: true, force: true });
}

/** `.NAME.PID.TIME.new|old` folders of runs that died: removed when their process is gone. */
function removeLeftovers(dir: string, base: string): void {
  const prefix = `.${base}.`;
  for (const n of fs.readdirSync(dir)) {
    if (!n.startsWith(prefix)) continue;
    const m = /^(\d+)\.\d+\.(new|old)$/.exec(n.slice(prefix.length));
    if (!m || alive(Number(m[1]))) continue;
    const p = path.join(dir, n);
    // A dead run's old set with no folder at the name (killed between the renames) is put back.
    if (m[2] === "old" && !fs.existsSync(path.join(dir, base))) fs.renameSync(p, path.join(dir, base));
    else fs.rmSync(p, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
