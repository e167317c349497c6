import { readCsv } from "../csv.js";
import { cleanName, controlIn, readCategory, readDomain, sortProblems, unknownCategory, type ImportedApp, type ImportedDomain, type ImportProblem, type ImportResult } from "./types.js";

/**
 * CSV (RFC 4180: comma-separated, `"` quotes, `""` for a quote inside quotes, quoted fields
 * may span lines). Columns `name,domains,category[,vendor]`; a first row whose first cell is
 * `name`, or that has both a `name` and a `domains` cell, is a header, and then the columns may
 * come in any order (extra columns are ignored).
 * `domains` holds one or more domains separated by spaces, `;` or `|` (or commas inside a
 * quoted field), each as the catalog writes them: `example.com` is that name only,
 * `*.example.com` (or `.example.com`) the name and everything below. `category` is a category
 * id (`cloud_storage`) or label (`Cloud storage`). Blank lines and lines starting with `#`
 * are skipped. A row's line is the line it starts on.
 */
export function importCsv(text: string): ImportResult {
  const problems: ImportProblem[] = [];
  const apps: ImportedApp[] = [];
  const read = readCsv(text, { comments: true });
  for (const p of read.problems) problems.push({ line: p.line, kind: "bad_row", message: `${p.message}; row skipped` });
  const rows = read.rows;
  let columns = { name: 0, domains: 1, category: 2, vendor: 3 as number | undefined };
  let first = true;
  for (const row of rows) {
    const cells = row.cells.map((c) => c.trim());
    if (first) {
      first = false;
      const lower = cells.map((c) => c.toLowerCase());
      if (lower[0] === "name" || (lower.includes("name") && lower.includes("domains"))) {
        const index = (n: string) => lower.indexOf(n);
        const header = { name: index("name"), domains: index("domains"), category: index("category"), vendor: index("vendor") };
        const missing = (["domains", "category"] as const).filter((k) => header[k] < 0);
        if (missing.length) {
          problems.push({ line: row.line, kind: "bad_row", message: `the header has no ${missing.join(" or ")} column; nothing imported` });
          return { apps, problems: sortProblems(problems) };
        }
        columns = { ...header, vendor: header.vendor < 0 ? undefined : header.vendor };
        continue;
      }
    }
    const bad = (message: string) => problems.push({ line: row.line, kind: "bad_row", message: `${message}; row skipped` });
    const width = Math.max(columns.name, columns.domains, columns.category) + 1;
    if (cells.length < width) {
      bad(`expected at least ${width} columns (name, domains, category), found ${cells.length}`);
      continue;
    }
    const refused = controlIn(cells[columns.name] ?? "", "name") ?? (columns.vendor !== undefined ? controlIn(cells[columns.vendor] ?? "", "vendor") : undefined);
    if (refused) {
      bad(refused);
      continue;
    }
    const name = cleanName(cells[columns.name] ?? "");
    if (name === "") {
      bad("no app name");
      continue;
    }
    const rawCategory = cells[columns.category] ?? "";
    if (rawCategory === "") {
      bad(`"${name}" has no category`);
      continue;
    }
    const category = readCategory(rawCategory);
    if (category === undefined) {
      bad(`"${name}": ${unknownCategory(rawCategory)}`);
      continue;
    }
    const domains: ImportedDomain[] = [];
    for (const raw of (cells[columns.domains] ?? "").split(/[\s;|,]+/).filter(Boolean)) {
      const d = readDomain(raw, false);
      if ("error" in d) problems.push({ line: row.line, kind: "bad_value", message: `"${name}": ${d.error}; domain skipped` });
      else if (!domains.some((x) => x.pattern === d.pattern)) domains.push({ pattern: d.pattern, line: row.line });
    }
    if (domains.length === 0) {
      bad(`"${name}" has no valid domain`);
      continue;
    }
    const vendor = columns.vendor !== undefined ? cleanName(cells[columns.vendor] ?? "") : "";
    apps.push({ name, ...(vendor ? { vendor } : {}), category, domains, line: row.line });
  }
  return { apps, problems: sortProblems(problems) };
}
