import { Checker } from "../validate.js";
import { contentLines, nameSets, uniqSorted } from "./common.js";
import { TextBuilder } from "./text.js";
import { GENERATED, type Target } from "./types.js";

/**
 * dnsmasq configuration. `address=/name/` with no address answers NXDOMAIN for the name and
 * every name under it and never forwards the query (`local=/name/` answers the same for names
 * it does not know; `address=/name/#` would answer 0.0.0.0 instead, which some clients retry
 * elsewhere). As with every dnsmasq rule, a name listed in /etc/hosts or an addn-hosts file is
 * still answered from there: keep blocked names out of them. Warn → `address=/name/<walled-
 * garden address>` when one is given. Allow under a blocked parent → `server=/name/#` (resolve
 * with the normal upstream servers; dnsmasq lets the longest domain win).
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
    const allow = uniqSorted(s.allow);
    const block = uniqSorted(s.block);
    const warn = uniqSorted(s.warn.map((w) => w.name));
    const text = new TextBuilder();
    text.add(`# ${GENERATED}\n`);
    for (const n of allow) text.add(`server=/${c.domain("domain", n)}/#\n`);
    for (const n of block) text.add(`address=/${c.domain("domain", n)}/\n`);
    for (const n of warn) text.add(`address=/${c.domain("domain", n)}/${ip}\n`);
    c.done();
    return { files: [{ name: "sanction-dnsmasq.conf", content: text.text() }], notes: s.notes, count: allow.length + block.length + warn.length };
  },
  entries: (files) => files.flatMap((f) => contentLines(f.content)),
};
