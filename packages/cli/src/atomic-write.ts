import * as fs from "node:fs";
import * as path from "node:path";
import { IOFailure } from "./io.js";
import { ioMessage } from "@sanction/semantics";

/**
 * Write a file so that readers see the old or the new content, never a half-written file:
 * write a temporary file in the same folder, then rename it over the target. The file mode of
 * an existing target is kept; a missing folder is created.
 */
export function writeFileAtomic(target: string, content: string): void {
  const dir = path.dirname(target);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new IOFailure(`cannot create folder ${dir}: ${ioMessage(e)}`);
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    let mode: number | undefined;
    try {
      mode = fs.statSync(target).mode & 0o7777;
    } catch {
      mode = undefined;
    }
    fs.writeFileSync(tmp, content, mode !== undefined ? { mode } : {});
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // the temporary file may not exist; nothing else to clean
    }
    throw new IOFailure(`cannot write ${target}: ${ioMessage(e)}`);
  }
}
