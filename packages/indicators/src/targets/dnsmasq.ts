import { Checker } from "../validate.js";
import { contentLines, nameSets, uniqSorted } from "./common.js";
import { GENERATED, type Target } from "./types.js";

/**
 * dnsmasq configuration. `address=/name/` (no address) answers NXDOMAIN for the name and every
 * name under it, without consulting /etc/hosts or upstream servers; `local=/name/` would
 * answer from /etc/hosts and DHCP leases first, so a hosts entry could undo the block —
 * `address=` is the one that always gives NXDOMAIN. Warn → `address=/name/<walled-garden
 * address>` when one is given. Allow under a blocked parent → `server=/name/#` (resolve with
 * the normal upstream servers; dnsmasq lets the longest domain win).
 */
export const dnsmasq: Target = {
  name: "dnsmasq",
  summary: "dnsmasq configuration (address=/name/ → NXDOMAIN)",
  grouped: false,
  folder: false,
  render(set, opts) {
    const s = nameSets("dnsmasq", set, opts, { urls: false, ips: false, warn: opts.walledGardenIp !== undefined });
    const c = new Checker("dnsmasq");
    const ip = opts.walledGardenIp ? c.ip("walled-garden address", opts.walledGardenIp) : undefined;
    const lines = [
      ...uniqSorted(s.allow).map((n) => `server=/${c.domain("domain", n)}/#`),
      ...uniqSorted(s.block).map((n) => `address=/${c.domain("domain", n)}/`),
      ...uniqSorted(s.warn.map((w) => w.name)).map((n) => `address=/${c.domain("domain", n)}/${ip}`),
    ];
    c.done();
    return { files: [{ name: "sanction-dnsmasq.conf", content: `# ${GENERATED}\n${lines.join("\n")}${lines.length ? "\n" : ""}` }], notes: s.notes, count: lines.length };
  },
  entries: (files) => files.flatMap((f) => contentLines(f.content)),
};
