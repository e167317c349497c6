import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { SpillFile } from "@sanction/engine";

/**
 * A scratch file for the simulation's spooled requests, in the system's temporary folder.
 * It is unlinked as soon as it is open where the system allows it (the data lives while the
 * descriptor does, and nothing is left behind even if the process is killed); elsewhere it is
 * deleted on close.
 */
export function tempSpill(): SpillFile {
  const dir = fs.mkdtempSync(path.join(tmpdir(), "sanction-spool-"));
  const file = path.join(dir, "requests.bin");
  const fd = fs.openSync(file, "w+", 0o600);
  let removed = false;
  const remove = () => {
    if (removed) return;
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      removed = true;
    } catch {
      // an open file cannot be removed on some systems: retried on close
    }
  };
  remove();
  let size = 0;
  let closed = false;
  return {
    write(bytes) {
      let done = 0;
      while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, size + done);
      size += bytes.length;
    },
    read(position, into) {
      let done = 0;
      while (done < into.length) {
        const n = fs.readSync(fd, into, done, into.length - done, position + done);
        if (n === 0) throw new Error(`the spool file ended early at byte ${position + done} of ${size}`);
        done += n;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      fs.closeSync(fd);
      remove();
    },
  };
}
