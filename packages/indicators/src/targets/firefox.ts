import { cmpStr } from "../model.js";
import { Checker } from "../validate.js";
import { nameSets } from "./common.js";
import type { Target } from "./types.js";

/** `https://x.com/p?q` → `https://x.com/p?q*`: everything under the URL. */
function urlPattern(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}${u.search}*`;
}

/**
 * Firefox enterprise policy `policies.json` (`/etc/firefox/policies/`, or `distribution/` beside
 * the binary): `WebsiteFilter` `Block` and `Exceptions` match patterns. `*://*.x.com/*`
 * matches x.com and all its subdomains over http and https. Warn is written as a block.
 */
export const firefox: Target = {
  name: "firefox",
  summary: "Firefox policies.json (WebsiteFilter Block / Exceptions)",
  grouped: false,
  folder: false,
  render(set, opts) {
    const s = nameSets("firefox", set, opts, { urls: true, ips: true, warn: false });
    const c = new Checker("firefox");
    const block: string[] = [];
    const allow: string[] = [];
    for (const i of s.entries) {
      const v =
        i.kind === "domain" ? `*://*.${c.domain("domain", i.value)}/*`
        : i.kind === "url" ? (c.url("url", i.value), urlPattern(i.value))
        : `*://${c.ip("ip", i.value).includes(":") ? `[${i.value}]` : i.value}/*`;
      (i.action === "allow" ? allow : block).push(v);
    }
    c.done();
    const policy = { policies: { WebsiteFilter: { Block: [...new Set(block)].sort(cmpStr), Exceptions: [...new Set(allow)].sort(cmpStr) } } };
    return { files: [{ name: "policies.json", content: JSON.stringify(policy, null, 2) + "\n" }], notes: s.notes, count: block.length + allow.length };
  },
  entries(files) {
    return files.flatMap((f) => {
      const p = JSON.parse(f.content) as { policies?: { WebsiteFilter?: { Block?: string[]; Exceptions?: string[] } } };
      const w = p.policies?.WebsiteFilter ?? {};
      return [...(w.Exceptions ?? []).map((x) => `allow ${x}`), ...(w.Block ?? []).map((x) => `block ${x}`)];
    });
  },
};
