import { describeNode, JsonSyntaxError, member, parseJsonWithLines, type JsonNode } from "./json-lines.js";
import { cleanName, controlIn, readCategory, readDomain, sortProblems, unknownCategory, type ImportedApp, type ImportedDomain, type ImportProblem, type ImportResult } from "./types.js";

/**
 * JSON: an array of `{ "name", "domains", "category", "vendor"? }`. `domains` is an array of
 * strings (or one string with domains separated by spaces or commas), written as the catalog
 * writes them (`example.com` exact, `*.example.com` subtree); `category` is an id or a label.
 * A bad entry is reported at the line of its `{`; a bad domain at its own line.
 */
export function importJson(text: string): ImportResult {
  const problems: ImportProblem[] = [];
  const apps: ImportedApp[] = [];
  const root = parseRoot(text, problems);
  if (!root) return { apps, problems };
  if (root.kind !== "array") {
    problems.push({ line: root.line, kind: "bad_row", message: `expected an array of apps, found ${describeNode(root)}; nothing imported` });
    return { apps, problems };
  }
  for (const entry of root.items) {
    const bad = (message: string) => problems.push({ line: entry.line, kind: "bad_row", message: `${message}; entry skipped` });
    if (entry.kind !== "object") {
      bad(`expected an app object, found ${describeNode(entry)}`);
      continue;
    }
    const nameNode = member(entry, "name");
    const vendorNode = member(entry, "vendor");
    const refused = (nameNode?.kind === "string" ? controlIn(nameNode.value, "name") : undefined) ?? (vendorNode?.kind === "string" ? controlIn(vendorNode.value, "vendor") : undefined);
    if (refused) {
      bad(refused);
      continue;
    }
    const name = nameNode?.kind === "string" ? cleanName(nameNode.value) : "";
    if (name === "") {
      bad(nameNode?.kind === "string" ? `"name" is empty` : nameNode ? `"name" must be a string, not ${describeNode(nameNode)}` : `no "name"`);
      continue;
    }
    const categoryNode = member(entry, "category");
    if (categoryNode?.kind !== "string" || categoryNode.value.trim() === "") {
      bad(`"${name}" has no category`);
      continue;
    }
    const category = readCategory(categoryNode.value);
    if (category === undefined) {
      bad(`"${name}": ${unknownCategory(categoryNode.value)}`);
      continue;
    }
    if (vendorNode && vendorNode.kind !== "string" && vendorNode.kind !== "null") {
      bad(`"${name}": "vendor" must be a string, not ${describeNode(vendorNode)}`);
      continue;
    }
    const domainsNode = member(entry, "domains");
    const raws: { raw: string; line: number }[] = [];
    if (domainsNode?.kind === "array") {
      for (const d of domainsNode.items) {
        if (d.kind === "string") raws.push({ raw: d.value, line: d.line });
        else problems.push({ line: d.line, kind: "bad_value", message: `"${name}": a domain must be a string, not ${describeNode(d)}; skipped` });
      }
    } else if (domainsNode?.kind === "string") {
      for (const raw of domainsNode.value.split(/[\s,;|]+/).filter(Boolean)) raws.push({ raw, line: domainsNode.line });
    } else if (domainsNode) {
      bad(`"${name}": "domains" must be an array of strings, not ${describeNode(domainsNode)}`);
      continue;
    }
    const domains = readDomains(name, raws, problems);
    if (domains.length === 0) {
      bad(`"${name}" has no valid domain`);
      continue;
    }
    const vendor = vendorNode?.kind === "string" ? cleanName(vendorNode.value) : "";
    apps.push({ name, ...(vendor ? { vendor } : {}), category, domains, line: entry.line });
  }
  return { apps, problems: sortProblems(problems) };
}

/** Parses JSON, turning a syntax error into a problem at its line. */
export function parseRoot(text: string, problems: ImportProblem[]): JsonNode | undefined {
  try {
    return parseJsonWithLines(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      problems.push({ line: e.line, kind: "bad_row", message: `${e.message}; nothing imported` });
      return undefined;
    }
    throw e;
  }
}

/** Reads domains in order, dropping duplicates and reporting bad ones at their lines. */
export function readDomains(name: string, raws: readonly { raw: string; line: number; subtree?: boolean }[], problems: ImportProblem[]): ImportedDomain[] {
  const out: ImportedDomain[] = [];
  for (const { raw, line, subtree } of raws) {
    const d = readDomain(raw, subtree ?? false);
    if ("error" in d) problems.push({ line, kind: "bad_value", message: `"${name}": ${d.error}; domain skipped` });
    else if (!out.some((x) => x.pattern === d.pattern)) out.push({ pattern: d.pattern, line });
  }
  return out;
}
