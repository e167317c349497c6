import { createHash } from "node:crypto";
import { Checker } from "../validate.js";
import { contentLines, nameSets, uniqSorted } from "./common.js";
import { TextBuilder } from "./text.js";
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
/** The zone name assumed when none is given: the one the documentation's resolver set-ups use. */
export const DEFAULT_RPZ_ZONE = "rpz.sanction";
const MAX_NAME = 253;

export const rpz: Target = {
  name: "rpz",
  summary: "DNS response policy zone (BIND, Unbound)",
  grouped: false,
  folder: false,
  render(set, opts) {
    const s = nameSets("rpz", set, opts, { urls: false, ips: false, warn: opts.walledGarden !== undefined });
    const c = new Checker("rpz");
    const garden = opts.walledGarden ? c.domain("walled-garden host", opts.walledGarden) : undefined;
    const zone = c.domain("zone name", opts.rpzZone ?? DEFAULT_RPZ_ZONE);
    // `*.` + name + `.` + zone, as text without the final dot, is at most 253 characters (255 octets on the wire).
    const room = MAX_NAME - "*.".length - ".".length - zone.length;
    const text = new TextBuilder();
    const section = (heading: string, names: readonly string[], target: string) => {
      if (!names.length) return;
      text.add(heading);
      for (const n of names) {
        if (n.length > room) c.refuse("domain", n, `*.${n}.${zone} would be over DNS's 255-octet limit (names under zone ${zone} hold at most ${room} characters; --rpz-zone names the zone)`);
        text.add(`${c.domain("domain", n)} CNAME ${target}\n*.${n} CNAME ${target}\n`);
      }
    };
    const allow = uniqSorted(s.allow);
    const block = uniqSorted(s.block);
    const warn = uniqSorted(s.warn.map((w) => w.name));
    section("; allow: answered normally\n", allow, "rpz-passthru.");
    section("; block: NXDOMAIN\n", block, ".");
    section(`; warn: the walled garden ${garden}\n`, warn, `${garden}.`);
    c.done();
    const body = text.text();
    const serial = contentSerial(body);
    const head = `; ${GENERATED}\n$TTL 300\n@ IN SOA localhost. hostmaster.localhost. ${serial} 3600 600 86400 300\n@ IN NS localhost.\n`;
    return { files: [{ name: "sanction.rpz", content: head + body }], notes: s.notes, count: allow.length + block.length + warn.length };
  },
  entries(files) {
    return files.flatMap((f) => contentLines(f.content, ";").filter((l) => !l.startsWith("$") && !l.startsWith("@")));
  },
};
