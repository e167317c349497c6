import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CODES } from "@sanction/diagnostics";
import { KEYWORD_WORDS, parse } from "@sanction/syntax";
import { loadGrammar, ROOT, ROOT_SCOPE, tokenize } from "./tokenize.js";

// grammar/REFERENCE.md is written by hand; these checks keep it from drifting from the code.
const reference = readFileSync(ROOT + "grammar/REFERENCE.md", "utf8");

describe("REFERENCE.md", () => {
  it("lists every diagnostic code, with its name and severity", () => {
    const rows = new Map([...reference.matchAll(/^\| (SAN\d+) \| `([^`]+)` \| (\w+) \|/gm)].map((m) => [m[1]!, `${m[2]} ${m[3]}`]));
    const expected = new Map(Object.entries(CODES).map(([code, info]) => [code, `${info.name} ${info.severity}`]));
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(expected));
  });

  it("lists every keyword", () => {
    const section = reference.split("## Keywords")[1]!.split("\n\n")[1]!;
    const listed = section.replaceAll("`", "").split(/\s+/).filter(Boolean).sort();
    expect(listed).toEqual([...KEYWORD_WORDS].sort());
  });

  const examples = [...reference.matchAll(/```sanction\n([\s\S]*?)```/g)].map((m) => m[1]!);
  examples.forEach((code, i) => {
    const first = code.split("\n").find((l) => l.trim() && !l.startsWith("#")) ?? "";
    it(`example ${i + 1} parses and is coloured: ${first.trim()}`, async () => {
      const syntax = parse(code, `example-${i + 1}.sanction`).diagnostics;
      expect(syntax.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const tokens = tokenize(await loadGrammar(), code).filter((t) => t.text.trim() !== "");
      expect(tokens.filter((t) => t.scopes.length === 1 && t.scopes[0] === ROOT_SCOPE)).toEqual([]);
      expect(tokens.filter((t) => t.scopes.some((s) => s.startsWith("invalid.")))).toEqual([]);
    });
  });
});
