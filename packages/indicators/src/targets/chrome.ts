import { cmpStr } from "../model.js";
import { Checker } from "../validate.js";
import { nameSets } from "./common.js";
import type { Target } from "./types.js";

/**
 * Chrome / Edge managed policy (`/etc/chromium/policies/managed/*.json`, the registry or a
 * plist): `URLBlocklist` and `URLAllowlist`. A bare host pattern `x.com` matches x.com and all
 * its subdomains; a URL with a path matches under that path, and the more specific pattern
 * wins, as in Defender. Browsers have no bypassable warning: Warn is written as a block.
 */
export const chrome: Target = {
  name: "chrome",
  summary: "Chrome/Edge managed policy (URLBlocklist, URLAllowlist)",
  grouped: false,
  folder: false,
  render(set, opts) {
    const s = nameSets("chrome", set, opts, { urls: true, ips: true, warn: false });
    const c = new Checker("chrome");
    const block: string[] = [];
    const allow: string[] = [];
    for (const i of s.entries) {
      const v = i.kind === "domain" ? c.domain("domain", i.value) : i.kind === "url" ? c.url("url", i.value) : c.ip("ip", i.value).includes(":") ? `[${i.value}]` : i.value;
      (i.action === "allow" ? allow : block).push(v);
    }
    c.done();
    const policy = { URLBlocklist: [...new Set(block)].sort(cmpStr), URLAllowlist: [...new Set(allow)].sort(cmpStr) };
    return { files: [{ name: "sanction-chrome.json", content: JSON.stringify(policy, null, 2) + "\n" }], notes: s.notes, count: policy.URLBlocklist.length + policy.URLAllowlist.length };
  },
  entries(files) {
    return files.flatMap((f) => {
      const p = JSON.parse(f.content) as { URLBlocklist?: string[]; URLAllowlist?: string[] };
      return [...(p.URLAllowlist ?? []).map((x) => `allow ${x}`), ...(p.URLBlocklist ?? []).map((x) => `block ${x}`)];
    });
  },
};
