import { cmpStr } from "../model.js";
import { csvRecord } from "./csv.js";
import { batches, batchName, mdeIndicators, mdeLine } from "./mde.js";
import { TextBuilder } from "./text.js";
import type { Target } from "./types.js";

/** The columns of Defender's indicator bulk-import CSV, in order. */
export const MDE_CSV_COLUMNS = ["indicatorType", "indicatorValue", "action", "title", "description", "expirationTime", "severity", "recommendedActions", "rbacGroups", "category", "mitretechniques", "GenerateAlert"] as const;

/** `2027-01-01` → `2027-01-01T00:00:00.0Z`, the CSV's expiration format. */
const csvTime = (date: string | undefined) => (date ? `${date.slice(0, 10)}T00:00:00.0Z` : "");

/** Defender for Endpoint bulk-import CSV, 500 indicators per file (the upload limit). */
export const mdeCsv: Target = {
  name: "mde-csv",
  summary: "Defender for Endpoint bulk-import CSV (500 per file)",
  grouped: true,
  folder: true,
  render(set, opts) {
    const { mde, notes } = mdeIndicators("mde-csv", set, opts);
    const files = batches(mde).map((b, i) => {
      const text = new TextBuilder();
      text.add(csvRecord(MDE_CSV_COLUMNS));
      for (const m of b) {
        text.add(csvRecord([m.indicatorType, m.indicatorValue, m.action, m.title, m.description, csvTime(m.expirationTime), m.severity, m.recommendedActions ?? "", m.rbacGroupNames.join(","), "", "", m.generateAlert ? "TRUE" : "FALSE"]));
      }
      return { name: batchName(i, "csv"), content: text.text() };
    });
    return { files, notes, count: mde.length };
  },
  entries(files, read) {
    const out: string[] = [];
    for (const f of files) {
      for (const r of read.csv(f).slice(1)) {
        out.push(
          mdeLine({
            indicatorType: r[0] as never,
            indicatorValue: r[1]!,
            action: r[2] as never,
            rbacGroupNames: r[8] ? r[8].split(",") : [],
            ...(r[5] ? { expirationTime: r[5] } : {}),
          }),
        );
      }
    }
    return out.sort(cmpStr);
  },
};
