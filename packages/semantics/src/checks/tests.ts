import type * as A from "@sanction/syntax";
import type { CheckContext } from "../context.js";
import type { AppTag, Expectation, TestCase, TrafficRecord } from "../model.js";
import { checkDate, checkDomain, checkIp, checkUrl, describeValue, textOf } from "../values.js";

const FIELDS = ["user", "users", "device", "tag", "group", "ip", "host", "url", "up", "down", "at", "days"] as const;
const TAGS: readonly AppTag[] = ["sanctioned", "unsanctioned", "monitored"];
const VERDICTS = ["allow", "audit", "warn", "block"] as const;

export function checkTest(ctx: CheckContext, t: A.TestDecl): TestCase | undefined {
  const traffic: TrafficRecord[] = [];
  const expectations: Expectation[] = [];
  for (const b of t.body) {
    if (b.kind === "Traffic") {
      const r = checkTraffic(ctx, b);
      if (r) traffic.push(r);
    } else {
      const e = checkExpect(ctx, b);
      if (e) expectations.push(e);
    }
  }
  if (!t.body.some((b) => b.kind === "Expect") && t.name) {
    ctx.report("SAN701", t.name.span, `test "${t.name.value}" expects nothing: add \`expect app "…" unsanctioned\`, \`expect verdict "…" block\` or \`expect alert "…"\``);
  }
  return t.name ? { name: t.name.value, traffic, expectations, span: t.span } : undefined;
}

function checkTraffic(ctx: CheckContext, tr: A.TrafficDecl): TrafficRecord | undefined {
  const r: { -readonly [K in keyof TrafficRecord]?: TrafficRecord[K] } = { up: 0, down: 0, days: 1, span: tr.span };
  const seen = new Set<string>();
  let ok = true;
  for (const f of tr.fields) {
    const name = f.name.text;
    if (!(FIELDS as readonly string[]).includes(name)) {
      ctx.unknown("SAN308", f.name.span, "traffic field", name, FIELDS);
      ok = false;
      continue;
    }
    if (seen.has(name)) {
      ctx.report("SAN502", f.span, `\`${name}\` is already given in this record`);
      continue;
    }
    seen.add(name);
    const v = f.value;
    if (!v) continue;
    const bad = (what: string) => {
      ctx.report("SAN401", v.span, `${name} takes ${what}, not ${describeValue(v)}`);
      ok = false;
    };
    switch (name) {
      case "user":
      case "device":
        if (v.kind === "String") r[name] = v.value;
        else bad("a quoted string");
        break;
      case "tag":
      case "group":
        if (v.kind !== "String" && !(v.kind === "List" && v.items.every((i) => i.kind === "String"))) bad(`a quoted string or a list of them`);
        else {
          const list = v.kind === "String" ? [v.value] : v.items.map((i) => (i as A.StringLit).value);
          if (name === "tag") r.deviceTags = list;
          else r.userGroups = list;
        }
        break;
      case "users":
      case "days":
        if (v.kind === "Number" && Number.isInteger(v.value) && v.value >= 1 && v.value <= 100_000) r[name] = v.value;
        else bad("a whole number from 1 to 100000");
        break;
      case "up":
      case "down":
        if (v.kind === "Size") r[name] = v.bytes;
        else bad("a size such as 10MB");
        break;
      case "at":
        if (v.kind !== "Date") bad("a date such as 2026-11-01");
        else {
          const d = checkDate(v.raw);
          if (d.ok) r.at = d.value;
          else ctx.report("SAN407", v.span, d.message);
        }
        break;
      case "host": {
        const raw = v.kind === "String" || v.kind === "Name" ? textOf(v)! : undefined;
        if (raw === undefined) {
          bad("a host name");
          break;
        }
        const d = checkDomain(raw);
        if (!d.ok || d.value.subtree) ctx.report("SAN404", v.span, d.ok ? "a traffic host is one name, not a wildcard" : d.message);
        else r.host = d.value.host;
        break;
      }
      case "url":
        if (v.kind !== "String") bad("a quoted URL");
        else {
          const u = checkUrl(v.value);
          if (u.ok) r.url = u.value;
          else ctx.report("SAN405", v.span, u.message);
        }
        break;
      case "ip": {
        const raw = v.kind === "Ip" ? v.raw : v.kind === "String" ? v.value : undefined;
        const ip = raw === undefined ? undefined : checkIp(raw);
        if (!ip) bad("an IP address");
        else if (!ip.ok || ip.value.includes("/")) ctx.report("SAN406", v.span, ip.ok ? "a traffic record has one address, not a range" : ip.message);
        else r.ip = ip.value;
        break;
      }
    }
  }
  if (!seen.has("host") && !seen.has("url")) {
    ctx.report("SAN703", tr.span, "a traffic record needs a `host` or a `url`");
    return undefined;
  }
  if (r.user !== undefined && r.users !== undefined) ctx.report("SAN401", tr.span, "give either `user` or `users`, not both");
  return ok ? (r as TrafficRecord) : undefined;
}

function checkExpect(ctx: CheckContext, e: A.ExpectDecl): Expectation | undefined {
  const what = e.what?.text;
  const subject = e.subject;
  if (what === "app") {
    if (!subject || subject.kind !== "String" || !e.outcome) return undefined;
    const app = ctx.resolveApp(subject.value);
    if (!app) {
      ctx.unknown("SAN702", subject.span, "app", subject.value, ctx.appNames(), true);
      return undefined;
    }
    const name = "custom" in app ? app.custom.name!.value : app.catalog.name;
    if (e.outcome.text === "tagged") {
      if (!e.tag) return undefined;
      return { kind: "app", app: name, negated: e.negated, tag: { custom: e.tag.text }, span: e.span };
    }
    if (!(TAGS as readonly string[]).includes(e.outcome.text)) {
      ctx.unknown("SAN308", e.outcome.span, "tag", e.outcome.text, [...TAGS, "tagged"]);
      return undefined;
    }
    return { kind: "app", app: name, negated: e.negated, tag: e.outcome.text as AppTag, span: e.span };
  }
  if (what === "verdict") {
    if (!subject || !e.outcome) return undefined;
    const raw = subject.kind === "String" ? subject.value : subject.kind === "Ip" ? subject.raw : subject.text;
    let target: { kind: "host" | "url" | "ip"; value: string };
    if (/^https?:\/\//i.test(raw)) {
      const u = checkUrl(raw);
      if (!u.ok) {
        ctx.report("SAN405", subject.span, u.message);
        return undefined;
      }
      target = { kind: "url", value: u.value };
    } else if (/^[\d.]+$/.test(raw) || raw.includes(":")) {
      const ip = checkIp(raw);
      if (!ip.ok || ip.value.includes("/")) {
        ctx.report("SAN406", subject.span, ip.ok ? "a verdict is for one address, not a range" : ip.message);
        return undefined;
      }
      target = { kind: "ip", value: ip.value };
    } else {
      const d = checkDomain(raw);
      if (!d.ok || d.value.subtree) {
        ctx.report("SAN404", subject.span, d.ok ? "a verdict is for one host name, not a wildcard" : d.message);
        return undefined;
      }
      target = { kind: "host", value: d.value.host };
    }
    if (!(VERDICTS as readonly string[]).includes(e.outcome.text)) {
      ctx.unknown("SAN308", e.outcome.span, "verdict", e.outcome.text, VERDICTS);
      return undefined;
    }
    return { kind: "verdict", target, ...(e.device ? { device: e.device.value } : {}), verdict: e.outcome.text as (typeof VERDICTS)[number], span: e.span };
  }
  if (what === "alert") {
    if (subject && subject.kind === "String") {
      if (!ctx.symbols.policies.has(subject.value)) {
        ctx.unknown("SAN702", subject.span, "policy", subject.value, ctx.symbols.policies.keys(), true);
        return undefined;
      }
      return { kind: "alert", negated: e.negated, policy: subject.value, span: e.span };
    }
    return { kind: "alert", negated: e.negated, span: e.span };
  }
  return undefined;
}
