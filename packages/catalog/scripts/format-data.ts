/**
 * Rewrites data/*.json in the canonical layout: two-space indentation, one app per block,
 * short string arrays (domains, aliases) on one line.
 *   npx tsx packages/catalog/scripts/format-data.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dataDir, readDataFiles } from "./generate-curated.js";

/** Canonical text of one data file. */
export function formatDataFile(json: unknown): string {
  const text = JSON.stringify(json, null, 2);
  // put arrays of plain strings on one line
  return (
    text.replace(/\[\n(\s+"(?:[^"\\]|\\.)*",?\n)+\s*\]/g, (block) => {
      const items = JSON.parse(block) as string[];
      return "[" + items.map((i) => JSON.stringify(i)).join(", ") + "]";
    }) + "\n"
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { file, json } of readDataFiles()) {
    const path = dataDir + file;
    const next = formatDataFile(json);
    if (readFileSync(path, "utf8") !== next) {
      writeFileSync(path, next);
      console.log(`formatted data/${file}`);
    }
  }
}
