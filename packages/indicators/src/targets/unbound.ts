import { isIPv6 } from "node:net";
import { Checker } from "../validate.js";
import { contentLines, nameSets, uniqSorted } from "./common.js";
import { TextBuilder } from "./text.js";
import { GENERATED, type Target } from "./types.js";

/**
 * Unbound `local-zone` configuration (a `server:` clause to `include:`): Block →
 * `always_nxdomain` for the name and its subtree; Warn → `redirect` to the walled-garden
 * address when one is given; Allow under a blocked parent → `always_transparent`.
 */
export const unbound: Target = {
  name: "unbound",
  summary: "Unbound local-zone configuration (always_nxdomain / redirect)",
  grouped: false,
  folder: false,
  render(set, opts) {
    const s = nameSets("unbound", set, opts, { urls: false, ips: false, warn: opts.walledGardenIp !== undefined });
    const c = new Checker("unbound");
    const ip = opts.walledGardenIp ? c.ip("walled-garden address", opts.walledGardenIp) : undefined;
    const text = new TextBuilder();
    text.add(`# ${GENERATED}\nserver:\n`);
    for (const n of uniqSorted(s.allow)) text.add(`    local-zone: "${c.domain("domain", n)}." always_transparent\n`);
    for (const n of uniqSorted(s.block)) text.add(`    local-zone: "${c.domain("domain", n)}." always_nxdomain\n`);
    const record = ip && isIPv6(ip) ? "AAAA" : "A";
    for (const n of uniqSorted(s.warn.map((w) => w.name))) text.add(`    local-zone: "${c.domain("domain", n)}." redirect\n    local-data: "${n}. ${record} ${ip}"\n`);
    c.done();
    return { files: [{ name: "sanction-unbound.conf", content: text.text() }], notes: s.notes, count: s.allow.length + s.block.length + s.warn.length };
  },
  entries: (files) => files.flatMap((f) => contentLines(f.content).filter((l) => l !== "server:")),
};
