import { createHash } from "node:crypto";
import { Checker } from "../validate.js";
import { contentLines, nameSets, uniqSorted } from "./common.js";
import { GENERATED, type Target } from "./types.js";

/** SOA serial from the zone's content: the same entries give the same serial, any change a new one. */
export function contentSerial(body: string): number {
  const h = createHash("sha256").update(body).digest();
  return (h.readUInt32BE(0) % 2_147_483_646) + 1;
}

/**
 * A DNS response policy zone (RFC draft-vixie-dnsop-dns-rpz) for BIND and Unbound: each name
 * and its subtree (`*.name`). Block → `CNAME .` (NXDOMAIN); Warn → `CNAME <walled garden>.`
 * (the page explaining the rule) or NXDOMAIN without one; Allow → `CNAME rpz-passthru.` (an
 * exception under a blocked parent). Names are relative to the zone's origin, so the file
 * loads under whatever zone name the resolver gives it.
 */
export const rpz: Target = {
  name: "rpz",
  summary: "DNS response policy zone (BIND, Unbound)",
  grouped: false,
  folder: false,
  render(set, opts) {
    const s = nameSets("rpz", set, opts, { urls: false, ips: false, warn: opts.walledGarden !== undefined });
    const c = new Checker("rpz");
    const garden = opts.walledGarden ? c.domain("walled-garden host", opts.walledGarden) : undefined;
    const rec = (name: string, target: string) => `${c.domain("domain", name)} CNAME ${target}\n*.${name} CNAME ${target}\n`;
    let body = "";
    const allow = uniqSorted(s.allow);
    const block = uniqSorted(s.block);
    const warn = uniqSorted(s.warn.map((w) => w.name));
    if (allow.length) body += "; allow: answered normally\n" + allow.map((n) => rec(n, "rpz-passthru.")).join("");
    if (block.length) body += "; block: NXDOMAIN\n" + block.map((n) => rec(n, ".")).join("");
    if (warn.length) body += `; warn: the walled garden ${garden}\n` + warn.map((n) => rec(n, `${garden}.`)).join("");
    c.done();
    const serial = contentSerial(body);
    const head = `; ${GENERATED}\n$TTL 300\n@ IN SOA localhost. hostmaster.localhost. ${serial} 3600 600 86400 300\n@ IN NS localhost.\n`;
    return { files: [{ name: "sanction.rpz", content: head + body }], notes: s.notes, count: allow.length + block.length + warn.length };
  },
  entries(files) {
    return files.flatMap((f) => contentLines(f.content, ";").filter((l) => !l.startsWith("$") && !l.startsWith("@")));
  },
};
