import { describeNode, member } from "./json-lines.js";
import { parseRoot, readDomains } from "./json.js";
import { cleanName, controlIn, defaultCategoryOf, sortProblems, type ImportedApp, type ImportOptions, type ImportProblem, type ImportResult } from "./types.js";

/**
 * 2FA Directory (2factorauth/twofactorauth) API v3 JSON, e.g. `all.json` or `totp.json`:
 * `[["Name", { "domain": "x.com", "additional-domains": [...], "categories": [...], … }], …]`.
 * Each entry is an app; `domain` and every additional domain become subtrees (`*.x.com`: the
 * directory lists sites by their registrable domain). The first category with a mapping
 * (below) gives the app's category, else `defaultCategory`. Other fields (`tfa`,
 * `documentation`, `contact`, `regions`…) are ignored: two-factor support is not a catalog
 * fact we can carry with provenance here.
 */
export const TWO_FA_CATEGORIES: Readonly<Record<string, string>> = {
  backup: "cloud_storage",
  banking: "finance_and_accounting",
  cloud: "cloud_computing_platform",
  communication: "messaging",
  cryptocurrencies: "finance_and_accounting",
  developer: "development_tools",
  domains: "hosting_services",
  education: "education",
  email: "webmail",
  entertainment: "news_and_entertainment",
  finance: "finance_and_accounting",
  gaming: "gaming",
  health: "health",
  hosting: "hosting_services",
  identity: "it_services",
  investing: "finance_and_accounting",
  marketing: "marketing",
  payments: "finance_and_accounting",
  remote: "it_services",
  retail: "ecommerce",
  security: "security",
  social: "social_network",
  transport: "travel",
};

export function importTwoFactorDirectory(text: string, opts: ImportOptions = {}): ImportResult {
  const problems: ImportProblem[] = [];
  const apps: ImportedApp[] = [];
  const fallback = defaultCategoryOf(opts);
  const root = parseRoot(text, problems);
  if (!root) return { apps, problems };
  if (root.kind !== "array") {
    problems.push({ line: root.line, kind: "bad_row", message: `expected an array of ["Name", {…}] entries, found ${describeNode(root)}; nothing imported` });
    return { apps, problems };
  }
  for (const entry of root.items) {
    const bad = (message: string) => problems.push({ line: entry.line, kind: "bad_row", message: `${message}; entry skipped` });
    if (entry.kind !== "array" || entry.items.length !== 2 || entry.items[0]!.kind !== "string" || entry.items[1]!.kind !== "object") {
      bad(`expected ["Name", { "domain": … }], found ${entry.kind === "array" ? `an array of ${entry.items.length}` : describeNode(entry)}`);
      continue;
    }
    const rawName = entry.items[0]!.kind === "string" ? entry.items[0]!.value : "";
    const refused = controlIn(rawName, "name");
    if (refused) {
      bad(refused);
      continue;
    }
    const name = cleanName(rawName);
    const body = entry.items[1]!;
    if (name === "") {
      bad("an empty name");
      continue;
    }
    const raws: { raw: string; line: number; subtree: boolean }[] = [];
    const domain = member(body, "domain");
    if (domain?.kind === "string") raws.push({ raw: domain.value, line: domain.line, subtree: true });
    else {
      bad(`"${name}" has no "domain"`);
      continue;
    }
    const more = member(body, "additional-domains");
    if (more?.kind === "array") {
      for (const d of more.items) {
        if (d.kind === "string") raws.push({ raw: d.value, line: d.line, subtree: true });
        else problems.push({ line: d.line, kind: "bad_value", message: `"${name}": a domain must be a string, not ${describeNode(d)}; skipped` });
      }
    } else if (more) problems.push({ line: more.line, kind: "bad_value", message: `"${name}": "additional-domains" must be an array; ignored` });
    const domains = readDomains(name, raws, problems);
    if (domains.length === 0) {
      bad(`"${name}" has no valid domain`);
      continue;
    }
    const categories = member(body, "categories") ?? member(body, "keywords");
    let category: string | undefined;
    if (categories?.kind === "array") {
      for (const c of categories.items) if (c.kind === "string" && (category = TWO_FA_CATEGORIES[c.value])) break;
    }
    apps.push({ name, category: category ?? fallback, domains, line: entry.line });
  }
  return { apps, problems: sortProblems(problems) };
}
