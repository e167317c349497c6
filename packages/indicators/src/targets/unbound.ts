import { isIPv6 } from "node:net";
import { Checker } from "../validate.js";
import { contentLines, nameSets, uniqSorted } from "./common.js";
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
    const lines = [
      ...uniqSorted(s.allow).map((n) => `    local-zone: "${c.domain("domain", n)}." always_transparent`),
      ...uniqSorted(s.block).map((n) => `    local-zone: "${c.domain("domain", n)}." always_nxdomain`),
      ...uniqSorted(s.warn.map((w) => w.name)).flatMap((n) => [`    local-zone: "${c.domain("domain", n)}." redirect`, `    local-data: "${n}. ${ip && isIPv6(ip) ? "AAAA" : "A"} ${ip}"`]),
    ];
    c.done();
    return { files: [{ name: "sanction-unbound.conf", content: `# ${GENERATED}\nserver:\n${lines.join("\n")}${lines.length ? "\n" : ""}` }], notes: s.notes, count: s.allow.length + s.block.length + s.warn.length };
  },
  entries: (files) => files.flatMap((f) => contentLines(f.content).filter((l) => l !== "server:")),
};
