import { cmpStr } from "./model.js";

/** What changes between two outputs' entry lines: added and removed, each sorted. */
export function diffEntries(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: [...a].filter((x) => !b.has(x)).sort(cmpStr), removed: [...b].filter((x) => !a.has(x)).sort(cmpStr) };
}

export function renderDiff(d: { added: readonly string[]; removed: readonly string[] }): string {
  if (!d.added.length && !d.removed.length) return "no changes\n";
  return [...d.removed.map((x) => `- ${x}`), ...d.added.map((x) => `+ ${x}`)].join("\n") + `\n${d.added.length} added, ${d.removed.length} removed\n`;
}
