import * as fs from "node:fs";
import * as path from "node:path";
import type { CsvMapping } from "./types.js";

/** Files in a log folder that are not logs: docs, scripts, column mappings. */
const NOT_A_LOG = /\.(md|sh|txt|mjs|cjs|js|ts|py|mapping\.json)$/i;
const DOC_NAME = /^(README|LICENSE|NOTICE)/i;

/**
 * The log files below a folder, recursively, in name order: every regular file except hidden
 * ones, documentation, scripts and `*.mapping.json` column mappings.
 */
export function listLogFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith(".")) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && !NOT_A_LOG.test(e.name) && !DOC_NAME.test(e.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/**
 * A CSV log whose columns cannot be guessed from its header carries its mapping beside it:
 * `export.csv` → `export.csv.mapping.json` (time, user, device, srcIp, host, dstIp, url,
 * bytesUp, bytesDown, action: column names or indexes; timeFormat; delimiter; header).
 * Undefined when there is none; throws with the reason when it exists but is not a mapping.
 */
export function csvMappingFor(file: string): CsvMapping | undefined {
  const sidecar = file + ".mapping.json";
  let text: string;
  try {
    text = fs.readFileSync(sidecar, "utf8");
  } catch {
    return undefined;
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new Error(`cannot use the column mapping ${sidecar}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof m !== "object" || m === null || Array.isArray(m)) throw new Error(`cannot use the column mapping ${sidecar}: expected a JSON object`);
  return m as CsvMapping;
}
