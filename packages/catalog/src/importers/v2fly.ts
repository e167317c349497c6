import { readDomains } from "./json.js";
import { cleanName, controlIn, defaultCategoryOf, sortProblems, type ImportOptions, type ImportProblem, type ImportResult } from "./types.js";

/**
 * A data file of v2fly/domain-list-community (`data/dropbox`): one rule per line, `#` starts a
 * comment. The file is one app, named after the file (`dropbox` → `Dropbox`) unless
 * `appName` is given; its category is `defaultCategory` (the format has none).
 *
 *   `domain:x` and a bare `x`  → `*.x` (the name and its subdomains)
 *   `full:x`                   → `x` (that name only)
 *   `include:other`            → reported as unsupported: import that file on its own
 *   `regexp:…`, `keyword:…`    → reported as unsupported and skipped (not domain patterns)
 *   any other `prefix:`        → reported as a bad line
 * Attributes (`@ads`, `@cn`) and affiliations (`&other`) after a rule are ignored.
 */
export function importV2fly(text: string, opts: ImportOptions = {}): ImportResult {
  const problems: ImportProblem[] = [];
  const category = defaultCategoryOf(opts);
  const rawName = opts.appName ?? appNameFromFile(opts.fileName ?? "list");
  const refused = controlIn(rawName, "name");
  if (refused) return { apps: [], problems: [{ line: 1, kind: "bad_row", message: `${refused}; nothing imported` }] };
  const name = cleanName(rawName);
  const raws: { raw: string; line: number; subtree: boolean }[] = [];
  const lines = text.replace(/^\ufeff/, "").split("\n");
  lines.forEach((full, index) => {
    const line = index + 1;
    const hash = full.indexOf("#");
    const content = (hash >= 0 ? full.slice(0, hash) : full).trim();
    if (content === "") return;
    const rule = content.split(/\s+/)[0]!;
    const colon = rule.indexOf(":");
    const prefix = colon >= 0 ? rule.slice(0, colon) : "";
    const value = colon >= 0 ? rule.slice(colon + 1) : rule;
    switch (prefix) {
      case "":
      case "domain":
        raws.push({ raw: value, line, subtree: true });
        return;
      case "full":
        raws.push({ raw: value, line, subtree: false });
        return;
      case "include":
        problems.push({ line, kind: "unsupported", message: `include:${value} is not followed; import the ${value} list on its own` });
        return;
      case "regexp":
      case "keyword":
        problems.push({ line, kind: "unsupported", message: `${prefix}: rules match by ${prefix === "regexp" ? "regular expression" : "substring"}, not by domain; skipped` });
        return;
      default:
        problems.push({ line, kind: "bad_row", message: `unknown rule type "${prefix}:" (expected domain:, full:, include:, regexp: or keyword:); line skipped` });
    }
  });
  const domains = readDomains(name, raws, problems);
  if (domains.length === 0) {
    problems.push({ line: 1, kind: "bad_row", message: `"${name}" has no domain rule the catalog can use; nothing imported` });
    return { apps: [], problems: sortProblems(problems) };
  }
  return { apps: [{ name, category, domains, line: domains[0]!.line }], problems: sortProblems(problems) };
}

/** `data/dropbox` → `Dropbox`; `microsoft-dev` → `Microsoft Dev`. */
export function appNameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base.replace(/\.(txt|list)$/i, "");
  return stem
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}
