/*
 * The editor's workspace session as its own process (node --conditions=source --import tsx
 * test/hostile/ide-process.ts ROOT), for tests whose failure would be a hang: it checks the
 * workspace ROOT from disk and prints each file's diagnostics as JSON.
 */
import { WorkspaceSession } from "@sanction/ide";

const ws = new WorkspaceSession({ root: process.argv[2]! });
const checked = ws.check();
const out: Record<string, string[]> = {};
for (const [file, ds] of checked.byFile) out[file] = ds.map((d) => `${d.code} ${d.message}`);
process.stdout.write(JSON.stringify(out) + "\n");
