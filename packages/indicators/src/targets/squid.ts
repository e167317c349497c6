import { cmpStr } from "../model.js";
import { Checker } from "../validate.js";
import { contentLines, nameSets, withoutCovered } from "./common.js";
import { GENERATED, type Target } from "./types.js";

/**
 * A Squid configuration snippet to `include` before the site's own `http_access` rules.
 * `dstdomain` entries are written only in the dotted form: `.x.com` matches x.com and every
 * subdomain, and Squid refuses a list holding both `x.com` and `.x.com` (or a name under a
 * listed parent), so covered names are dropped. Block → `http_access deny`; Warn (and a
 * block with a notification page) → a `deny_info` redirect to the page; Allow → an exception
 * (`!sanction_allow`) on every deny. Addresses go to `dst` ACLs.
 */
export const squid: Target = {
  name: "squid",
  summary: "Squid ACLs (dstdomain, deny_info redirect for warn)",
  grouped: false,
  folder: false,
  render(set, opts) {
    const s = nameSets("squid", set, opts, { urls: false, ips: true, warn: true });
    const c = new Checker("squid");
    // One deny ACL per (action, redirect page).
    const denies = new Map<string, { action: string; redirect?: string; names: string[] }>();
    for (const i of s.entries) {
      if (i.kind !== "domain" || i.action === "allow") continue;
      const redirect = i.redirect ? c.url("redirect", i.redirect) : undefined;
      const key = `${i.action}\u0000${redirect ?? ""}`;
      let deny = denies.get(key);
      if (!deny) denies.set(key, (deny = { action: i.action, ...(redirect ? { redirect } : {}), names: [] }));
      deny.names.push(c.domain("domain", i.value));
    }
    for (const n of s.allow) c.domain("domain", n);
    for (const ip of [...s.ips.block, ...s.ips.allow]) c.ip("ip", ip);
    c.done();
    const out: string[] = [`# ${GENERATED}`];
    const allow = withoutCovered(s.allow);
    const except = (allow.length ? " !sanction_allow" : "") + (s.ips.allow.length ? " !sanction_allow_ip" : "");
    if (allow.length) out.push(...allow.map((n) => `acl sanction_allow dstdomain .${n}`));
    if (s.ips.allow.length) out.push(...[...new Set(s.ips.allow)].sort(cmpStr).map((ip) => `acl sanction_allow_ip dst ${ip}`));
    const order = [...denies.values()].sort((a, b) => cmpStr(a.action, b.action) || cmpStr(a.redirect ?? "", b.redirect ?? ""));
    const counters: Record<string, number> = {};
    let count = allow.length;
    for (const d of order) {
      const n = (counters[d.action] = (counters[d.action] ?? 0) + 1);
      const acl = `sanction_${d.action}${n === 1 ? "" : `_${n}`}`;
      const names = withoutCovered(d.names);
      count += names.length;
      out.push(...names.map((x) => `acl ${acl} dstdomain .${x}`));
      if (d.redirect) out.push(`deny_info ${d.redirect} ${acl}`);
      out.push(`http_access deny ${acl}${except}`);
    }
    if (s.ips.block.length) {
      const ips = [...new Set(s.ips.block)].sort(cmpStr);
      count += ips.length;
      out.push(...ips.map((ip) => `acl sanction_block_ip dst ${ip}`), `http_access deny sanction_block_ip${except}`);
    }
    return { files: [{ name: "sanction-squid.conf", content: out.join("\n") + "\n" }], notes: s.notes, count };
  },
  entries: (files) => files.flatMap((f) => contentLines(f.content)),
};
