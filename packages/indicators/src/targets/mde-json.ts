import { cmpStr } from "../model.js";
import { batches, batchName, mdeEntries, mdeLine, toMde, type MdeIndicator } from "./mde.js";
import type { Target } from "./types.js";

/**
 * Defender for Endpoint indicator API bodies: `POST /api/indicators/import` batches of at most
 * 500, `{"Indicators":[…]}`, one file per batch (`mde-indicators-0001.json`, …).
 */
export const mdeJson: Target = {
  name: "mde-json",
  summary: "Defender for Endpoint indicator import batches (JSON, 500 per file)",
  grouped: true,
  folder: true,
  render(set, opts) {
    const { entries, notes } = mdeEntries("mde-json", set, opts);
    const files = batches(entries.map(toMde)).map((b, i) => ({ name: batchName(i, "json"), content: JSON.stringify({ Indicators: b }, null, 2) + "\n" }));
    return { files, notes, count: entries.length };
  },
  entries(files) {
    const out: string[] = [];
    for (const f of files) {
      const body = JSON.parse(f.content) as { Indicators?: MdeIndicator[] };
      for (const m of body.Indicators ?? []) out.push(mdeLine(m));
    }
    return out.sort(cmpStr);
  },
};
