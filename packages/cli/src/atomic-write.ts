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
