import * as fs from "node:fs";
import * as path from "node:path";
import { builtinCatalog } from "@sanction/catalog";
import { analyze, effectiveCatalog, nodeFileHost } from "@sanction/semantics";
import { compile, type Plan } from "@sanction/compiler";
import { readTraffic, type CsvMapping, type TrafficRecord } from "@sanction/traffic";

/** samples/policies compiled as `sanction compile` does (as-of fixed), and every record of samples/traffic. */
export const POLICIES = path.resolve(import.meta.dirname, "../../samples/policies");
export const TRAFFIC = path.resolve(import.meta.dirname, "../../samples/traffic");

export function compileSamples(): Plan {
  const analysis = analyze([POLICIES], { root: POLICIES, host: nodeFileHost, display: (abs) => path.relative(POLICIES, abs) });
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(`samples/policies has errors: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  const merged = effectiveCatalog(analysis.model, builtinCatalog(), { sources: analysis.sources });
  return compile(analysis.model, merged.catalog, { sources: analysis.sources, asOf: "2026-11-01" });
}

export function sampleTrafficFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.(md|sh|mjs|mapping\.json)$/.test(e.name)) out.push(p);
    }
  };
  walk(TRAFFIC);
  return out;
}

export async function readSampleTraffic(): Promise<TrafficRecord[]> {
  const records: TrafficRecord[] = [];
  for (const f of sampleTrafficFiles()) {
    const mapping = f + ".mapping.json";
    const csv = fs.existsSync(mapping) ? (JSON.parse(fs.readFileSync(mapping, "utf8")) as CsvMapping) : undefined;
    for await (const batch of readTraffic(f, { year: 2026, ...(csv ? { csv } : {}) })) records.push(...batch);
  }
  return records;
}
