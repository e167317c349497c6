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
    try {
      const st = fs.statSync(p);
      if (st.isDirectory()) return { error: "is a directory" };
      if (st.size > MAX_POLICY_FILE_BYTES) return { error: `larger than ${MAX_POLICY_FILE_BYTES / 1024 / 1024} MiB` };
      return { bytes: fs.readFileSync(p) };
    } catch (e) {
      return { error: ioMessage(e) };
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
        else if (e.isFile() && e.name.endsWith(".sanction")) out.push(full);
      }
    };
    walk(dir);
    return out.sort();
  },
};

/** Policy files larger than this are refused (a policy set is text written by people). */
export const MAX_POLICY_FILE_BYTES = 8 * 1024 * 1024;

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
