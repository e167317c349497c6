import { Checker } from "../validate.js";
import { contentLines, nameSets, uniqSorted } from "./common.js";
import { TextBuilder } from "./text.js";
import { GENERATED, type Target } from "./types.js";

/**
 * A hosts file: `0.0.0.0 name` for every blocked name (Warn goes to the walled-garden
 * address when one is given). A hosts file matches exact names only: subdomains are not
 * covered, which the report says.
 */
export const hosts: Target = {
  name: "hosts",
  summary: "hosts file (0.0.0.0 name; exact names only)",
  grouped: false,
  folder: false,
  render(set, opts) {
    const s = nameSets("hosts", set, opts, { urls: false, ips: false, warn: opts.walledGardenIp !== undefined });
    const c = new Checker("hosts");
    const ip = opts.walledGardenIp ? c.ip("walled-garden address", opts.walledGardenIp) : undefined;
    const block = uniqSorted(s.block);
    const warn = uniqSorted(s.warn.map((w) => w.name));
    const text = new TextBuilder();
    text.add(`# ${GENERATED}\n`);
    for (const n of block) text.add(`0.0.0.0 ${c.domain("domain", n)}\n`);
    for (const n of warn) text.add(`${ip} ${c.domain("domain", n)}\n`);
    for (const n of s.allow) c.domain("domain", n); // not written (a hosts file has no exceptions), still checked
    c.done();
    const count = block.length + warn.length;
    const notes = [...s.notes];
    if (count) notes.push({ kind: "unsupported", message: `hosts: a hosts file matches exact names only; subdomains of the ${count} names are not blocked` });
    return { files: [{ name: "hosts", content: text.text() }], notes, count };
  },
  entries: (files) => files.flatMap((f) => contentLines(f.content)),
};
