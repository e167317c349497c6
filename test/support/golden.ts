import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";

/** True when golden files should be rewritten: `UPDATE_GOLDEN=1 npm test` (or `npm run test:update`). */
export const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

/**
 * Compare `actual` with the golden file at `expectedPath`, or rewrite the file when updating.
 * Goldens are reviewed as diffs in pull requests, so they are plain text with a final newline.
 */
export function expectGolden(actual: string, expectedPath: string): void {
  const text = actual.endsWith("\n") || actual === "" ? actual : actual + "\n";
  if (UPDATE) {
    mkdirSync(path.dirname(expectedPath), { recursive: true });
    writeFileSync(expectedPath, text);
    return;
  }
  if (!existsSync(expectedPath)) {
    throw new Error(`missing golden file ${expectedPath}: run \`npm run test:update\` and review the diff`);
  }
  expect(text).toBe(readFileSync(expectedPath, "utf8"));
}
