/*
 * A hostile app list (corpus/catalog/hostile-apps.csv) through `sanction catalog import`:
 * rows that claim a built-in app's name or domains, names and domains that try to inject
 * policy syntax into the written file, markup, formulas, zone directives, a line break in a
 * name and a homograph of a built-in domain. Every refusal and warning is reported with its
 * line; no built-in domain is taken over; the written file is one app block per accepted row
 * and checks clean.
 */
import { copyFileSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "@sanction/catalog";
import { analyze, nodeFileHost } from "@sanction/semantics";
import { parse } from "@sanction/syntax";
import { runCli, tempWorkspace } from "../support/cli.js";
import { CORPUS } from "./corpus.js";

const LIST = "hostile-apps.csv";

describe("catalog import of a hostile list", () => {
  it("reports every refusal by line, claims no built-in domain, and writes only app blocks", async () => {
    const dir = tempWorkspace({});
    copyFileSync(path.join(CORPUS, "catalog", LIST), path.join(dir, LIST));
    const run = await runCli(["catalog", "import", LIST, "--from", "csv", "-o", "catalog", "--date", "2026-11-25"], dir);
    expect(run.code, run.stderr).toBe(0);
    const problems = run.stderr.split("\n").filter((l) => l.startsWith(`${LIST}:`));

    // Claims on built-in apps: each reported at its line, naming the app it belongs to.
    expect(problems).toContain(`${LIST}:4: "Evil Drive": *.dropbox.com belongs to built-in app "Dropbox" (*.dropbox.com); a list cannot claim it, domain skipped`);
    expect(problems.some((p) => p.startsWith(`${LIST}:5: "Evil Mail": mail.google.com belongs to built-in app`))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${LIST}:6: "Evil Sub": files.dropboxusercontent.com belongs to built-in app "Dropbox"`))).toBe(true);
    expect(problems).toContain(`${LIST}:7: "DROPBOX" is already in the built-in catalog (as "Dropbox", id dropbox); not imported`);
    // A name holding a control character (here a line break inside quotes) is refused, escaped.
    expect(problems).toContain(`${LIST}:9: name "Newline\\r\\napp \"injected\" {" holds a control character (U+000D); row skipped`);
    // A homograph of a built-in domain is imported with a warning naming the app it imitates.
    expect(problems).toContain(
      `${LIST}:17: warning: "Homograph": *.xn--drpbox-xqf.com is *.drоpbox.com, which looks like *.dropbox.com of built-in app "Dropbox" and mixes Latin and Cyrillic letters in "drоpbox"; imported, make sure it is the name the list means`,
    );
    // Zone directives and a bare wildcard are not domains.
    expect(problems.filter((p) => p.startsWith(`${LIST}:15:`)).at(-1)).toBe(`${LIST}:15: "Zone Directive" has no valid domain; row skipped`);
    expect(problems.filter((p) => p.startsWith(`${LIST}:16:`)).at(-1)).toBe(`${LIST}:16: "Wildcard All" has no valid domain; row skipped`);
    // Every reported line is a line of the list.
    const lines = readFileSync(path.join(dir, LIST), "utf8").split("\n").length;
    for (const p of problems) expect(Number(p.split(":")[1])).toBeLessThanOrEqual(lines);

    const out = path.join(dir, "catalog", "hostile-apps.sanction");
    const text = readFileSync(out, "utf8");
    // The written file is app blocks only: no policy, decision or import was smuggled in.
    const tree = parse(text, out);
    expect(tree.diagnostics).toEqual([]);
    expect(new Set(tree.ast.items.map((i) => i.kind))).toEqual(new Set(["App"]));
    const a = analyze([out], { root: dir, host: nodeFileHost });
    expect(a.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(a.model.apps.map((x) => x.name)).toEqual([
      'Quote" } policy "x" { then unsanction } app "y',
      "<script>window.__pwned=1</script>",
      '=HYPERLINK("http://evil.example/")',
      "Injected Domain",
      "Homograph",
      "Legit Tool",
    ]);
    // No imported domain belongs to a built-in app.
    const catalog = builtinCatalog();
    for (const app of a.model.apps) {
      for (const d of app.domains) {
        const host = d.replace(/^\*\./, "");
        expect(catalog.appForHost!(host)?.name, `${app.name}: ${d}`).toBeUndefined();
      }
    }
  });
});
