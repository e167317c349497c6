import type * as A from "@sanction/syntax";
import type { CheckContext } from "../context.js";
import type { ScopeSpec } from "../model.js";

export const ALL_DEVICES: ScopeSpec = { include: undefined, exclude: [] };

/** Resolve group names of a `scope` clause; unknown groups are reported. */
export function checkScope(ctx: CheckContext, s: A.Scope): ScopeSpec {
  const names = [...ctx.symbols.groups.keys()];
  const resolve = (list: readonly A.Name[]) => {
    const out: string[] = [];
    for (const n of list) {
      if (ctx.symbols.groups.has(n.text)) out.push(n.text);
      else ctx.unknown("SAN302", n.span, "group", n.text, names);
    }
    return [...new Set(out)].sort();
  };
  const include = s.all ? undefined : resolve(s.include);
  const exclude = resolve(s.exclude);
  if (include) {
    for (const n of s.exclude) {
      if (include.includes(n.text)) ctx.report("SAN402", n.span, `group \`${n.text}\` is both included and excluded, so the scope is empty for it`);
    }
  }
  return { include, exclude };
}

export function sameScope(a: ScopeSpec, b: ScopeSpec): boolean {
  const key = (s: ScopeSpec) => JSON.stringify([s.include ?? "*", s.exclude]);
  return key(a) === key(b);
}
