import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatDataFile } from "../scripts/format-data.js";
import { dataDir, generatedFile, readDataFiles, renderCuratedModule } from "../scripts/generate-curated.js";
import { CATEGORIES } from "../src/categories.js";

describe("curated data files", () => {
  it("the generated module matches data/*.json (run `npm run generate -w @sanction/catalog`)", () => {
    expect(readFileSync(generatedFile, "utf8")).toBe(renderCuratedModule());
  });

  it("are in the canonical layout (run `npm run generate -w @sanction/catalog`)", () => {
    for (const { file, json } of readDataFiles()) {
      expect(readFileSync(dataDir + file, "utf8"), file).toBe(formatDataFile(json));
    }
  });

  it("one file per category, named after it, holding only that category", () => {
    const ids = new Set(CATEGORIES.map((c) => c.id));
    for (const { file, json } of readDataFiles()) {
      const category = (json as { category: string }).category;
      expect(file).toBe(`${category}.json`);
      expect(ids.has(category), `${file}: unknown category ${category}`).toBe(true);
    }
  });
});
