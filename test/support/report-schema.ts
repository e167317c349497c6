import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

/*
 * The JSON Schemas shipped with the engine (packages/engine/schema), compiled once, strict:
 * the report, the policy diff and the would-be indicators file.
 */

const dir = path.resolve(__dirname, "../../packages/engine/schema");
const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const name of ["report", "diff", "indicators"]) ajv.addSchema(JSON.parse(readFileSync(path.join(dir, `${name}.schema.json`), "utf8")) as object);

const get = (id: string): ValidateFunction => {
  const v = ajv.getSchema(id);
  if (v === undefined) throw new Error(`no schema ${id}`);
  return v;
};
export const validReport = get("urn:sanction:schema:report:1");
export const validDiff = get("urn:sanction:schema:diff:1");
export const validIndicators = get("urn:sanction:schema:indicators:1");

/** What is wrong with `data` under `validate`, one line per error; empty when it is valid. */
export function schemaProblems(validate: ValidateFunction, data: unknown): string[] {
  if (validate(data)) return [];
  return describe(validate.errors);
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? `: ${String(e.params.additionalProperty)}` : ""}`);
}
