import { cmpStr } from "../model.js";
import { batches, batchName, mdeBatchJson, mdeIndicators, mdeLine, type MdeIndicator } from "./mde.js";
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
    const { mde, notes } = mdeIndicators("mde-json", set, opts);
    const files = batches(mde).map((b, i) => ({ name: batchName(i, "json"), content: mdeBatchJson(b) }));
    return { files, notes, count: mde.length };
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
