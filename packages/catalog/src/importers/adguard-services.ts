import { describeNode, member } from "./json-lines.js";
import { parseRoot, readDomains } from "./json.js";
import { cleanName, controlIn, defaultCategoryOf, sortProblems, type ImportedApp, type ImportOptions, type ImportProblem, type ImportResult } from "./types.js";

/**
 * AdGuard HostlistsRegistry `services.json` (the "blocked services" of AdGuard Home and
 * AdGuard DNS): `{ "blocked_services": [{ "id", "name", "rules": ["||example.com^", …],
 * "group"? }] }`. Each service is an app. A rule `||domain^` blocks the domain and its
 * subdomains and becomes `*.domain`; any other rule (exceptions `@@…`, modifiers `$…`,
 * regular expressions, paths) is reported as unsupported and skipped. The optional `group`
 * maps to a category (below); otherwise `defaultCategory`. `icon_svg` is ignored.
 */
export const ADGUARD_GROUPS: Readonly<Record<string, string>> = {
  ai: "generative_ai",
  cdn: "hosting_services",
  gaming: "gaming",
  hosting: "hosting_services",
  messenger: "messaging",
  shopping: "ecommerce",
  social_network: "social_network",
  streaming: "streaming",
};

const RULE = /^\|\|([^|^$/*@]+)\^$/;

export function importAdguardServices(text: string, opts: ImportOptions = {}): ImportResult {
  const problems: ImportProblem[] = [];
  const apps: ImportedApp[] = [];
  const fallback = defaultCategoryOf(opts);
  const root = parseRoot(text, problems);
  if (!root) return { apps, problems };
  const list = member(root, "blocked_services");
  if (!list || list.kind !== "array") {
    problems.push({ line: root.line, kind: "bad_row", message: `expected an object with a "blocked_services" array; nothing imported` });
    return { apps, problems };
  }
  for (const service of list.items) {
    const bad = (message: string) => problems.push({ line: service.line, kind: "bad_row", message: `${message}; service skipped` });
    if (service.kind !== "object") {
      bad(`expected a service object, found ${describeNode(service)}`);
      continue;
    }
    const nameNode = member(service, "name");
    const idNode = member(service, "id");
    const rawName = nameNode?.kind === "string" ? nameNode.value : idNode?.kind === "string" ? idNode.value : "";
    const refused = controlIn(rawName, "name");
    if (refused) {
      bad(refused);
      continue;
    }
    const name = cleanName(rawName);
    if (name === "") {
      bad(`no "name" or "id"`);
      continue;
    }
    const rules = member(service, "rules");
    if (!rules || rules.kind !== "array") {
      bad(`"${name}" has no "rules" array`);
      continue;
    }
    const raws: { raw: string; line: number; subtree: boolean }[] = [];
    for (const r of rules.items) {
      if (r.kind !== "string") {
        problems.push({ line: r.line, kind: "bad_value", message: `"${name}": a rule must be a string, not ${describeNode(r)}; skipped` });
        continue;
      }
      const m = RULE.exec(r.value.trim());
      if (m) raws.push({ raw: m[1]!, line: r.line, subtree: true });
      else problems.push({ line: r.line, kind: "unsupported", message: `"${name}": rule ${JSON.stringify(r.value)} is not a plain ||domain^ rule; skipped` });
    }
    const domains = readDomains(name, raws, problems);
    if (domains.length === 0) {
      bad(`"${name}" has no ||domain^ rule the catalog can use`);
      continue;
    }
    const group = member(service, "group");
    const category = (group?.kind === "string" ? ADGUARD_GROUPS[group.value] : undefined) ?? fallback;
    apps.push({ name, category, domains, line: service.line });
  }
  return { apps, problems: sortProblems(problems) };
}
