import * as fs from "node:fs";
import * as path from "node:path";

/**
 * File access for the workspace loader. The CLI uses the real file system; the language server
 * overlays open editor buffers; tests use an in-memory map. Paths are absolute.
 */
export interface FileHost {
  /** File bytes, or an error message such as "no such file". */
  read(absPath: string): { bytes: Uint8Array } | { error: string };
  /** The path with symlinks resolved, or undefined when it does not exist. */
  realpath(absPath: string): string | undefined;
  /** `.sanction` files below a directory, recursively, sorted; undefined when not a directory. */
  listPolicyFiles(absDir: string): string[] | undefined;
}

export const nodeFileHost: FileHost = {
  read(p) {
    let fd: number | undefined;
    try {
      // Only a regular file is read. Reading a named pipe blocks until someone writes to it, a
      // device may never end: `sanction check` would hang on an import of one. Stat first, so
      // such a file is not even opened.
      const refused = notRegular(fs.statSync(p));
      if (refused) return { error: refused };
      // Then open without blocking (opening a pipe with no writer waits otherwise) and check the
      // opened file itself: a file swapped for a pipe between the stat and the open is refused
      // the same way, never read.
      fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      const st = fs.fstatSync(fd);
      const swapped = notRegular(st);
      if (swapped) return { error: swapped };
      if (st.size > MAX_POLICY_FILE_BYTES) return { error: tooLarge() };
      return readBounded(fd, st.size);
    } catch (e) {
      return { error: ioMessage(e) };
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },
  realpath(p) {
    try {
      return fs.realpathSync(p);
    } catch {
      return undefined;
    }
  },
  listPolicyFiles(dir) {
    let st: fs.Stats;
    try {
      st = fs.statSync(dir);
    } catch {
      return undefined;
    }
    if (!st.isDirectory()) return undefined;
    const out: string[] = [];
    const walk = (d: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name === "node_modules" || e.name.startsWith(".")) continue;
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        // A named pipe, socket or device named `*.sanction` is listed too: reading it is then
        // refused with its reason (not a regular file) instead of skipping it unreported.
        else if (!e.isSymbolicLink() && e.name.endsWith(".sanction")) out.push(full);
      }
    };
    walk(dir);
    return out.sort();
  },
};

/** Policy files larger than this are refused (a policy set is text written by people). */
export const MAX_POLICY_FILE_BYTES = 8 * 1024 * 1024;

const tooLarge = () => `larger than ${MAX_POLICY_FILE_BYTES / 1024 / 1024} MiB`;

/** Why a file that is not a regular file cannot be read as policy text; undefined for a regular file. */
function notRegular(st: fs.Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return "is a directory";
  if (st.isFIFO()) return "not a regular file (a named pipe)";
  if (st.isSocket()) return "not a regular file (a socket)";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "not a regular file (a device)";
  return "not a regular file";
}

/**
 * Read an opened regular file to its end, but never more than the size limit: a file that grows
 * while it is read is refused as too large rather than read without bound.
 */
function readBounded(fd: number, size: number): { bytes: Uint8Array } | { error: string } {
  // One byte more than the stated size, so the end of the file is seen without growing.
  let buf = Buffer.allocUnsafe(Math.min(Math.max(size + 1, 4096), MAX_POLICY_FILE_BYTES + 1));
  let length = 0;
  for (;;) {
    if (length === buf.length) {
      if (length > MAX_POLICY_FILE_BYTES) return { error: tooLarge() };
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_POLICY_FILE_BYTES + 1));
      buf.copy(bigger, 0, 0, length);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, length, buf.length - length, null);
    if (n === 0) break;
    length += n;
  }
  if (length > MAX_POLICY_FILE_BYTES) return { error: tooLarge() };
  return { bytes: buf.subarray(0, length) };
}

export function ioMessage(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "not a directory";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** In-memory host for tests and the language server: path → text. */
export function memoryFileHost(files: Record<string, string>): FileHost {
  const norm = new Map(Object.entries(files).map(([k, v]) => [path.resolve(k), v]));
  return {
    read(p) {
      const t = norm.get(path.resolve(p));
      return t === undefined ? { error: "no such file or directory" } : { bytes: new TextEncoder().encode(t) };
    },
    realpath(p) {
      const r = path.resolve(p);
      if (norm.has(r)) return r;
      for (const k of norm.keys()) if (k.startsWith(r + path.sep)) return r;
      return undefined;
    },
    listPolicyFiles(dir) {
      const r = path.resolve(dir);
      const list = [...norm.keys()].filter((k) => k.startsWith(r + path.sep) && k.endsWith(".sanction")).sort();
      return list.length || norm.has(r) ? list : undefined;
    },
  };
}
