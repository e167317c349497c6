/*
 * Every indicator target against the corpus. A hostile name is refused with an error naming
 * it and nothing is written; a valid name (punycode, underscore, 253 characters) is written,
 * every line of the output has the target's own shape, and the names read back are exactly
 * the names given. Random hostile names (fast-check) get the same treatment. Where the
 * enforcement point is installable (named-checkzone, unbound-checkconf, dnsmasq --test,
 * squid -k parse), it loads the output made from the corpus's valid names.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidIndicatorError, TARGETS, csvCell, domainProblem, type Indicator, type IndicatorAction, type IndicatorSet, type TargetOutput } from "@sanction/indicators";
import { fcRuns } from "../support/arbitraries.js";
import { ensureDebianPackages } from "../support/debian.js";
import { arbHostileHost, arbHostileUser } from "./arbitraries.js";
import { readRfc4180 } from "./consumers.js";
import { BAD_HOSTS, HOSTNAMES, USERS } from "./corpus.js";
import { sanctionString } from "./workspace.js";
import { runCli, tempWorkspace } from "../support/cli.js";

const ind = (value: string, extra: Partial<Indicator> = {}): Indicator => ({
  kind: "domain",
  value,
  action: "block",
  rule: "hostile corpus",
  source: "hostile.sanction:1:1",
  severity: "medium",
  scope: { include: undefined, exclude: [] },
  ...extra,
});
const setOf = (indicators: Indicator[]): IndicatorSet => ({ indicators, notes: [] });
const OPTS = { walledGarden: "garden.example.com", walledGardenIp: "10.0.0.1", issued: "2026-11-01" };
/** `*.name.rpz.sanction` (the default zone name) over 253 characters: refused by the rpz target. */
const tooLongForRpz = (name: string): boolean => name.length > 253 - "*.".length - ".rpz.sanction".length;

/** Every raw corpus value a writer must refuse: the bad names, and the non-canonical spellings of the good ones. */
const REFUSED = HOSTNAMES.filter((h) => h.readsAs !== h.value).map((h) => h.value);

/** The canonical names of the corpus, minus any under another (Squid keeps only the parent). */
const CANONICAL = [...new Set(HOSTNAMES.filter((h) => h.readsAs !== null && !h.address).map((h) => h.readsAs!))];
const VALID = CANONICAL.filter((n) => !CANONICAL.some((p) => p !== n && n.endsWith("." + p)));

const N = String.raw`[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*`;
const IP = String.raw`[0-9a-f.:]+`;

/**
 * Each text target's line grammar (every line must match one alternative) and how to read the
 * names back from it. Block and Warn only: Allow and Audit are not written by every target.
 */
const TEXT: Record<string, { line: RegExp; names: (text: string) => string[] }> = {
  rpz: {
    line: new RegExp(String.raw`^(; [^\n]*|\$TTL \d+|@ IN SOA localhost\. hostmaster\.localhost\. \d+ \d+ \d+ \d+ \d+|@ IN NS localhost\.|(\*\.)?${N} CNAME (\.|${N}\.))$`),
    names: (t) => [...t.matchAll(new RegExp(String.raw`^(${N}) CNAME`, "gm"))].map((m) => m[1]!),
  },
  unbound: {
    line: new RegExp(String.raw`^(# [^\n]*|server:|    local-zone: "${N}\." (always_nxdomain|redirect)|    local-data: "${N}\. (A|AAAA) ${IP}")$`),
    names: (t) => [...t.matchAll(new RegExp(String.raw`local-zone: "(${N})\."`, "g"))].map((m) => m[1]!),
  },
  dnsmasq: {
    line: new RegExp(String.raw`^(# [^\n]*|address=/${N}/(${IP})?)$`),
    names: (t) => [...t.matchAll(new RegExp(String.raw`^address=/(${N})/`, "gm"))].map((m) => m[1]!),
  },
  hosts: {
    line: new RegExp(String.raw`^(# [^\n]*|${IP} ${N})$`),
    names: (t) => [...t.matchAll(new RegExp(String.raw`^${IP} (${N})$`, "gm"))].map((m) => m[1]!),
  },
  squid: {
    line: new RegExp(String.raw`^(# [^\n]*|acl sanction_\w+ dstdomain \.${N}|http_access deny sanction_\w+|deny_info https?://[!-~]+ sanction_\w+)$`),
    names: (t) => [...t.matchAll(new RegExp(String.raw`dstdomain \.(${N})$`, "gm"))].map((m) => m[1]!),
  },
};

/** Names read back from a JSON or CSV target. */
const STRUCTURED: Record<string, (out: TargetOutput) => string[]> = {
  chrome: (o) => JSON.parse(o.files[0]!.content).URLBlocklist as string[],
  firefox: (o) => (JSON.parse(o.files[0]!.content).policies.WebsiteFilter.Block as string[]).map((p) => /^\*:\/\/\*\.(.+)\/\*$/.exec(p)![1]!),
  stix: (o) => JSON.parse(o.files[0]!.content).objects.map((x: { pattern: string }) => /^\[domain-name:value = '(.+)'\]$/.exec(x.pattern)![1]!),
  "mde-json": (o) => o.files.flatMap((f) => JSON.parse(f.content).Indicators.map((x: { indicatorValue: string }) => x.indicatorValue)),
  "mde-csv": (o) => o.files.flatMap((f) => readRfc4180(f.content).slice(1).map((r) => r[1]!)),
};

/** The names a target wrote, checking every line of text formats against the grammar. */
function namesWritten(target: string, out: TargetOutput): string[] {
  const text = TEXT[target];
  if (!text) return STRUCTURED[target]!(out);
  const content = out.files.map((f) => f.content).join("");
  for (const line of content.split("\n").slice(0, -1)) expect(line, `${target}: ${JSON.stringify(line)}`).toMatch(text.line);
  expect(content.endsWith("\n")).toBe(true);
  return text.names(content);
}

function refusal(f: () => unknown): InvalidIndicatorError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidIndicatorError) return e;
    throw e;
  }
  return undefined;
}

const ACTIONS: readonly IndicatorAction[] = ["block", "warn", "allow", "audit"];

describe("every target refuses every hostile corpus name, whatever the action", () => {
  for (const t of Object.values(TARGETS)) {
    it(t.name, () => {
      for (const bad of REFUSED) {
        for (const action of ACTIONS) {
          const render = () => t.render(setOf([ind("good.example.com"), ind(bad, { action })]), OPTS);
          const err = refusal(render);
          if (err) {
            expect(err.message, `${t.name} ${action} ${JSON.stringify(bad)}`).toContain(JSON.stringify(bad));
            continue;
          }
          // Not refused: then the target does not write this action, and the output is the one without it.
          const out = render() as TargetOutput;
          const without = t.render(setOf([ind("good.example.com")]), OPTS);
          expect(out.files, `${t.name} ${action} ${JSON.stringify(bad)} written`).toEqual(without.files);
          expect(["allow", "audit"], `${t.name} wrote ${action} ${JSON.stringify(bad)} without a refusal`).toContain(action);
        }
      }
    });
  }
});

describe("every target writes the corpus's valid names, one rule each, in its own syntax", () => {
  for (const t of Object.values(TARGETS)) {
    it(t.name, () => {
      // An RPZ owner name also carries `*.` and the zone's name (see the consumer test below).
      const valid = t.name === "rpz" ? VALID.filter((v) => !tooLongForRpz(v)) : VALID;
      const set = setOf(valid.flatMap((v, i) => [ind(v, { action: i % 2 ? "warn" : "block" })]));
      const out = t.render(set, OPTS);
      expect(namesWritten(t.name, out).sort()).toEqual([...valid].sort());
      expect(out.count).toBe(valid.length);
    });
  }
});

describe("random hostile names (fast-check)", () => {
  for (const t of Object.values(TARGETS)) {
    it(`${t.name}: refused with the name in the error, or valid and written once`, () => {
      fc.assert(
        fc.property(fc.uniqueArray(arbHostileHost(), { minLength: 1, maxLength: 6 }), (names) => {
          const out = (() => {
            try {
              return t.render(setOf(names.map((v) => ind(v))), OPTS);
            } catch (e) {
              if (!(e instanceof InvalidIndicatorError)) throw e;
              // Refused: at least one name is not a canonical DNS name, and each bad one is named.
              const bad = names.filter((v) => domainProblem(v) !== undefined || (t.name === "rpz" && tooLongForRpz(v)));
              expect(bad.length).toBeGreaterThan(0);
              for (const b of bad.slice(0, 20)) expect(e.message).toContain(JSON.stringify(b));
              return undefined;
            }
          })();
          if (!out) return;
          for (const v of names) expect(domainProblem(v), JSON.stringify(v)).toBeUndefined();
          const written = namesWritten(t.name, out);
          // Squid keeps a parent and drops the names under it; every other target writes each name.
          const expected = t.name === "squid" ? names.filter((n) => !names.some((p) => p !== n && n.endsWith("." + p))) : names;
          expect([...new Set(written)].sort()).toEqual([...new Set(expected)].sort());
        }),
        { numRuns: fcRuns(150) },
      );
    });
  }
});

describe("CSV: formula cells are neutralised and RFC 4180 round-trips", () => {
  it("every corpus user name and random hostile text, as a cell", () => {
    const check = (s: string) => {
      const cell = csvCell(s);
      const [row] = readRfc4180(cell + "\r\n");
      expect(row, JSON.stringify(s)).toHaveLength(1);
      const back = row![0]!;
      // Either the text itself, or the text behind a leading quote that stops a formula.
      if (/^[=+\-@\t\r]/.test(s)) expect(back).toBe("'" + s);
      else expect(back).toBe(s);
      expect(back).not.toMatch(/^[=+\-@\t\r]/);
    };
    for (const u of USERS) check(u.value);
    fc.assert(fc.property(arbHostileUser(), check), { numRuns: fcRuns(300) });
  });

  it("mde-csv: a hostile note is refused or written as one neutralised cell", () => {
    for (const u of USERS) {
      const render = () => TARGETS["mde-csv"]!.render(setOf([ind("a.example.com", { note: u.value })]), {});
      const err = refusal(render);
      if (err) {
        // Only control characters are refused in free text.
        expect(u.value, err.message).toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
        continue;
      }
      const rows = readRfc4180((render() as TargetOutput).files[0]!.content);
      expect(rows).toHaveLength(2);
      expect(rows[1]).toHaveLength(rows[0]!.length);
      for (const cell of rows[1]!) expect(cell, JSON.stringify(u.value)).not.toMatch(/^[=+\-@\t\r]/);
      // The note is there in full (behind a quote when it starts like a formula).
      expect(rows[1]!.join("\u0000")).toContain(u.value);
    }
  });
});

describe("the enforcement points load what the corpus's valid names make", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "sanction-hostile-consumers-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const set = setOf(VALID.map((v, i) => ind(v, { action: i % 2 ? "warn" : "block" })));
  const write = (target: string, name: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, TARGETS[target]!.render(set, OPTS).files[0]!.content);
    return p;
  };
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" });

  it("named-checkzone accepts the RPZ zone; a name too long to fit under the zone's name is refused, not written", () => {
    ensureDebianPackages(["bind9-utils"]);
    /*
     * A zone's owner names carry the zone's origin: `*.` + a 253-character name + `.rpz.sanction`
     * is over the 255-octet limit, and BIND would refuse the whole zone for that one name.
     */
    const tooLong = VALID.filter(tooLongForRpz);
    expect(tooLong.length).toBeGreaterThan(0);
    const all = setOf(VALID.map((v, i) => ind(v, { action: i % 2 ? "warn" : "block" })));
    let refused: unknown;
    try {
      TARGETS["rpz"]!.render(all, OPTS);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(InvalidIndicatorError);
    for (const v of tooLong) expect(String((refused as Error).message)).toContain(v.slice(0, 40));
    // Under a shorter zone name the same long names fit.
    const short = TARGETS["rpz"]!.render(setOf(tooLong.filter((v) => v.length <= 253 - 4).map((v) => ind(v))), { ...OPTS, rpzZone: "z" });
    const shortZone = path.join(dir, "short.rpz");
    writeFileSync(shortZone, short.files[0]!.content);
    const s = run("named-checkzone", ["z", shortZone]);
    expect(s.status, s.stdout + s.stderr).toBe(0);

    const fits = setOf(VALID.filter((v) => !tooLongForRpz(v)).map((v, i) => ind(v, { action: i % 2 ? "warn" : "block" })));
    const zone = path.join(dir, "sanction.rpz");
    writeFileSync(zone, TARGETS["rpz"]!.render(fits, OPTS).files[0]!.content);
    const r = run("named-checkzone", ["rpz.sanction", zone]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("unbound-checkconf accepts the unbound include", () => {
    ensureDebianPackages(["unbound"]);
    const inc = write("unbound", "sanction-unbound.conf");
    const conf = path.join(dir, "unbound.conf");
    writeFileSync(conf, `server:\n  username: ""\n  chroot: ""\n  directory: "${dir}"\n  pidfile: ""\ninclude: "${inc}"\n`);
    const r = run("unbound-checkconf", [conf]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("dnsmasq --test accepts the dnsmasq configuration", () => {
    ensureDebianPackages(["dnsmasq-base"]);
    const r = run("dnsmasq", ["--test", `--conf-file=${write("dnsmasq", "sanction-dnsmasq.conf")}`]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("squid -k parse accepts the ACLs without a warning about them", () => {
    ensureDebianPackages(["squid"]);
    chmodSync(dir, 0o755);
    const acl = write("squid", "sanction-squid.conf");
    const conf = path.join(dir, "squid.conf");
    writeFileSync(conf, `http_port 127.0.0.1:3999\npid_filename none\ncache deny all\naccess_log none\ncache_log /dev/stderr\ninclude ${acl}\nhttp_access deny all\n`);
    const r = run("squid", ["-k", "parse", "-f", conf]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/WARNING.*(dstdomain|is a subdomain|ignoring)|ERROR|FATAL/i);
  });
});

describe("sanction indicators on hostile policy values", () => {
  it("each hostile domain is an error at its line; nothing is written and the old output stays", async () => {
    // `*.name` is the language's own subtree pattern, and a NUL cannot be typed in a policy.
    const bad = BAD_HOSTS.map((h) => h.value).filter((v) => !v.includes("\u0000") && !/^\*\.[a-z]/.test(v));
    const policy = bad.map((v) => `block domain ${sanctionString(v)}\n`).join("") + 'block domain "ok.example.com"\n';
    const dir = tempWorkspace({ "p.sanction": policy, "out/sanction.rpz": "; the blocklist in force\n" });
    const check = await runCli(["check", "--format", "json", "p.sanction"], dir);
    expect(check.code).toBe(1);
    const diagnostics = JSON.parse(check.stdout).diagnostics as { severity: string; location: { line: number } }[];
    const errorLines = new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.location.line));
    expect([...errorLines].sort((a, b) => a - b)).toEqual(bad.map((_, i) => i + 1));
    const run = await runCli(["indicators", "p.sanction", "--target", "rpz", "-o", "out/sanction.rpz"], dir);
    expect(run.code).toBe(1);
    expect(readFileSync(path.join(dir, "out/sanction.rpz"), "utf8")).toBe("; the blocklist in force\n");
    expect(readdirSync(path.join(dir, "out"))).toEqual(["sanction.rpz"]);
  });
});
