import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, memoryFileHost, nodeFileHost } from "@sanction/semantics";
import { builtinCatalog, importList, reconcileImport, type ImportFormat } from "@sanction/catalog";
import { expectGolden } from "../support/golden.js";
import { runCli, tempWorkspace } from "../support/cli.js";

// `sanction catalog import` on small fixtures written for these tests (fixtures/), one per
// format, each with bad rows. The written .sanction file and the problem report (stderr) are
// goldens in expected/; rewrite with UPDATE_GOLDEN=1 and review the diff.

const here = __dirname;
const fixtures = path.join(here, "fixtures");
const expected = path.join(here, "expected");

interface Case {
  readonly fixture: string;
  readonly from: ImportFormat;
  readonly args?: readonly string[];
  /** Lines of the reported problems, in report order. */
  readonly problemLines: readonly number[];
  readonly apps: readonly string[];
}

const CASES: readonly Case[] = [
  {
    fixture: "inhouse-apps.csv",
    from: "csv",
    problemLines: [7, 8, 9, 10, 10, 11, 12, 13, 14, 14, 16],
    apps: ["Contoso Expenses", "Fabrikam Timesheets", "Northwind Wiki", "Tailspin Board", "Adventure Chat", "Proseware Files", 'Lucerne "Portal"'],
  },
  {
    fixture: "inhouse-apps.json",
    from: "json",
    problemLines: [10, 10, 19, 20, 24, 29, 34],
    apps: ["Contoso Expenses", "Fabrikam Timesheets", "Northwind Wiki", "Bücher Shop"],
  },
  {
    fixture: "contoso-cloud",
    from: "v2fly",
    args: ["--category", "cloud_storage"],
    problemLines: [4, 10, 11, 13, 14, 15, 16],
    apps: ["Contoso Cloud"],
  },
  {
    fixture: "services.json",
    from: "adguard-services",
    problemLines: [10, 11, 12, 23, 34, 37],
    apps: ["Contoso Video", "Fabrikam Social", "Northwind Games", "Tailspin Market"],
  },
  {
    fixture: "2fa-directory.json",
    from: "2fa-directory",
    problemLines: [28, 36, 43, 48, 48],
    apps: ["Contoso Bank", "Fabrikam Mail", "Northwind Lottery", "Woodgrove Cloud"],
  },
];

const stem = (f: string) => f.replace(/\.[a-z]+$/, "");

describe("catalog import: one fixture per format", () => {
  for (const c of CASES) {
    it(`${c.from}: ${c.fixture}`, async () => {
      const dir = tempWorkspace({});
      copyFileSync(path.join(fixtures, c.fixture), path.join(dir, c.fixture));
      const run = await runCli(["catalog", "import", c.fixture, "--from", c.from, "-o", "catalog", "--date", "2026-11-25", ...(c.args ?? [])], dir);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe("");
      const out = path.join(dir, "catalog", `${stem(c.fixture)}.sanction`);
      const text = readFileSync(out, "utf8");
      expectGolden(text, path.join(expected, `${c.fixture}.sanction`));
      expectGolden(run.stderr, path.join(expected, `${c.fixture}.report`));

      // every problem is reported as file:line: reason, at the line the fixture has it
      const reported = run.stderr
        .split("\n")
        .filter((l) => l.startsWith(`${c.fixture}:`))
        .map((l) => Number(l.slice(c.fixture.length + 1).split(":")[0]));
      expect(reported).toEqual(c.problemLines);

      // the output is a formatted, valid policy file the checker accepts without a word
      const a = analyze([out], { root: dir, host: nodeFileHost });
      expect(a.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      expect(a.model.apps.map((x) => x.name)).toEqual(c.apps);
      expect(text).toContain(`from ${c.fixture} (format ${c.from})`);
      expect(text).toContain("# Imported on 2026-11-25.");
    });
  }

  it("the same input gives the same bytes; without --date no date is recorded", async () => {
    const dir = tempWorkspace({ "list.csv": readFileSync(path.join(fixtures, "inhouse-apps.csv"), "utf8") });
    const one = await runCli(["catalog", "import", "list.csv", "--from", "csv"], dir);
    const two = await runCli(["catalog", "import", "list.csv", "--from", "csv"], dir);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe(two.stdout);
    expect(one.stderr).toBe(two.stderr);
    expect(one.stdout).not.toMatch(/Imported on/);
    expect(one.stdout).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it("imported files are imported by policies: the apps join the effective catalog", async () => {
    const dir = tempWorkspace({ "services.json": readFileSync(path.join(fixtures, "services.json"), "utf8") });
    expect((await runCli(["catalog", "import", "services.json", "--from", "adguard-services", "-o", "catalog"], dir)).code).toBe(0);
    writeFileSync(path.join(dir, "policy.sanction"), `import "./catalog/services.sanction"\n\nunsanction app "Contoso Video"\n`);
    const check = await runCli(["check", "policy.sanction"], dir);
    expect(check.stdout).toBe("");
    expect(check.code).toBe(0);
    const show = await runCli(["catalog", "show", "cvcdn.net", "--policies", "policy.sanction"], dir);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^Contoso Video \(contoso-video\)\n {2}\(cvcdn\.net is attributed to it by \*\.cvcdn\.net\)/);
    expect(show.stdout).toContain("origin      workspace — declared or changed in catalog/services.sanction:6");
  });

  it("writes atomically over an older import, and creates the output folder", async () => {
    const dir = tempWorkspace({ "a.json": `[{"name":"Zeta Tool","domains":["zeta-tool.example"],"category":"other"}]`, "out/deep/a.sanction": "old\n" });
    const r = await runCli(["catalog", "import", "a.json", "--from", "json", "-o", "out/deep"], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("wrote out/deep/a.sanction: 1 app, 1 domain; 0 problems reported\n");
    expect(readFileSync(path.join(dir, "out/deep/a.sanction"), "utf8")).toContain('app "Zeta Tool" {');
    const fresh = await runCli(["catalog", "import", "a.json", "--from", "json", "-o", "new/dir"], dir);
    expect(fresh.code).toBe(0);
    expect(existsSync(path.join(dir, "new/dir/a.sanction"))).toBe(true);
  });
});

describe("catalog import: exit codes and usage", () => {
  it("exits 1 when nothing can be imported, 2 on usage and I/O errors", async () => {
    const dir = tempWorkspace({
      "bad.csv": "name,domains,category\nDropbox,*.dropbox.com,cloud_storage\n,x.example,other\n",
      "latin1.csv": new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xe9, 0xff, 0x0a]),
      "list.csv": "A,a.example,other\n",
    });
    const none = await runCli(["catalog", "import", "bad.csv", "--from", "csv", "-o", "out"], dir);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe("");
    expect(none.stderr).toBe(
      'bad.csv:2: "Dropbox" is already in the built-in catalog (as "Dropbox", id dropbox); not imported\n' +
        "bad.csv:3: no app name; row skipped\n" +
        "sanction: nothing imported from bad.csv (2 problems)\n",
    );
    expect(existsSync(path.join(dir, "out"))).toBe(false);
    const usage: [string[], RegExp][] = [
      [["catalog", "import", "list.csv"], /--from is required/],
      [["catalog", "import", "list.csv", "--from", "yaml"], /--from must be one of csv, json, v2fly, adguard-services, 2fa-directory, not 'yaml'/],
      [["catalog", "import", "list.csv", "--from", "csv", "--date", "2026-02-30"], /--date must be a date/],
      [["catalog", "import", "list.csv", "--from", "v2fly", "--category", "clod"], /unknown category 'clod'/],
      [["catalog", "import", "list.csv", "--from", "csv", "--name", "X"], /--name applies to --from v2fly only/],
      [["catalog", "import", "--from", "csv"], /give one list file/],
      [["catalog", "import", "missing.csv", "--from", "csv"], /cannot read missing\.csv: no such file or directory/],
      [["catalog", "import", "latin1.csv", "--from", "csv"], /cannot read latin1\.csv: not valid UTF-8 text/],
      [["catalog", "import", "list.csv", "--from", "csv", "--bogus"], /unknown option '--bogus'/i],
    ];
    for (const [args, message] of usage) {
      const r = await runCli(args, dir);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it("prints its help", async () => {
    const r = await runCli(["catalog", "import", "--help"], tempWorkspace({}));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: sanction catalog import <file> --from FORMAT/);
    for (const f of ["csv", "json", "v2fly", "adguard-services", "2fa-directory"]) expect(r.stdout).toContain(`  ${f} `);
  });
});

describe("importers and reconcile, on the fixtures directly", () => {
  const read = (f: string) => readFileSync(path.join(fixtures, f), "utf8");

  it("keep the problems' lines through reconcile and add the catalog conflicts", () => {
    for (const c of CASES) {
      const opts = c.from === "v2fly" ? { fileName: c.fixture, defaultCategory: "cloud_storage" } : { fileName: c.fixture };
      const r = reconcileImport(importList(c.from, read(c.fixture), opts), builtinCatalog());
      expect(r.problems.map((p) => p.line), c.fixture).toEqual(c.problemLines);
      expect(r.apps.map((a) => a.name)).toEqual(c.apps);
    }
  });

  it("the generated text also checks in memory (no disk needed)", async () => {
    const dir = tempWorkspace({ "l.csv": read("inhouse-apps.csv") });
    const r = await runCli(["catalog", "import", "l.csv", "--from", "csv"], dir);
    const a = analyze(["/ws/l.sanction"], { root: "/ws", host: memoryFileHost({ "/ws/l.sanction": r.stdout }) });
    expect(a.diagnostics).toEqual([]);
  });
});
