import type * as A from "@sanction/syntax";
import type { CheckContext } from "../context.js";
import type { Group, GroupMemberRule } from "../model.js";
import { checkIp, describeValue } from "../values.js";

const SELECTORS = ["device.tag", "device.name", "user", "user.group", "ip"] as const;

export function checkGroup(ctx: CheckContext, g: A.GroupDecl): Group | undefined {
  const rules: GroupMemberRule[] = [];
  for (const m of g.members) {
    const sel = m.selector.text;
    if (!(SELECTORS as readonly string[]).includes(sel)) {
      ctx.unknown("SAN308", m.selector.span, "group selector", sel, SELECTORS);
      continue;
    }
    if (!m.op) continue;
    const op = m.op.op;
    if (op !== "==" && op !== "!=" && op !== "in" && op !== "matches") continue;
    if (sel === "ip" && op === "matches") {
      ctx.report("SAN401", m.op.span, "match addresses with `ip in 10.0.0.0/8`, not a pattern");
      continue;
    }
    const values: string[] = [];
    for (const v of m.values) {
      if (sel === "ip") {
        const raw = v.kind === "Ip" ? v.raw : v.kind === "String" ? v.value : undefined;
        if (raw === undefined) {
          ctx.report("SAN401", v.span, `ip takes an address or CIDR range such as 10.0.0.0/8, not ${describeValue(v)}`);
          continue;
        }
        const ip = checkIp(raw);
        if (!ip.ok) ctx.report("SAN406", v.span, ip.message);
        else values.push(ip.value);
      } else if (v.kind === "String") {
        if (v.value === "") ctx.report("SAN401", v.span, `an empty ${sel} never matches`);
        else values.push(v.value);
      } else {
        const hint = v.kind === "Name" ? ` (quote it: "${v.text}")` : "";
        ctx.report("SAN401", v.span, `${sel} takes a quoted string, not ${describeValue(v)}${hint}`);
      }
    }
    if (values.length > 1 && op !== "in") {
      ctx.report("SAN401", m.op.span, `several values need \`in\`: \`${sel} in ${values.map((x) => JSON.stringify(x)).join(", ")}\``);
      continue;
    }
    if (values.length) rules.push({ selector: sel as GroupMemberRule["selector"], op, values });
  }
  if (g.members.length === 0 && g.name) ctx.report("SAN309", g.name.span, `group \`${g.name.text}\` has no members, so it matches no device or user`);
  return g.name ? { name: g.name.text, rules, span: g.span } : undefined;
}
