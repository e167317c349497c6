import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  builtinCatalog,
  importAdguardServices,
  importCsv,
  importJson,
  importTwoFactorDirectory,
  importV2fly,
  parseJsonWithLines,
  readDomain,
  reconcileImport,
  JsonSyntaxError,
  type ImportResult,
  type JsonNode,
} from "@sanction/catalog";
import { slugify } from "@sanction/semantics";
import { mixedScripts, skeleton } from "../../packages/catalog/src/importers/lookalike.js";

// The importers are pure functions text → { apps, problems }; these pin the details the
// fixture goldens don't isolate: line numbers in odd layouts, domain normalisation, and the
// rules that keep a list from claiming what the catalog has.

const lines = (r: ImportResult) => r.problems.map((p) => `${p.line}: ${p.message}`);
/** A domain as an importer reads it (IDN to punycode). */
const readDomainPattern = (raw: string): string => {
  const d = readDomain(raw, false);
  if ("error" in d) throw new Error(d.error);
  return d.pattern;
};
const summary = (r: ImportResult) => r.apps.map((a) => `${a.line} ${a.name} [${a.category}] ${a.domains.map((d) => `${d.pattern}@${d.line}`).join(" ")}`);

describe("readDomain", () => {
  it.each([
    ["example.com", false, "example.com"],
    ["example.com", true, "*.example.com"],
    ["*.Example.COM.", false, "*.example.com"],
    [".example.com", false, "*.example.com"],
    ["bücher.example", false, "xn--bcher-kva.example"],
    ["  login.example.org  ", false, "login.example.org"],
  ])("%s (bare = subtree: %s) → %s", (raw, subtree, pattern) => {
    expect(readDomain(raw, subtree)).toEqual({ pattern });
  });

  it.each([
    ["https://example.com/x", /not a domain name/],
    ["exa mple.com", /not a domain name/],
    ["*.x*.com", /not a domain name/],
    ["com", /not a valid domain name/],
    ["bad_host.com", /not a valid domain name/],
    ["co.uk", /public suffix/],
    ["*.github.io", /public suffix/],
    ["s3.amazonaws.com", /public suffix/],
    ["", /empty domain/],
  ])("refuses %s", (raw, message) => {
    const r = readDomain(raw, false);
    expect("error" in r && r.error).toMatch(message);
  });
});

describe("csv", () => {
  it("numbers rows by the line they start on: comments, blank lines, CRLF and quoted newlines", () => {
    const text = [
      "# comment",
      "",
      "Alpha,alpha.example,other\r",
      'Beta Two,"beta.example',
      'beta2.example",other,Beta Corp',
      '"Eps',
      'ilon",epsilon.example,other',
      "Gamma,gamma.example,nope",
      "Delta,,other",
    ].join("\n");
    const r = importCsv(text);
    expect(summary(r)).toEqual(["3 Alpha [other] alpha.example@3", "4 Beta Two [other] beta.example@4 beta2.example@4"]);
    expect(r.apps[1]!.vendor).toBe("Beta Corp");
    expect(lines(r)).toEqual([
      '6: name "Eps\\nilon" holds a control character (U+000A); row skipped',
      '8: "Gamma": unknown category "nope"; row skipped',
      '9: "Delta" has no valid domain; row skipped',
    ]);
  });

  it("refuses a row whose name or vendor holds a control character, naming it with escapes", () => {
    const r = importCsv('name,domains,category,vendor\nTab\tName,a.example,other,A\n"Esc\u001b[2J",b.example,other,B\nC,c.example,other,"Bell\u0007"\nD,d.example,other,"8-bit \u009b CSI"\n"Line\u2028Sep",e.example,other,E\nFine,f.example,other,F\n');
    expect(summary(r)).toEqual(["7 Fine [other] f.example@7"]);
    expect(lines(r)).toEqual([
      '2: name "Tab\\tName" holds a control character (U+0009); row skipped',
      '3: name "Esc\\x1b[2J" holds a control character (U+001B); row skipped',
      '4: vendor "Bell\\x07" holds a control character (U+0007); row skipped',
      '5: vendor "8-bit \\x9b CSI" holds a control character (U+009B); row skipped',
      '6: name "Line\\u2028Sep" holds a control character (U+2028); row skipped',
    ]);
  });

  it("reads a header in any column order, labels as categories, and several domains per cell", () => {
    const r = importCsv("\ufeffvendor,category,domains,name,notes\nAcme,Cloud storage,a.example; *.b.example | c.example,Acme Drive,ignored\n");
    expect(summary(r)).toEqual(["2 Acme Drive [cloud_storage] a.example@2 *.b.example@2 c.example@2"]);
    expect(r.apps[0]!.vendor).toBe("Acme");
  });

  it("suggests the category meant, refuses a header without the needed columns, and reports an unclosed quote", () => {
    expect(lines(importCsv("A,a.example,cloud_storge\n"))).toEqual(['1: "A": unknown category "cloud_storge"; did you mean cloud_storage?; row skipped']);
    expect(lines(importCsv("name,hosts,category\nA,a.example,other\n"))).toEqual(["1: the header has no domains column; nothing imported"]);
    const r = importCsv('A,a.example,other\n"B,b.example,other\n');
    expect(summary(r)).toEqual(["1 A [other] a.example@1"]);
    expect(lines(r)).toEqual(["2: a quoted field is not closed before the end of the file; row skipped"]);
  });
});

describe("json", () => {
  it("reports an entry at the line of its {, a bad domain at its own line", () => {
    const text = `[
  { "name": "A", "category": "other",
    "domains": [
      "a.example",
      "not valid!",
      "*.a2.example"
    ] },
  { "name": "",
    "category": "other", "domains": ["x.example"] },
  [1, 2]
]`;
    const r = importJson(text);
    expect(summary(r)).toEqual(["2 A [other] a.example@4 *.a2.example@6"]);
    expect(lines(r)).toEqual([
      '5: "A": "not valid!" is not a domain name; domain skipped',
      '8: "name" is empty; entry skipped',
      "10: expected an app object, found an array; entry skipped",
    ]);
  });

  it("reports a syntax error at its line and imports nothing", () => {
    const r = importJson('[\n  { "name": "A",\n    "category": "other" "domains": [] }\n]');
    expect(r.apps).toEqual([]);
    expect(lines(r)).toEqual(["3: invalid JSON: expected , or } in an object; nothing imported"]);
    expect(lines(importJson('{"apps": []}'))).toEqual(["1: expected an array of apps, found an object; nothing imported"]);
  });
});

describe("parseJsonWithLines", () => {
  const plain = (n: JsonNode): unknown => {
    switch (n.kind) {
      case "object":
        return Object.fromEntries(n.entries.map((e) => [e.key, plain(e.value)]));
      case "array":
        return n.items.map(plain);
      case "null":
        return null;
      default:
        return n.value;
    }
  };

  it("reads what JSON.stringify writes, compact or indented", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, "\t"), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        expect(plain(parseJsonWithLines(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("gives each value the line it starts on", () => {
    const root = parseJsonWithLines('{\n  "a": [\n    1,\n\n    "x\\ny"\n  ],\n  "b": null\n}');
    expect(root.line).toBe(1);
    const a = root.kind === "object" ? root.entries[0]!.value : undefined;
    expect(a?.line).toBe(2);
    expect(a?.kind === "array" && a.items.map((i) => i.line)).toEqual([3, 5]);
  });

  it("refuses what JSON.parse refuses, with a line", () => {
    for (const bad of ["", "[1,]", "{'a':1}", "[1]\n[2]", '"\u0001"', "01", "[", '{"a" 1}', "nul"]) {
      expect(() => JSON.parse(bad), bad).toThrow();
      expect(() => parseJsonWithLines(bad), bad).toThrow(JsonSyntaxError);
    }
    expect(() => parseJsonWithLines("[".repeat(300) + "]".repeat(300))).toThrow(/nested too deeply/);
    try {
      parseJsonWithLines("[\n1,\n2,\n]");
    } catch (e) {
      expect((e as JsonSyntaxError).line).toBe(4);
    }
  });
});

describe("v2fly, adguard-services, 2fa-directory", () => {
  it("v2fly: names the app after the file unless told, reads attributes and comments away", () => {
    const r = importV2fly("domain:a.example @ads\nfull:b.example # note\nc.example &other\n", { fileName: "data/acme-cloud" });
    expect(summary(r)).toEqual(["1 Acme Cloud [other] *.a.example@1 b.example@2 *.c.example@3"]);
    expect(importV2fly("x.example\n", { fileName: "acme", appName: "ACME Files", defaultCategory: "cloud_storage" }).apps[0]).toMatchObject({ name: "ACME Files", category: "cloud_storage" });
    expect(lines(importV2fly("regexp:.*\n", { fileName: "x" }))).toEqual([
      "1: regexp: rules match by regular expression, not by domain; skipped",
      '1: "X" has no domain rule the catalog can use; nothing imported',
    ]);
  });

  it("adguard-services: the group maps to a category, else the default; the id names a service without a name", () => {
    const text = JSON.stringify({ blocked_services: [{ id: "a_b", rules: ["||ab.example^"], group: "ai" }, { id: "c", name: "C", rules: ["||c.example^"], group: "unknown_group" }] }, null, 2);
    expect(summary(importAdguardServices(text, { defaultCategory: "streaming" }))).toEqual(["3 a_b [generative_ai] *.ab.example@6", "10 C [streaming] *.c.example@14"]);
  });

  it("2fa-directory: the first mapped category wins; `keywords` (API v2) is read too", () => {
    const text = JSON.stringify([["A", { domain: "a.example", categories: ["betting", "email", "banking"] }], ["B", { domain: "b.example", keywords: ["social"] }]]);
    expect(summary(importTwoFactorDirectory(text))).toEqual(["1 A [webmail] *.a.example@1", "1 B [social_network] *.b.example@1"]);
  });

  it("every format refuses a name or vendor holding a control character, at its line", () => {
    const json = importJson('[\n  { "name": "A\\u001b]0;x\\u0007", "category": "other", "domains": ["a.example"] },\n  { "name": "B", "vendor": "V\\nW", "category": "other", "domains": ["b.example"] }\n]');
    expect(json.apps).toEqual([]);
    expect(lines(json)).toEqual(['2: name "A\\x1b]0;x\\x07" holds a control character (U+001B); entry skipped', '3: vendor "V\\nW" holds a control character (U+000A); entry skipped']);
    const adguard = importAdguardServices(JSON.stringify({ blocked_services: [{ id: "x", name: "X\rY", rules: ["||x.example^"] }] }));
    expect(lines(adguard)).toEqual(['1: name "X\\rY" holds a control character (U+000D); service skipped']);
    const twoFa = importTwoFactorDirectory(JSON.stringify([["T\u0085", { domain: "t.example" }]]));
    expect(lines(twoFa)).toEqual(['1: name "T\\x85" holds a control character (U+0085); entry skipped']);
    expect(lines(importV2fly("v.example\n", { fileName: "x", appName: "V\u001b[2J" }))).toEqual(['1: name "V\\x1b[2J" holds a control character (U+001B); nothing imported']);
  });

  it("throws for a default category that does not exist (the CLI checks it first)", () => {
    expect(() => importV2fly("a.example", { defaultCategory: "nope" })).toThrow(/unknown category "nope"/);
  });
});

describe("reconcileImport: a list adds apps, never takes the catalog's", () => {
  const one = (name: string, patterns: string[], line = 1): ImportResult["apps"][number] => ({ name, category: "other", domains: patterns.map((pattern) => ({ pattern, line })), line });
  const run = (apps: ImportResult["apps"]) => reconcileImport({ apps, problems: [] }, builtinCatalog(), { idOf: slugify });

  it("skips an app the catalog has by name, alias or id", () => {
    const r = run([one("exchange online", ["x1.example"], 1), one("Box!", ["x2.example"], 2), one("Fresh App", ["x3.example"], 3)]);
    expect(r.apps.map((a) => a.name)).toEqual(["Fresh App"]);
    expect(lines(r)).toEqual([
      '1: "exchange online" is already in the built-in catalog (as "Microsoft Exchange Online", id microsoft-exchange-online); not imported',
      '2: "Box!" would get the id box, which built-in app "Box" has; not imported',
    ]);
  });

  it("skips a domain the catalog attributes, including a name inside one of its subtrees", () => {
    const r = run([one("Sneaky", ["files.dropbox.com", "*.login.microsoftonline.com", "sneaky.example"])]);
    expect(r.apps[0]!.domains.map((d) => d.pattern)).toEqual(["sneaky.example"]);
    expect(r.problems.map((p) => p.kind)).toEqual(["conflict", "conflict"]);
    expect(r.problems[0]!.message).toBe('"Sneaky": files.dropbox.com belongs to built-in app "Dropbox" (*.dropbox.com); a list cannot claim it, domain skipped');
  });

  it("imports a homograph of a built-in domain with a warning at its line naming the app it imitates", () => {
    // Cyrillic о in drоpbox, Greek ο in gοοgle, an all-Cyrillic раураӏ (no mix, but its skeleton is paypal).
    const r = run([one("Homograph", ["*.xn--drpbox-xqf.com"], 4), one("Greek", ["xn--ggle-0nda.com"], 5), one("Whole", [readDomainPattern("раураӏ.com")], 6)]);
    expect(r.apps.map((a) => a.name)).toEqual(["Homograph", "Greek", "Whole"]);
    expect(r.problems.map((p) => p.kind)).toEqual(["lookalike", "lookalike", "lookalike"]);
    expect(lines(r)).toEqual([
      '4: warning: "Homograph": *.xn--drpbox-xqf.com is *.drоpbox.com, which looks like *.dropbox.com of built-in app "Dropbox" and mixes Latin and Cyrillic letters in "drоpbox"; imported, make sure it is the name the list means',
      '5: warning: "Greek": xn--ggle-0nda.com is gοοgle.com, which looks like *.google.com of built-in app "Google" and mixes Latin and Greek letters in "gοοgle"; imported, make sure it is the name the list means',
      expect.stringMatching(/^6: warning: "Whole": xn--[a-z0-9-]+\.com is раураӏ\.com, which looks like \*\.paypal\.com of built-in app "PayPal"; imported, make sure it is the name the list means$/),
    ]);
  });

  it("warns of a label mixing scripts even when it imitates no built-in app, and not of one script or Latin with CJK", () => {
    const r = run([one("Mixed", [readDomainPattern("*.раураl-login.example")], 2), one("German", [readDomainPattern("bücher.example")], 3), one("Russian", [readDomainPattern("пример.example")], 4), one("Japanese", [readDomainPattern("テスト例え-abc.example")], 5), one("Plain", ["plain.example"], 6)]);
    expect(r.apps).toHaveLength(5);
    expect(lines(r)).toEqual([expect.stringMatching(/^2: warning: "Mixed": \*\.xn--\S+ is \*\.раураl-login\.example, which mixes Cyrillic and Latin letters in "раураl-login"; imported/)]);
  });

  it("folds Cyrillic and Greek look-alikes to Latin, and tells scripts apart", () => {
    expect(skeleton("аеорсухіјѕһԁԛԝ")).toBe("aeopcyxijshdqw");
    expect(skeleton("αονριχ")).toBe("aovpix");
    expect(skeleton("bücher")).toBe("bücher");
    expect(mixedScripts("drоpbox")).toEqual(["Latin", "Cyrillic"]);
    expect(mixedScripts("dropbox-2")).toBeUndefined();
    expect(mixedScripts("例えtest")).toBeUndefined();
    expect(mixedScripts("ελληνικά")).toBeUndefined();
    expect(mixedScripts("ελληνικάабв")).toEqual(["Greek", "Cyrillic"]);
  });

  it("keeps the first of two apps with one name, id or host; an app may list a host both ways", () => {
    const r = run([one("Zed", ["zed.example", "*.zed.example"], 1), one("zed", ["z2.example"], 2), one("Zed!", ["z3.example"], 3), one("Other", ["*.zed.example", "o.example"], 4)]);
    expect(summary(r)).toEqual(["1 Zed [other] zed.example@1 *.zed.example@1", "4 Other [other] o.example@4"]);
    expect(r.problems.map((p) => [p.line, p.kind])).toEqual([
      [2, "duplicate"],
      [3, "duplicate"],
      [4, "duplicate"],
    ]);
  });
});
