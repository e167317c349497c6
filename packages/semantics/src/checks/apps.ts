import type * as A from "@sanction/syntax";
import type { CatalogApp } from "@sanction/catalog";
import type { CheckContext } from "../context.js";
import type { AppDef } from "../model.js";
import { checkDomain, checkIp, checkUrl, describeValue } from "../values.js";
import { valueFits } from "./attribute-values.js";

const ONCE = new Set(["vendor", "category", "hq", "score"]);

export function checkApp(ctx: CheckContext, d: A.AppDecl): AppDef | undefined {
  const name = d.name?.value;
  let base: CatalogApp | undefined;
  if (name !== undefined && d.name) {
    if (d.override) {
      base = ctx.catalog.findApp(name);
      if (!base) ctx.unknown("SAN301", d.name.span, "catalog app", name, ctx.catalog.apps().map((a) => a.name), true);
    } else {
      const existing = ctx.catalog.findApp(name);
      if (existing) {
        const kw = d.span;
        ctx.report("SAN307", d.name.span, `"${existing.name}" is already in the catalog: write \`override app "${existing.name}"\` to change it`, {
          fixes: [{ title: "make it an override", edits: [{ span: { file: kw.file, start: kw.start, end: kw.start }, newText: "override " }] }],
        });
      }
    }
  }
  const seen = new Map<string, A.AppClause>();
  let vendor: string | undefined;
  let category: string | undefined;
  let hq: string | undefined;
  let scoreOverride: AppDef["scoreOverride"];
  const domains: string[] = [];
  const urls: string[] = [];
  const ips: string[] = [];
  const tags: string[] = [];
  const attributes: Record<string, boolean | number | string> = {};

  for (const c of d.clauses) {
    const key = c.keyword?.text ?? c.attribute?.text ?? "";
    const prev = seen.get(key);
    if (prev && (ONCE.has(key) || c.attribute)) {
      ctx.report("SAN502", c.span, `\`${key}\` is already set for this app`, { related: [{ span: prev.span, message: "first set here" }] });
      continue;
    }
    seen.set(key, c);
    const single = (): A.Value | undefined => {
      if (c.values.length > 1) ctx.report("SAN401", c.values[1]!.span, `\`${key}\` takes one value`);
      return c.values[0];
    };
    if (c.attribute) {
      const attr = ctx.catalog.findAttribute(c.attribute.text);
      if (!attr) {
        ctx.unknown("SAN305", c.attribute.span, "risk attribute", c.attribute.text, ctx.catalog.attributes.map((a) => a.id));
        continue;
      }
      const v = single();
      if (!v) continue;
      const fit = valueFits(v, attr.type);
      if ("error" in fit) ctx.report("SAN401", v.span, `${attr.id} (${attr.label}) ${fit.error}`);
      else attributes[attr.id] = fit.value;
      continue;
    }
    switch (key) {
      case "vendor":
      case "hq": {
        const v = single();
        if (!v) break;
        if (v.kind !== "String") {
          ctx.report("SAN401", v.span, `\`${key}\` takes a quoted string, not ${describeValue(v)}`);
          break;
        }
        if (key === "hq" && !/^[A-Z]{2}$/.test(v.value)) {
          ctx.report("SAN401", v.span, `hq is an ISO 3166 two-letter country code such as "US", not "${v.value}"`);
          break;
        }
        if (key === "vendor") vendor = v.value;
        else hq = v.value;
        break;
      }
      case "category": {
        const v = single();
        if (!v) break;
        const raw = v.kind === "Name" && !v.dotted ? v.text : undefined;
        if (raw === undefined) ctx.report("SAN401", v.span, `category takes a category name such as cloud_storage, not ${describeValue(v)}`);
        else if (!ctx.catalog.findCategory(raw)) ctx.unknown("SAN304", v.span, "category", raw, ctx.catalog.categories.map((x) => x.id));
        else category = raw;
        break;
      }
      case "domains":
        for (const v of c.values) {
          const raw = v.kind === "String" ? v.value : v.kind === "Name" ? v.text : undefined;
          if (raw === undefined) {
            ctx.report("SAN401", v.span, `domains are host names such as example.com or *.example.com, not ${describeValue(v)}`);
            continue;
          }
          const dom = checkDomain(raw);
          if (!dom.ok) ctx.report(raw.includes("*") ? "SAN409" : "SAN404", v.span, dom.message);
          else domains.push((dom.value.subtree ? "*." : "") + dom.value.host);
        }
        break;
      case "urls":
        for (const v of c.values) {
          if (v.kind !== "String") {
            ctx.report("SAN401", v.span, `urls are quoted URLs, not ${describeValue(v)}`);
            continue;
          }
          const u = checkUrl(v.value);
          if (!u.ok) ctx.report("SAN405", v.span, u.message);
          else urls.push(u.value);
        }
        break;
      case "ips":
        for (const v of c.values) {
          const raw = v.kind === "Ip" ? v.raw : v.kind === "String" ? v.value : undefined;
          const ip = raw === undefined ? undefined : checkIp(raw);
          if (!ip) ctx.report("SAN401", v.span, `ips are addresses or CIDR ranges, not ${describeValue(v)}`);
          else if (!ip.ok) ctx.report("SAN406", v.span, ip.message);
          else ips.push(ip.value);
        }
        break;
      case "tag":
        for (const v of c.values) {
          if (v.kind === "Name" && !v.dotted) tags.push(v.text);
          else ctx.report("SAN401", v.span, `a tag is a name such as reviewed, not ${describeValue(v)}`);
        }
        break;
      case "score": {
        const v = single();
        if (!v) break;
        if (v.kind !== "Number") ctx.report("SAN401", v.span, `the score override is a number from 0 to 10, not ${describeValue(v)}`);
        else if (v.value < 0 || v.value > 10) ctx.report("SAN408", v.span, `scores range over 0..10; ${v.raw} is outside it`);
        else scoreOverride = c.note ? { score: v.value, note: c.note.value } : { score: v.value };
        break;
      }
    }
  }
  if (!d.override && name !== undefined && d.name) {
    const missing = [category === undefined && !seen.has("category") ? "category" : "", domains.length === 0 && urls.length === 0 && ips.length === 0 && !seen.has("domains") ? "domains" : ""].filter(Boolean);
    if (missing.length) ctx.report("SAN309", d.name.span, `custom app "${name}" needs ${missing.join(" and ")}`);
  }
  if (name === undefined) return undefined;
  const unique = <T>(xs: T[]) => [...new Set(xs)];
  return {
    name: base?.name ?? name,
    override: d.override,
    ...(base ? { base } : {}),
    ...(vendor !== undefined ? { vendor } : {}),
    ...(category !== undefined ? { category } : {}),
    domains: unique(domains),
    urls: unique(urls),
    ips: unique(ips),
    ...(hq !== undefined ? { hq } : {}),
    tags: unique(tags),
    attributes,
    ...(scoreOverride ? { scoreOverride } : {}),
    span: d.span,
  };
}

