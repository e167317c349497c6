import type * as A from "@sanction/syntax";
import type { AttributeType } from "@sanction/catalog";
import { checkDate, describeValue } from "../values.js";

/** Does a literal fit a catalog attribute type? Returns the stored value or why not. */
export function valueFits(v: A.Value, type: AttributeType): { value: boolean | number | string } | { error: string } {
  switch (type.kind) {
    case "boolean":
      return v.kind === "Bool" ? { value: v.value } : { error: `is true or false, not ${describeValue(v)}` };
    case "number":
      if (v.kind !== "Number") return { error: `is a number, not ${describeValue(v)}` };
      if ((type.min !== undefined && v.value < type.min) || (type.max !== undefined && v.value > type.max)) {
        return { error: `ranges over ${type.min ?? "-∞"}..${type.max ?? "∞"}; ${v.raw} is outside it` };
      }
      return { value: v.value };
    case "string":
      return v.kind === "String" ? { value: v.value } : { error: `is a quoted string, not ${describeValue(v)}` };
    case "date": {
      if (v.kind === "Date") {
        const d = checkDate(v.raw);
        return d.ok ? { value: d.value } : { error: d.message };
      }
      if (v.kind === "Number" && Number.isInteger(v.value)) return { value: v.value };
      return { error: `is a date (YYYY-MM-DD) or a year, not ${describeValue(v)}` };
    }
    case "enum": {
      const raw = v.kind === "Name" ? v.text : v.kind === "String" ? v.value : undefined;
      if (raw === undefined || !type.values.includes(raw)) return { error: `is one of ${type.values.join(", ")}` };
      return { value: raw };
    }
  }
}
