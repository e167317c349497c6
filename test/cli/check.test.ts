import { describe, expect, it } from "vitest";
import { runCli, tempWorkspace } from "../support/cli.js";

const clean = `group marketing { device.tag == "marketing" }
policy "Risky storage" {
  severity high
  when app.category == cloud_storage and app.score in 0..2
  scope all except marketing
  then unsanction, alert
}
`;

describe("sanction check", () => {
  it("exits 0 on a clean workspace and says so", async () => {
    const dir = tempWorkspace({ "policies/main.sanction": clean });
    const r = await runCli(["check", "policies"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("1 file checked: 0 errors, 0 warnings\n");
  });

  it("checks the working directory when no path is given", async () => {
    const dir = tempWorkspace({ "a.sanction": clean, "sub/b.sanction": `block domain "example.com"\n` });
    const r = await runCli(["check"], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("2 files checked");
  });

  it("prints file:line:col with a caret and exits 1 on errors", async () => {
    const dir = tempWorkspace({ "p.sanction": `policy "x" {\n  when app.category == cloud_storge\n  then alert\n}\n` });
    const r = await runCli(["check", "p.sanction"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("p.sanction:2:24: error SAN304: unknown category `cloud_storge`; did you mean `cloud_storage`?");
    expect(r.stdout).toContain("2 |   when app.category == cloud_storge\n  |                        ^^^^^^^^^^^^");
    expect(r.stdout).toContain("help: change to cloud_storage");
  });

  it("exits 0 on warnings, and 1 with --warnings-as-errors", async () => {
    const dir = tempWorkspace({ "p.sanction": `policy "all" {\n  severity low\n  then alert\n}\n` });
    expect((await runCli(["check", "p.sanction"], dir)).code).toBe(0);
    const strict = await runCli(["check", "--warnings-as-errors", "p.sanction"], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("warning SAN504");
  });

  it("reports a missing file in one line with exit 2", async () => {
    const dir = tempWorkspace({});
    const r = await runCli(["check", "nope.sanction"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("sanction: cannot read nope.sanction: no such file or directory\n");
  });

  it("refuses binary and non-UTF-8 files in one line, without a stack trace", async () => {
    const dir = tempWorkspace({ "bin.sanction": new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]), "latin1.sanction": new Uint8Array([0x23, 0x20, 0xe9, 0x0a]) });
    const a = await runCli(["check", "bin.sanction"], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe("sanction: cannot read bin.sanction: binary file (contains NUL bytes)\n");
    const b = await runCli(["check", "latin1.sanction"], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe("sanction: cannot read latin1.sanction: not valid UTF-8\n");
  });

  it("says so when a folder has no policy files", async () => {
    const dir = tempWorkspace({ "empty/readme.txt": "hi" });
    const r = await runCli(["check", "empty"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no .sanction files found in empty");
  });

  it("rejects unknown options and formats with exit 2", async () => {
    const dir = tempWorkspace({ "p.sanction": clean });
    const a = await runCli(["check", "--colour", "p.sanction"], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^sanction: check: unknown option '--colour'/);
    const b = await runCli(["check", "--format", "xml", "p.sanction"], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe("sanction: check: --format must be one of text, json, sarif, not 'xml'\n");
  });

  it("emits JSON with positions and a summary", async () => {
    const dir = tempWorkspace({ "p.sanction": `unsanction app "Dropbx"\n` });
    const r = await runCli(["check", "--format", "json", "p.sanction"], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toEqual({ files: 1, errors: 1, warnings: 0, infos: 0 });
    expect(out.diagnostics[0]).toMatchObject({
      code: "SAN301",
      severity: "error",
      location: { file: "p.sanction", line: 1, column: 16, endLine: 1, endColumn: 24 },
      fixes: [{ title: 'change to "Dropbox"', edits: [{ newText: '"Dropbox"' }] }],
    });
  });

  it("gives byte-identical output on repeated runs", async () => {
    const dir = tempWorkspace({ "a.sanction": `unsanction app "Dropbx"\nblock domain "x"\n`, "b.sanction": `group g { user == "u" }\ngroup g { user == "v" }\n` });
    const runs = await Promise.all([1, 2, 3].map(() => runCli(["check", "--format", "sarif", "."], dir)));
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
  });

  it("has help for every command", async () => {
    for (const cmd of ["check", "fmt"]) {
      const r = await runCli([cmd, "--help"], "/");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: sanction ${cmd}`));
    }
    const top = await runCli(["--help"], "/");
    expect(top.stdout).toContain("check");
    expect((await runCli(["frobnicate"], "/")).stderr).toContain("unknown command 'frobnicate'");
  });
});
