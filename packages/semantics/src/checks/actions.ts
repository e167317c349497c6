import type * as A from "@sanction/syntax";
import type { CheckContext } from "../context.js";
import type { Action } from "../model.js";
import { checkUrl, describeValue } from "../values.js";

const ACTIONS = ["alert", "sanction", "unsanction", "monitor", "tag"] as const;
const ARGS: Record<string, readonly string[]> = {
  alert: ["limit"],
  sanction: [],
  unsanction: ["redirect"],
  monitor: ["redirect", "bypass"],
  tag: [],
};

export function checkActions(ctx: CheckContext, c: A.ThenClause): Action[] {
  const out: Action[] = [];
  const byKind = new Map<string, A.Action>();
  for (const a of c.actions) {
    const name = a.name.text;
    if (!(ACTIONS as readonly string[]).includes(name)) {
      if (name === "block" || name === "warn") {
        ctx.report("SAN308", a.name.span, `policies tag apps rather than block them: \`unsanction\` turns into block indicators, \`monitor\` into warn indicators`, {
          fixes: [{ title: `change to ${name === "block" ? "unsanction" : "monitor"}`, edits: [{ span: a.name.span, newText: name === "block" ? "unsanction" : "monitor" }] }],
        });
      } else {
        ctx.unknown("SAN308", a.name.span, "action", name, ACTIONS);
      }
      continue;
    }
    const prev = byKind.get(name === "tag" ? `tag:${a.tag?.text}` : name);
    if (prev) {
      ctx.report("SAN502", a.span, `\`${name}\` is already listed`, { related: [{ span: prev.span, message: "first listed here" }] });
      continue;
    }
    byKind.set(name === "tag" ? `tag:${a.tag?.text}` : name, a);
    const args = new Map<string, A.Arg>();
    for (const arg of a.args) {
      const allowed = ARGS[name]!;
      if (!allowed.includes(arg.name.text)) {
        ctx.report(
          "SAN505",
          arg.name.span,
          allowed.length ? `\`${name}\` takes ${allowed.map((x) => `\`${x}\``).join(" and ")}, not \`${arg.name.text}\`` : `\`${name}\` takes no options`,
        );
        continue;
      }
      if (args.has(arg.name.text)) {
        ctx.report("SAN502", arg.span, `\`${arg.name.text}\` is already given`);
        continue;
      }
      args.set(arg.name.text, arg);
    }
    const redirect = checkRedirect(ctx, args.get("redirect"));
    switch (name) {
      case "alert": {
        const limit = args.get("limit")?.value;
        if (limit && (limit.kind !== "Number" || !Number.isInteger(limit.value) || limit.value < 1)) {
          ctx.report("SAN401", limit.span, `the daily alert limit is a whole number of at least 1, not ${limit.kind === "Number" ? limit.raw : describeValue(limit)}`);
          out.push({ kind: "alert" });
        } else {
          out.push(limit?.kind === "Number" ? { kind: "alert", dailyLimit: limit.value } : { kind: "alert" });
        }
        break;
      }
      case "monitor": {
        const bypass = args.get("bypass")?.value;
        let bypassSeconds: number | undefined;
        if (bypass) {
          if (bypass.kind !== "Duration") ctx.report("SAN403", bypass.span, `the bypass is a duration such as 24h, not ${describeValue(bypass)}`);
          else if (bypass.seconds === 0) ctx.report("SAN408", bypass.span, "a bypass of zero lets nobody through; leave `bypass` out to use the default 24h");
          else bypassSeconds = bypass.seconds;
        }
        out.push({ kind: "monitor", ...(redirect ? { redirect } : {}), ...(bypassSeconds ? { bypassSeconds } : {}) });
        break;
      }
      case "sanction":
      case "unsanction":
        out.push({ kind: name, ...(redirect ? { redirect } : {}) });
        break;
      case "tag":
        if (a.tag) {
          if (["sanctioned", "unsanctioned", "monitored"].includes(a.tag.text)) {
            ctx.report("SAN308", a.tag.span, `\`${a.tag.text}\` is a built-in tag: use the \`${a.tag.text.replace(/ed$/, "")}\` action`);
          } else out.push({ kind: "tag", tag: a.tag.text });
        }
        break;
    }
  }
  const tagsOf = ["sanction", "unsanction", "monitor"].filter((k) => byKind.has(k));
  if (tagsOf.length > 1) {
    const second = byKind.get(tagsOf[1]!)!;
    ctx.report("SAN506", second.span, `an app has one governance tag: \`${tagsOf.join("` and `")}\` cannot both apply`, {
      related: [{ span: byKind.get(tagsOf[0]!)!.span, message: "the other action" }],
    });
  }
  return out;
}

function checkRedirect(ctx: CheckContext, arg: A.Arg | undefined): string | undefined {
  const v = arg?.value;
  if (!v) return undefined;
  if (v.kind !== "String") {
    ctx.report("SAN401", v.span, `the redirect is a quoted URL, not ${describeValue(v)}`);
    return undefined;
  }
  const u = checkUrl(v.value);
  if (!u.ok) {
    ctx.report("SAN405", v.span, u.message);
    return undefined;
  }
  return u.value;
}
