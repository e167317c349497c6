import type * as A from "@sanction/syntax";
import type { CheckContext } from "../context.js";
import type { Decision, DecisionTarget, DecisionVerb, Mode } from "../model.js";
import { checkDate, checkDomain, checkIp, checkUrl, describeValue, textOf } from "../values.js";
import { checkScope, ALL_DEVICES, sameScope } from "./scope.js";

const APP_VERBS = new Set(["sanction", "unsanction", "monitor"]);
const TARGETS: readonly DecisionTarget[] = ["app", "domain", "url", "ip"];
/** Options each verb takes beyond until, mode, scope and note. */
const REDIRECT_VERBS = new Set(["unsanction", "monitor", "block", "warn"]);
const BYPASS_VERBS = new Set(["monitor", "warn"]);

export function checkDecision(ctx: CheckContext, d: A.DecisionDecl): Decision | undefined {
  const verb = d.verb.text as DecisionVerb;
  const target = d.target?.text;
  if (!d.target || target === undefined) return undefined;
  if (!(TARGETS as readonly string[]).includes(target)) {
    ctx.unknown("SAN308", d.target.span, "decision target", target, TARGETS);
    return undefined;
  }
  if (APP_VERBS.has(verb) && target !== "app") {
    ctx.report("SAN308", d.target.span, `\`${verb}\` applies to apps; for a ${target} write \`${verb === "unsanction" ? "block" : verb === "monitor" ? "warn" : "allow"} ${target}\``);
    return undefined;
  }
  if (!APP_VERBS.has(verb) && target === "app") {
    const instead = verb === "block" ? "unsanction" : verb === "warn" ? "monitor" : verb === "allow" ? "sanction" : undefined;
    ctx.report("SAN308", d.target.span, instead ? `apps are governed by tags: write \`${instead} app\`` : `\`audit\` applies to a domain, URL or IP; to audit an app write \`unsanction app "…" mode audit\``, {
      ...(instead ? { fixes: [{ title: `change to ${instead} app`, edits: [{ span: { ...d.verb.span }, newText: instead }] }] } : {}),
    });
    return undefined;
  }
  const v = d.value;
  if (!v) return undefined;
  const raw = textOf(v) ?? "";
  let value: string | undefined;
  switch (target as DecisionTarget) {
    case "app": {
      if (v.kind !== "String") {
        ctx.report("SAN401", v.span, `an app is named by a quoted string, such as "Dropbox"`);
        return undefined;
      }
      const app = ctx.resolveApp(raw);
      if (!app) {
        ctx.unknown("SAN301", v.span, "app", raw, ctx.appNames(), true);
        return undefined;
      }
      value = "custom" in app ? app.custom.name!.value : app.catalog.name;
      break;
    }
    case "domain": {
      const dom = checkDomain(raw);
      if (!dom.ok) {
        ctx.report(raw.includes("*") ? "SAN409" : "SAN404", v.span, dom.message);
        return undefined;
      }
      // Domain indicators always cover subdomains (Defender's rule), so `*.` adds nothing.
      value = dom.value.host;
      break;
    }
    case "url": {
      const u = checkUrl(raw);
      if (!u.ok) {
        ctx.report("SAN405", v.span, u.message);
        return undefined;
      }
      value = u.value;
      break;
    }
    case "ip": {
      const ip = checkIp(raw);
      if (!ip.ok) {
        ctx.report("SAN406", v.span, ip.message);
        return undefined;
      }
      value = ip.value;
      break;
    }
  }

  let until: string | undefined;
  let mode: Mode = "enforce";
  let redirect: string | undefined;
  let bypassSeconds: number | undefined;
  let note: string | undefined;
  let scope = ALL_DEVICES;
  const seen = new Map<string, A.DecisionOption>();
  for (const o of d.options) {
    const name = o.name.text;
    if (seen.has(name)) {
      ctx.report("SAN502", o.span, `\`${name}\` is already given`, { related: [{ span: seen.get(name)!.span, message: "first given here" }] });
      continue;
    }
    seen.set(name, o);
    const ov = o.value;
    switch (name) {
      case "until": {
        if (!ov) break;
        if (ov.kind !== "Date") {
          ctx.report("SAN407", ov.span, `\`until\` takes a date such as 2027-01-01, not ${describeValue(ov)}`);
          break;
        }
        const dt = checkDate(ov.raw);
        if (!dt.ok) ctx.report("SAN407", ov.span, dt.message);
        else until = dt.value;
        break;
      }
      case "mode":
        if (!ov) break;
        if (ov.kind === "Name" && (ov.text === "audit" || ov.text === "enforce")) {
          if (verb === "audit" || verb === "allow" || verb === "sanction") ctx.report("SAN604", o.span, `\`mode\` does not apply to \`${verb}\``);
          else mode = ov.text;
        } else ctx.unknown("SAN308", ov.span, "mode", textOf(ov) ?? "", ["audit", "enforce"]);
        break;
      case "redirect":
        if (!ov) break;
        if (!REDIRECT_VERBS.has(verb)) {
          ctx.report("SAN604", o.span, `\`redirect\` applies to block, warn, unsanction and monitor, not \`${verb}\``);
          break;
        }
        if (ov.kind !== "String") {
          ctx.report("SAN401", ov.span, `the redirect is a quoted URL, not ${describeValue(ov)}`);
          break;
        }
        {
          const u = checkUrl(ov.value);
          if (!u.ok) ctx.report("SAN405", ov.span, u.message);
          else redirect = u.value;
        }
        break;
      case "bypass":
        if (!ov) break;
        if (!BYPASS_VERBS.has(verb)) {
          ctx.report("SAN604", o.span, `\`bypass\` applies to warn and monitor, not \`${verb}\``);
          break;
        }
        if (ov.kind !== "Duration") ctx.report("SAN403", ov.span, `the bypass is a duration such as 24h, not ${describeValue(ov)}`);
        else if (ov.seconds === 0) ctx.report("SAN408", ov.span, "a bypass of zero lets nobody through; leave `bypass` out to use the default 24h");
        else bypassSeconds = ov.seconds;
        break;
      case "note":
        if (ov?.kind === "String") note = ov.value;
        else if (ov) ctx.report("SAN401", ov.span, `a note is a quoted string, not ${describeValue(ov)}`);
        break;
      case "scope":
        if (o.scope) scope = checkScope(ctx, o.scope);
        break;
    }
  }
  return {
    verb,
    target: target as DecisionTarget,
    value: value!,
    ...(until ? { until } : {}),
    mode,
    ...(redirect ? { redirect } : {}),
    ...(bypassSeconds ? { bypassSeconds } : {}),
    scope,
    ...(note !== undefined ? { note } : {}),
    span: d.span,
  };
}

/** Contradictions between manual decisions: same app, or same domain/URL/IP, in the same scope. */
export function checkDecisionConflicts(ctx: CheckContext, decisions: readonly Decision[]): void {
  const byKey = new Map<string, Decision[]>();
  for (const d of decisions) {
    const key = `${d.target}:${d.target === "app" ? d.value.toLowerCase() : d.value}`;
    const list = byKey.get(key) ?? [];
    list.push(d);
    byKey.set(key, list);
  }
  for (const list of byKey.values()) {
    for (let i = 1; i < list.length; i++) {
      const d = list[i]!;
      const prev = list.slice(0, i).find((p) => sameScope(p.scope, d.scope));
      if (!prev) continue;
      const what = d.target === "app" ? `app "${d.value}"` : `${d.target} ${d.value}`;
      if (prev.verb === d.verb && prev.mode === d.mode) {
        ctx.report("SAN605", d.span, `${what} is already ${pastTense(d.verb)} by an earlier decision`, { related: [{ span: prev.span, message: "the earlier decision" }] });
      } else if (d.target === "app") {
        ctx.report("SAN601", d.span, `conflicting decisions on ${what}: \`${prev.verb}${prev.mode === "audit" ? " … mode audit" : ""}\` and \`${d.verb}${d.mode === "audit" ? " … mode audit" : ""}\`; keep one`, {
          related: [{ span: prev.span, message: "the other decision" }],
        });
      } else {
        const winner = ["allow", "warn", "block", "audit"].find((v) => v === prev.verb || v === d.verb);
        ctx.report("SAN602", d.span, `two decisions on ${what}: \`${prev.verb}\` and \`${d.verb}\`; \`${winner}\` wins (Allow > Warn > Block)`, {
          related: [{ span: prev.span, message: "the other decision" }],
        });
      }
    }
  }
  // A domain decision under a parent domain with the same verb and scope adds nothing.
  // Parents are looked up by each suffix after a dot (not by comparing every pair: a large
  // policy set has thousands of domain decisions); the earliest declared parent is named.
  const domains = decisions.filter((d) => d.target === "domain");
  const byValue = new Map<string, number[]>();
  domains.forEach((d, i) => {
    const list = byValue.get(d.value);
    if (list) list.push(i);
    else byValue.set(d.value, [i]);
  });
  for (const d of domains) {
    let first = Infinity;
    for (let dot = d.value.indexOf("."); dot >= 0; dot = d.value.indexOf(".", dot + 1)) {
      for (const i of byValue.get(d.value.slice(dot + 1)) ?? []) {
        const p = domains[i]!;
        if (i < first && p !== d && p.verb === d.verb && p.mode === d.mode && sameScope(p.scope, d.scope) && (p.until ?? "") === (d.until ?? "")) first = i;
      }
    }
    const parent = domains[first];
    if (parent) {
      ctx.report("SAN603", d.span, `${d.verb} domain ${d.value} is already covered by ${d.verb} domain ${parent.value}, which includes its subdomains`, {
        related: [{ span: parent.span, message: "the broader decision" }],
      });
    }
  }
}

function pastTense(verb: string): string {
  return { sanction: "sanctioned", unsanction: "unsanctioned", monitor: "monitored", block: "blocked", warn: "warned", audit: "audited", allow: "allowed" }[verb] ?? verb;
}
