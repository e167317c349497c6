import type { Catalog } from "@sanction/catalog";

/** The type of something a `when` filter can read from an app. */
export type FieldType =
  | { readonly kind: "string" }
  | { readonly kind: "number"; readonly min?: number; readonly max?: number }
  | { readonly kind: "boolean" }
  | { readonly kind: "category" }
  | { readonly kind: "tags" }
  | { readonly kind: "domain" }
  | { readonly kind: "date" }
  | { readonly kind: "enum"; readonly values: readonly string[] };

/** App fields other than risk attributes, addressed as `app.NAME`. */
export const APP_FIELDS: Readonly<Record<string, { type: FieldType; description: string }>> = {
  name: { type: { kind: "string" }, description: "the app's display name" },
  vendor: { type: { kind: "string" }, description: "the company behind the app" },
  category: { type: { kind: "category" }, description: "the app's catalog category" },
  score: { type: { kind: "number", min: 0, max: 10 }, description: "risk score, 0 (high risk) to 10 (low risk)" },
  hq: { type: { kind: "string" }, description: "headquarters country (ISO 3166 alpha-2)" },
  tags: { type: { kind: "tags" }, description: "tags on the app: sanctioned, unsanctioned, monitored, and custom tags" },
  domain: { type: { kind: "domain" }, description: "any of the app's domains" },
};

/** Resolve `app.x` or `app.family.attr` to an attribute id and type. */
export function resolveField(path: string, catalog: Catalog): { id: string; type: FieldType } | { error: string; candidates: string[] } {
  const candidates = [...Object.keys(APP_FIELDS).map((f) => "app." + f), ...catalog.attributes.map((a) => "app." + a.id)];
  if (!path.startsWith("app.")) return { error: "not-app", candidates };
  const rest = path.slice(4);
  const field = APP_FIELDS[rest];
  if (field) return { id: rest, type: field.type };
  const attr = catalog.findAttribute(rest);
  if (attr) {
    const t = attr.type;
    const type: FieldType =
      t.kind === "enum" ? { kind: "enum", values: t.values } : t.kind === "number" ? { kind: "number", ...(t.min !== undefined ? { min: t.min } : {}), ...(t.max !== undefined ? { max: t.max } : {}) } : { kind: t.kind };
    return { id: rest, type };
  }
  return { error: "unknown", candidates };
}

export function describeType(t: FieldType): string {
  switch (t.kind) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "category":
      return "a category";
    case "tags":
      return "a set of tags";
    case "domain":
      return "a domain";
    case "date":
      return "a date";
    case "enum":
      return `one of ${t.values.join(", ")}`;
  }
}
