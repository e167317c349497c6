import { describe, expect, it } from "vitest";
import { runCli, tempWorkspace } from "../support/cli.js";

// `sanction catalog search` and `sanction catalog show`, on the built-in catalog and on a
// workspace's custom apps, overrides and score block (--policies). `catalog import` is tested
// in test/catalog-import.

const ASOF = ["--as-of", "2026-11-25"];

const WORKSPACE = {
  "policies/score.sanction": `score {
  security: high
  compliance.soc2: very_high
  unknown: ignored
}
`,
  "policies/apps.sanction": `# reviewed by the vendor risk team
app "Contoso Drive" {
  vendor "Contoso Ltd"
  hq "GB"
  category cloud_storage
  domains contosodrive.com, *.contosodrive.net
  security.mfa = false
  compliance.soc2 = true
  legal.gdpr_readiness = true
}

override app "Box" {
  compliance.soc2 = false
  domains box.contoso.example
  score 8 note "vendor review VR-2026-114"
}
`,
};

describe("sanction catalog search", () => {
  it("ranks an exact name first, then names that start with the text, and says how many", async () => {
    const r = await runCli(["catalog", "search", "dropbox"], tempWorkspace({}));
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      "dropbox        Dropbox — cloud_storage — Dropbox, Inc.",
      "               *.dropbox.com, *.dropboxapi.com, *.dropboxusercontent.com, … (+6)",
    ]);
    expect(r.stdout).toContain("dropbox-paper  Dropbox Paper — collaboration — Dropbox, Inc.");
    expect(r.stderr).toMatch(/^\d+ apps \(ranked: name, host, domain, vendor\)\n$/);
  });

  it("json: ranked results with what matched; a host finds the app it is attributed to", async () => {
    const r = await runCli(["catalog", "search", "mail.yahoo.com", "--format", "json"], tempWorkspace({}));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { query: string; total: number; results: { id: string; match: string; rank: number }[] };
    expect(out.query).toBe("mail.yahoo.com");
    expect(out.results[0]).toMatchObject({ id: "yahoo-webmail", match: "host attributed by *.mail.yahoo.com" });
    const ranks = out.results.map((x) => x.rank);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    expect(out.total).toBe(out.results.length);
  });

  it("filters by category, requires every word, and is deterministic", async () => {
    const dir = tempWorkspace({});
    const r = await runCli(["catalog", "search", "microsoft", "--category", "webmail", "--format", "json", "--limit", "0"], dir);
    const out = JSON.parse(r.stdout) as { category: string; results: { category: string; name: string }[] };
    expect(out.category).toBe("webmail");
    expect(out.results.length).toBeGreaterThan(0);
    expect(out.results.every((x) => x.category === "webmail")).toBe(true);
    const words = JSON.parse((await runCli(["catalog", "search", "google", "drive", "--format", "json"], dir)).stdout) as { results: { id: string }[] };
    expect(words.results.map((x) => x.id)).toContain("google-drive");
    expect(words.results.map((x) => x.id)).not.toContain("gmail");
    const again = await runCli(["catalog", "search", "microsoft", "--category", "webmail", "--format", "json", "--limit", "0"], dir);
    expect(again.stdout).toBe(r.stdout);
  });

  it("breaks rank ties in precedence order: workspace, curated, then third-party-web apps", async () => {
    const r = await runCli(["catalog", "search", "yahoo", "--format", "json", "--limit", "0"], tempWorkspace({}));
    const results = (JSON.parse(r.stdout) as { results: { id: string; origin: string; rank: number }[] }).results;
    expect(results[0]!.id).toBe("yahoo");
    for (let i = 1; i < results.length; i++) {
      const [a, b] = [results[i - 1]!, results[i]!];
      if (a.rank === b.rank && a.origin !== b.origin) expect([a.origin, b.origin]).toEqual(["curated", "third-party-web"]);
    }
    expect(results.some((x) => x.origin === "third-party-web")).toBe(true);
  });

  it("--limit caps the list and says so", async () => {
    const r = await runCli(["catalog", "search", "google", "--limit", "2"], tempWorkspace({}));
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(4);
    expect(r.stderr).toMatch(/^2 of \d+ apps/);
  });

  it("finds workspace apps with --policies, marked as such", async () => {
    const r = await runCli(["catalog", "search", "contoso", "--policies", "policies"], tempWorkspace(WORKSPACE));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "contoso-drive  Contoso Drive [workspace] — cloud_storage — Contoso Ltd\n" +
        "               contosodrive.com, *.contosodrive.net\n" +
        "box            Box — cloud_storage — Box, Inc.\n" +
        "               *.box.com, *.box.net, *.boxcdn.net, … (+2)\n",
    );
  });

  it("exits 1 when nothing matches, 2 on usage errors", async () => {
    const dir = tempWorkspace({});
    const none = await runCli(["catalog", "search", "zzqqxx-nothing"], dir);
    expect(none).toEqual({ code: 1, stdout: "", stderr: 'no app matches "zzqqxx-nothing"\n' });
    const cases: [string[], RegExp][] = [
      [["catalog", "search"], /give the text to search for/],
      [["catalog", "search", "x", "--category", "cloud_storag"], /unknown category 'cloud_storag'; did you mean cloud_storage\?/],
      [["catalog", "search", "x", "--limit", "ten"], /--limit must be a whole number/],
      [["catalog", "search", "x", "--format", "xml"], /--format must be one of text, json/],
      [["catalog", "search", "x", "--policies", "missing"], /cannot read missing/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, dir);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe("sanction catalog show", () => {
  it("shows domains, category, vendor, HQ, attributes with provenance and the score breakdown", async () => {
    const r = await runCli(["catalog", "show", "Dropbox", ...ASOF], tempWorkspace({}));
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 4)).toEqual(["Dropbox (dropbox)", "  vendor      Dropbox, Inc.", "  category    cloud_storage (Cloud storage)", "  hq          US"]);
    expect(r.stdout).toMatch(/^ {2}domains {5}\*\.dropbox\.com, \*\.dropboxapi\.com/m);
    expect(r.stdout).toMatch(/^ {2}compliance\.soc2 +true +https:\/\/www\.dropbox\.com\/\S+ \(2026-11-25\)/m);
    expect(r.stdout).toMatch(/^Score: \d+\.\d\d \/ 10 \(0 = highest risk\)$/m);
    expect(r.stdout).toContain("as of 2026-11-25");
    expect(r.stdout).toMatch(/^ {2}family {5}importance subscore {2}subtotal$/m);
    expect(r.stdout).toMatch(/^ {2}security\.mfa +true +10\.0 {2}medium +\d+\.\d% +\d\.\d{4}$/m);
    expect(r.stdout).toMatch(/ sum +\d+\.\d{4}\n$/);
  });

  it("json: the contributions add up to the total exactly, and every known value has its provenance", async () => {
    const r = await runCli(["catalog", "show", "dropbox", "--format", "json", ...ASOF], tempWorkspace({}));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      app: { id: string; hq: string; domains: string[]; attributes: Record<string, { known: boolean; provenance: { source: string; date: string } }> };
      score: { status: string; total: number; asOf: string; contributions: { contribution: number }[] };
    };
    expect(out.app.id).toBe("dropbox");
    expect(out.app.hq).toBe("US");
    expect(out.score.status).toBe("scored");
    expect(out.score.asOf).toBe("2026-11-25");
    expect(out.score.contributions.reduce((s, c) => s + c.contribution, 0)).toBe(out.score.total);
    for (const v of Object.values(out.app.attributes)) expect(v.provenance.source).not.toBe("");
  });

  it("says `insufficient data` instead of a number for an app with too few known values, and still lists them", async () => {
    const dir = tempWorkspace({});
    const r = await runCli(["catalog", "show", "Yahoo Webmail", ...ASOF], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Score: insufficient data — 2 known risk attributes, at least 3 needed for a score (provisional 7.50, not used)\n");
    expect(r.stdout).toMatch(/^ {2}general\.founded +1994 +10\.0/m);
    const json = JSON.parse((await runCli(["catalog", "show", "yahoo-webmail", "--format", "json", ...ASOF], dir)).stdout) as { score: { status: string; total: null; insufficientData: unknown } };
    expect(json.score).toMatchObject({ status: "insufficient_data", total: null, insufficientData: { known: 2, required: 3 } });
    const none = await runCli(["catalog", "show", "File Dropper", ...ASOF], dir);
    expect(none.stdout).toContain("Attributes: 0 known (every attribute is unknown)\n");
    expect(none.stdout).toContain("Score: not scored — no known risk attribute counts toward the score\n");
  });

  it("finds an app by id, alias or host name", async () => {
    const dir = tempWorkspace({});
    expect((await runCli(["catalog", "show", "microsoft-exchange-online", ...ASOF], dir)).stdout).toMatch(/^Microsoft Exchange Online \(microsoft-exchange-online\)\n/);
    expect((await runCli(["catalog", "show", "exchange online", ...ASOF], dir)).stdout).toMatch(/^Microsoft Exchange Online \(/);
    const host = await runCli(["catalog", "show", "DL.DropboxUserContent.com", ...ASOF], dir);
    expect(host.stdout).toMatch(/^Dropbox \(dropbox\)\n {2}\(dl\.dropboxusercontent\.com is attributed to it by \*\.dropboxusercontent\.com\)\n/);
  });

  it("exits 1 for an unknown app, with a suggestion", async () => {
    const r = await runCli(["catalog", "show", "Dropbx"], tempWorkspace({}));
    expect(r).toEqual({ code: 1, stdout: "", stderr: 'sanction: no app "Dropbx" in the catalog; did you mean "Dropbox"? (try `sanction catalog search "Dropbx"`)\n' });
  });

  it("with --policies: custom apps and overrides with file:line provenance, scored with the workspace's score block", async () => {
    const dir = tempWorkspace(WORKSPACE);
    const r = await runCli(["catalog", "show", "Contoso Drive", "--policies", "policies", ...ASOF], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Contoso Drive (contoso-drive)
  vendor      Contoso Ltd
  category    cloud_storage (Cloud storage)
  hq          GB
  origin      workspace — declared or changed in policies/apps.sanction:2
  domains     contosodrive.com, *.contosodrive.net

Attributes: 3 known; every other attribute is unknown
  compliance.soc2       true      policies/apps.sanction:2 (policy)
  legal.gdpr_readiness  true      policies/apps.sanction:2 (policy)
  security.mfa          false     policies/apps.sanction:2 (policy)

Score: 5.71 / 10 (0 = highest risk)
  unknown values are left out; 3 known and 73 unknown scored attributes; as of 2026-11-25

  family     importance subscore  subtotal
  general    medium            —    0.0000
  security   high           0.00    0.0000
  compliance medium        10.00    2.8571
  legal      medium        10.00    2.8571

  attribute             value         score  importance   share     adds
  security.mfa          false           0.0  medium       42.9%   0.0000
  compliance.soc2       true           10.0  very_high    28.6%   2.8571
  legal.gdpr_readiness  true           10.0  medium       28.6%   2.8571
                                                            sum   5.7143
`);
  });

  it("with --policies: an override changes the app, pins its score with the note, and keeps the computed one", async () => {
    const dir = tempWorkspace(WORKSPACE);
    const r = await runCli(["catalog", "show", "box.contoso.example", "--policies", "policies/apps.sanction", "--policies", "policies/score.sanction", ...ASOF], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  (box.contoso.example is attributed to it by box.contoso.example)\n");
    expect(r.stdout).toContain("  origin      curated — declared or changed in policies/apps.sanction:12\n");
    expect(r.stdout).toMatch(/^ {2}compliance\.soc2 +false +policies\/apps\.sanction:12 \(policy\)$/m);
    expect(r.stdout).toMatch(/^Score: 8\.00 \/ 10 — override: vendor review VR-2026-114 \(computed \d+\.\d\d\)$/m);
    // without the workspace, the built-in Box
    const plain = await runCli(["catalog", "show", "Box", ...ASOF], dir);
    expect(plain.stdout).toMatch(/^ {2}compliance\.soc2 +true +https:/m);
    expect(plain.stdout).not.toContain("override");
  });

  it("warns when the policies have errors, and shows what could be read", async () => {
    const dir = tempWorkspace({ "p.sanction": `app "Half" {\n  category cloud_storge\n  domains half.example\n}\n` });
    const r = await runCli(["catalog", "show", "Half", "--policies", "p.sanction", ...ASOF], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("sanction: the policies have 1 error (see `sanction check`); showing what could be read\n");
    expect(r.stdout).toMatch(/^Half \(half\)\n {2}vendor {6}Half\n {2}category {4}other/);
  });

  it("usage errors exit 2", async () => {
    const dir = tempWorkspace({});
    for (const [args, message] of [
      [["catalog", "show"], /give an app name, id or host name/],
      [["catalog", "show", "Box", "--as-of", "yesterday"], /--as-of must be a date/],
      [["catalog", "show", "Box", "--policies", "nope.sanction"], /cannot read nope\.sanction/],
      [["catalog", "frobnicate"], /unknown subcommand 'frobnicate'/],
    ] as [string[], RegExp][]) {
      const r = await runCli(args, dir);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe("sanction catalog help", () => {
  it("is listed in the main help and has help for each subcommand", async () => {
    const dir = tempWorkspace({});
    expect((await runCli(["--help"], dir)).stdout).toMatch(/^ {2}catalog +search and show catalog apps, import app lists$/m);
    const help = await runCli(["catalog", "--help"], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sanction catalog <search\|show\|import>/);
    expect((await runCli(["help", "catalog"], dir)).stdout).toBe(help.stdout);
    const bare = await runCli(["catalog"], dir);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe(help.stdout);
    for (const sub of ["search", "show", "import"]) {
      const r = await runCli(["catalog", sub, "--help"], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: sanction catalog ${sub} `));
      expect(r.stdout).toMatch(/Exit codes: 0 /);
    }
  });
});
