import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LspClient, positionOf, repoRoot, sampleWorkspace } from "./client.js";
import { runCli } from "../support/cli.js";

/*
 * Every editor feature over the real protocol: the server runs as its own process (tsx over
 * the TypeScript sources) and is driven over stdio with vscode-jsonrpc.
 */

const BROKEN = `import "./groups.sanction"

policy "Risky storage typo" {
  severity high
  when app.categry == cloud_storage and app.score < 3
  scope all except marketng
  then alert
}

policy "No severity" {
  when app.category == social_network
  then alert
}

policy "Audit me" {
  severity low
  when app.category == webmail
  mode audit
  then alert
}

policy "Templated" uses template new_risky_app {
  users > 10 per day
  then alert
}
`;

let client: LspClient;
let dir: string;
let brokenUri: string;
const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).href;
type Item = { label: string; kind?: number; textEdit?: { newText: string } };

beforeAll(async () => {
  dir = sampleWorkspace({ "editing.sanction": BROKEN });
  client = new LspClient();
  const init = await client.initialize(dir, { trafficSamples: [path.join(repoRoot, "samples", "traffic", "squid-native.log")] });
  expect(init.capabilities).toMatchObject({ hoverProvider: true, completionProvider: expect.anything(), renameProvider: expect.anything(), inlayHintProvider: true });
  brokenUri = client.open(path.join(dir, "editing.sanction"), BROKEN, 1);
});

afterAll(async () => {
  await client?.shutdown();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function completionAt(uri: string, text: string, needle: string, delta = needle.length): Promise<Item[]> {
  const r = await client.request<{ items: Item[] } | Item[]>("textDocument/completion", { textDocument: { uri }, position: positionOf(text, needle, delta) });
  return Array.isArray(r) ? r : r.items;
}
async function hoverAt(uri: string, text: string, needle: string, delta = 1): Promise<string> {
  const r = await client.request<{ contents: { value: string } } | null>("textDocument/hover", { textDocument: { uri }, position: positionOf(text, needle, delta) });
  return r?.contents.value ?? "";
}

describe("diagnostics", () => {
  it("publishes the CLI's codes for an open file, with did-you-mean fixes", async () => {
    const d = await client.waitDiagnostics(brokenUri, (x) => x.diagnostics.length > 0);
    const codes = d.diagnostics.map((x) => x.code);
    expect(codes).toContain("SAN305"); // unknown attribute app.categry
    expect(codes).toContain("SAN302"); // unknown group marketng
    expect(codes).toContain("SAN507"); // alert without severity
    const attr = d.diagnostics.find((x) => x.code === "SAN305")!;
    expect(attr.range.start).toEqual(positionOf(BROKEN, "app.categry"));
    expect(attr.message).toMatch(/app\.category/);
  });

  it("re-publishes after an incremental edit, and clears fixed errors", async () => {
    const at = positionOf(BROKEN, "app.categry");
    const next = client.waitDiagnostics(brokenUri, (x) => x.version === 2);
    client.change(brokenUri, 2, [{ range: { start: { line: at.line, character: at.character + 4 }, end: { line: at.line, character: at.character + 11 } }, text: "category" }]);
    const d = await next;
    expect(d.version).toBe(2);
    expect(d.diagnostics.map((x) => x.code)).not.toContain("SAN305");
    // Put the typo back for the tests below.
    const back = client.waitDiagnostics(brokenUri, (x) => x.version === 3);
    client.change(brokenUri, 3, [{ text: BROKEN }]);
    expect((await back).diagnostics.map((x) => x.code)).toContain("SAN305");
  });

  it("coalesces a burst of edits into few publications", async () => {
    let count = 0;
    const before = client.diagnostics.get(brokenUri);
    const seen = new Set<unknown>();
    const listener = setInterval(() => {
      const cur = client.diagnostics.get(brokenUri);
      if (cur !== before && !seen.has(cur)) {
        seen.add(cur);
        count++;
      }
    }, 5);
    for (let v = 4; v < 24; v++) client.change(brokenUri, v, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: v % 2 ? "#" : "" }]);
    client.change(brokenUri, 24, [{ text: BROKEN }]);
    await client.waitDiagnostics(brokenUri, (x) => x.version === 24);
    clearInterval(listener);
    expect(count).toBeLessThanOrEqual(4);
  });
});

describe("completion", () => {
  const doc = `policy "C" uses template new_risky_app {
  severity hi
  when app.security.m and app.category == cloud_st
  upload > 50
  scope all except mark
  then alert, unsanction
}
override app "Drop
`;
  let uri: string;
  beforeAll(() => {
    uri = client.open(path.join(dir, "completion.sanction"), doc, 1);
  });

  it("offers keywords at the start of a policy line, with template parameters", async () => {
    const items = await completionAt(uri, doc, "  severity hi\n", 15);
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(["when", "scope", "mode", "then", "users", "traffic", "score"]));
  });
  it("offers severities, attributes, categories, units and groups in context", async () => {
    expect((await completionAt(uri, doc, "severity ", 9)).map((i) => i.label)).toEqual(["informational", "low", "medium", "high"]);
    const attrs = (await completionAt(uri, doc, "app.security.m")).map((i) => i.label);
    expect(attrs).toContain("app.security.mfa");
    expect(attrs).toContain("app.category");
    expect((await completionAt(uri, doc, "== cloud_st")).map((i) => i.label)).toContain("cloud_storage");
    expect((await completionAt(uri, doc, "upload > 50")).map((i) => i.label)).toEqual(expect.arrayContaining(["50MB", "50GB"]));
    expect((await completionAt(uri, doc, "except ", 7)).map((i) => i.label)).toEqual(expect.arrayContaining(["marketing", "pilot_devices", "build_servers"]));
  });
  it("offers app names from the catalog and the workspace, templates and top-level keywords", async () => {
    const apps = (await completionAt(uri, doc, '"Drop')).map((i) => i.label);
    expect(apps).toContain("Dropbox");
    const text2 = 'sanction app "Con';
    const uri2 = client.open(path.join(dir, "completion2.sanction"), text2 + "\n", 1);
    expect((await completionAt(uri2, text2, '"Con')).map((i) => i.label)).toContain("Contoso Drive");
    const text3 = 'policy "T" uses template \n';
    const uri3 = client.open(path.join(dir, "completion3.sanction"), text3, 1);
    expect((await completionAt(uri3, text3, "template ")).map((i) => i.label)).toContain("new_popular_app");
    const text4 = "\n";
    const uri4 = client.open(path.join(dir, "completion4.sanction"), text4, 1);
    expect((await completionAt(uri4, text4, "\n", 0)).map((i) => i.label)).toEqual(expect.arrayContaining(["policy", "group", "app", "import", "test"]));
  });
});

describe("hover", () => {
  const doc = `override app "Dropbox" {
  tag reviewed
}
policy "H" uses template new_popular_app {
  severity low
  when app.security.mfa == true
  then alert
}
`;
  let uri: string;
  beforeAll(() => {
    uri = client.open(path.join(dir, "hover.sanction"), doc, 1);
  });
  it("shows an app's card with its score breakdown and provenance", async () => {
    const h = await hoverAt(uri, doc, '"Dropbox"', 2);
    expect(h).toMatch(/\*\*Dropbox\*\*/);
    expect(h).toMatch(/cloud_storage/);
    expect(h).toMatch(/dropbox\.com/);
    expect(h).toMatch(/Score [\d.]+ \/ 10|insufficient data/);
    expect(h).toMatch(/\| attribute \| value \| score \| points \| source \|/);
  });
  it("explains templates, policies, attributes and keywords", async () => {
    expect(await hoverAt(uri, doc, "new_popular_app", 3)).toMatch(/500/);
    expect(await hoverAt(uri, doc, '"H"', 1)).toMatch(/policy H[\s\S]*severity low/);
    expect(await hoverAt(uri, doc, "app.security.mfa", 6)).toMatch(/MFA|multi-factor/i);
    expect(await hoverAt(uri, doc, "severity", 2)).toMatch(/informational \| low/);
  });
});

describe("navigation and rename", () => {
  const groups = () => fs.readFileSync(path.join(dir, "groups.sanction"), "utf8");
  it("goes to a group's definition in another file and finds its references", async () => {
    const defs = await client.request<{ uri: string; range: { start: { line: number } } }[]>("textDocument/definition", { textDocument: { uri: brokenUri }, position: positionOf(BROKEN, "import", 0) });
    expect(defs).toEqual([]);
    const social = fs.readFileSync(path.join(dir, "social-media.sanction"), "utf8");
    const socialUri = uriOf("social-media.sanction");
    const def = await client.request<{ uri: string; range: { start: { line: number } } }[]>("textDocument/definition", { textDocument: { uri: socialUri }, position: positionOf(social, "except marketing", 8) });
    expect(def).toHaveLength(1);
    expect(def[0]!.uri).toBe(uriOf("groups.sanction"));
    expect(def[0]!.range.start.line).toBe(positionOf(groups(), "group marketing").line);
    const refs = await client.request<{ uri: string }[]>("textDocument/references", { textDocument: { uri: socialUri }, position: positionOf(social, "except marketing", 8), context: { includeDeclaration: true } });
    expect(new Set(refs.map((r) => r.uri))).toEqual(new Set([uriOf("groups.sanction"), uriOf("social-media.sanction")]));
  });
  it("renames a group across files, and refuses to rename a catalog app", async () => {
    const g = groups();
    const edit = await client.request<{ changes: Record<string, { newText: string }[]> }>("textDocument/rename", { textDocument: { uri: uriOf("groups.sanction") }, position: positionOf(g, "group marketing", 7), newName: "marketing_team" });
    expect(Object.keys(edit.changes).sort()).toEqual([uriOf("groups.sanction"), uriOf("social-media.sanction")].sort());
    expect(Object.values(edit.changes).flat().every((e) => e.newText === "marketing_team")).toBe(true);
    const custom = fs.readFileSync(path.join(dir, "custom-apps.sanction"), "utf8");
    const appEdit = await client.request<{ changes: Record<string, { newText: string }[]> }>("textDocument/rename", { textDocument: { uri: uriOf("custom-apps.sanction") }, position: positionOf(custom, '"Contoso Drive"', 2), newName: "Contoso Files" });
    expect(Object.values(appEdit.changes).flat()[0]!.newText).toBe('"Contoso Files"');
    const prep = await client.request<unknown>("textDocument/prepareRename", { textDocument: { uri: uriOf("custom-apps.sanction") }, position: positionOf(custom, '"Box"', 2) });
    expect(prep).toBeNull();
    await expect(client.request("textDocument/rename", { textDocument: { uri: uriOf("custom-apps.sanction") }, position: positionOf(custom, '"Box"', 2), newName: "X" })).rejects.toThrow(/catalog app/);
  });
  it("renames a policy together with the tests that expect its alerts", async () => {
    const p = await client.request<{ changes: Record<string, unknown[]> }>("textDocument/rename", { textDocument: { uri: brokenUri }, position: positionOf(BROKEN, '"Audit me"', 2), newName: "Audited" });
    expect(Object.keys(p.changes)).toEqual([brokenUri]);
  });
  it("lists document and workspace symbols", async () => {
    const syms = await client.request<{ name: string; kind: number }[]>("textDocument/documentSymbol", { textDocument: { uri: brokenUri } });
    expect(syms.map((s) => s.name)).toEqual(["import ./groups.sanction", "Risky storage typo", "No severity", "Audit me", "Templated"]);
    const ws = await client.request<{ name: string; location: { uri: string } }[]>("workspace/symbol", { query: "pilot" });
    expect(ws.map((s) => s.name)).toContain("pilot_devices");
  });
});

describe("structure and layout", () => {
  it("folds declarations and comment blocks", async () => {
    const f = await client.request<{ startLine: number; endLine: number; kind?: string }[]>("textDocument/foldingRange", { textDocument: { uri: uriOf("groups.sanction") } });
    expect(f.some((x) => x.kind === "comment")).toBe(true);
    expect(f.some((x) => x.kind === undefined || x.kind === "region")).toBe(true);
  });
  it("formats with the CLI's formatter, and leaves files with syntax errors alone", async () => {
    const messy = 'policy   "F"{\nseverity low\n  when app.score<3\n then alert}\n';
    const uri = client.open(path.join(dir, "fmt.sanction"), messy, 1);
    const edits = await client.request<{ newText: string }[]>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toBe('policy "F" {\n  severity low\n  when app.score < 3\n  then alert\n}\n');
    const bad = client.open(path.join(dir, "fmt-bad.sanction"), 'policy "F" { when ( }\n', 1);
    expect(await client.request("textDocument/formatting", { textDocument: { uri: bad }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  });
  it("returns semantic tokens", async () => {
    const legend = ((await client.request<{ capabilities: { semanticTokensProvider: { legend: { tokenTypes: string[] } } } }>("initialize", {}).catch(() => undefined)) ?? undefined) as unknown;
    void legend;
    const t = await client.request<{ data: number[] }>("textDocument/semanticTokens/full", { textDocument: { uri: brokenUri } });
    expect(t.data.length % 5).toBe(0);
    expect(t.data.length / 5).toBeGreaterThan(30);
    // First token: `import` keyword (type 0) at 0:0, length 6.
    expect(t.data.slice(0, 4)).toEqual([0, 0, 6, 0]);
  });
  it("helps with template parameters and action arguments", async () => {
    const doc = 'policy "S" uses template new_risky_app {\n  users > 5\n  then alert(limit: 3), monitor(redirect: "https://x", \n}\n';
    const uri = client.open(path.join(dir, "sig.sanction"), doc, 1);
    const s1 = await client.request<{ signatures: { label: string }[]; activeParameter: number }>("textDocument/signatureHelp", { textDocument: { uri }, position: positionOf(doc, "users > 5", 9) });
    expect(s1.signatures[0]!.label).toMatch(/^new_risky_app \{ users > 50, .*score < 6.*first seen within 1w/);
    expect(s1.activeParameter).toBe(0);
    const s2 = await client.request<{ signatures: { label: string }[]; activeParameter: number }>("textDocument/signatureHelp", { textDocument: { uri }, position: positionOf(doc, '"https://x", ', 13) });
    expect(s2.signatures[0]!.label).toBe("monitor(redirect: STRING, bypass: DURATION)");
    expect(s2.activeParameter).toBe(1);
  });
});

describe("code actions", () => {
  type Action = { title: string; kind: string; edit: { changes: Record<string, { range: { start: { line: number; character: number } }; newText: string }[]> } };
  const actionsAt = (needle: string) => {
    const p = positionOf(BROKEN, needle);
    return client.request<Action[]>("textDocument/codeAction", { textDocument: { uri: brokenUri }, range: { start: p, end: p }, context: { diagnostics: [] } });
  };
  it("offers did-you-mean fixes", async () => {
    const a = await actionsAt("app.categry");
    const fix = a.find((x) => x.kind === "quickfix" && /app\.category/.test(x.title));
    expect(fix, JSON.stringify(a.map((x) => x.title))).toBeDefined();
    expect(fix!.edit.changes[brokenUri]![0]!.newText).toBe("app.category");
  });
  it("adds a missing severity and converts audit to enforce", async () => {
    const a = await actionsAt('"No severity"');
    expect(a.find((x) => /severity medium/.test(x.title))).toBeDefined();
    const b = await actionsAt("mode audit");
    const conv = b.find((x) => /mode enforce/.test(x.title))!;
    expect(conv.edit.changes[brokenUri]![0]!.newText).toBe("enforce");
  });
  it("expands a template into explicit filters that check cleanly", async () => {
    const a = await actionsAt('"Templated"');
    const exp = a.find((x) => /expand template new_risky_app/.test(x.title))!;
    expect(exp).toBeDefined();
    const edits = exp.edit.changes[brokenUri]!;
    const text = applyEdits(BROKEN, edits);
    expect(text).toContain('policy "Templated" {');
    expect(text).toMatch(/when app\.score < 6/);
    expect(text).toMatch(/traffic > 50MB per day/);
    expect(text).toMatch(/first seen within 7d/);
    expect(text).toMatch(/users > 10 per day/);
    expect(text).not.toMatch(/users > 50/);
  });
});

describe("traffic samples: code lenses, inlay hints and commands", () => {
  beforeAll(async () => {
    // Close the half-typed documents of the tests above: they are not on disk, so they leave the workspace.
    for (const name of ["completion", "completion2", "completion3", "completion4", "hover", "fmt", "fmt-bad", "sig"]) {
      void client.conn.sendNotification("textDocument/didClose", { textDocument: { uri: uriOf(name + ".sanction") } });
    }
    client.change(brokenUri, 99, [{ text: BROKEN.replace("app.categry", "app.category").replace("marketng", "marketing") }]);
    await client.waitDiagnostics(brokenUri, (d) => d.version === 99);
  });
  it("puts a lens on each policy with what it matches on the samples", async () => {
    const file = uriOf("templates.sanction");
    const lenses = await client.request<{ command: { title: string; command: string; arguments: unknown[] } }[]>("textDocument/codeLens", { textDocument: { uri: file } });
    expect(lenses.length).toBeGreaterThan(5);
    for (const l of lenses) expect(l.command.title).toMatch(/^(matches \d+ apps? · \d+ users? on samples|simulation unavailable: .*)$/);
    expect(lenses.every((l) => l.command.title.startsWith("matches")), JSON.stringify(lenses.map((l) => l.command.title))).toBe(true);
    expect(lenses[0]!.command.command).toBe("sanction.simulatePolicy");
  });
  it("shows observed values beside thresholds", async () => {
    const text = fs.readFileSync(path.join(dir, "templates.sanction"), "utf8");
    const hints = await client.request<{ label: string; position: { line: number } }[]>("textDocument/inlayHint", { textDocument: { uri: uriOf("templates.sanction") }, range: { start: { line: 0, character: 0 }, end: { line: text.split("\n").length, character: 0 } } });
    expect(hints.length).toBeGreaterThan(0);
    for (const h of hints) expect(h.label).toMatch(/^ (\S+ \w+ (>|>=|<|<=) \S+|no matching day on samples)$/);
  });
  it("answers the editor's commands: simulate (HTML), plan, indicators", async () => {
    // The workspace has errors while editing.sanction is broken: the commands say so.
    client.change(brokenUri, 101, [{ text: "policy {" }]);
    const err = await client.request<{ error?: string }>("sanction/plan", {});
    expect(err.error).toMatch(/errors/);
    client.change(brokenUri, 102, [{ text: 'policy "Fine" {\n  severity low\n  when app.category == webmail\n  then alert\n}\n' }]);
    const plan = await client.request<{ json?: string; error?: string }>("sanction/plan", {});
    expect(JSON.parse(plan.json!).policies.length).toBeGreaterThan(5);
    const sim = await client.request<{ html: string; summary: string }>("sanction/simulate", { policy: "Fine" });
    expect(sim.html).toMatch(/^<!doctype html>/i);
    expect(sim.html).toMatch(/Content-Security-Policy/);
    // The indicators are what `sanction indicators` writes for the same policies and samples.
    const fine = 'policy "Fine" {\n  severity low\n  when app.category == webmail\n  then alert\n}\n';
    fs.writeFileSync(path.join(dir, "editing.sanction"), fine);
    const sample = path.join(repoRoot, "samples", "traffic", "squid-native.log");
    for (const target of ["squid", "rpz"]) {
      const ind = await client.request<{ text: string; files: { name: string; content: string }[]; notes: string[] }>("sanction/indicators", { target });
      const cli = await runCli(["indicators", ".", "--traffic", sample, "--target", target], dir);
      expect(cli.code, cli.stderr).toBe(0);
      expect(ind.files).toHaveLength(1);
      expect(ind.text).toBe(cli.stdout);
      expect(ind.text).toMatch(target === "squid" ? /^acl sanction_block dstdomain \.discord\.com$/m : /^discord\.com CNAME \.$/m);
      expect(ind.notes.length).toBeGreaterThan(0);
    }
    // Defender's JSON comes as its import batches.
    const mde = await client.request<{ files: { name: string; content: string }[] }>("sanction/indicators", { target: "mde-json" });
    expect(mde.files.map((f) => f.name)).toEqual(["mde-indicators-0001.json"]);
    const batch = JSON.parse(mde.files[0]!.content) as { Indicators: { indicatorValue: string; action: string }[] };
    expect(batch.Indicators).toContainEqual(expect.objectContaining({ indicatorValue: "dropbox.com", action: "Block" }));
    const bad = await client.request<{ error?: string }>("sanction/indicators", { target: "nope" });
    expect(bad.error).toMatch(/unknown target 'nope' \(targets: chrome, dnsmasq, /);
  });
});

describe("robustness", () => {
  it("answers every request on garbage and keeps serving", async () => {
    const junk = '\u0000policy "{{{ \uD800 when ((((( app. == \n} } } group { import "../../../etc/passwd"\n' + "(".repeat(500);
    const uri = client.open(path.join(dir, "junk.sanction"), junk, 1);
    const pos = { line: 0, character: 10 };
    for (const method of ["textDocument/hover", "textDocument/completion", "textDocument/definition", "textDocument/signatureHelp", "textDocument/documentSymbol", "textDocument/foldingRange", "textDocument/semanticTokens/full", "textDocument/codeLens", "textDocument/formatting"]) {
      await client.request(method, { textDocument: { uri }, position: pos, options: { tabSize: 2, insertSpaces: true } });
    }
    await client.request("textDocument/hover", { textDocument: { uri: "file:///nonexistent/x.sanction" }, position: { line: 99, character: 99 } });
    expect(client.exited).toBeUndefined();
    const h = await hoverAt(brokenUri, 'policy "Fine"', "policy", 2);
    expect(h).toMatch(/policy/);
  });
});

function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end?: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split("\n");
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].map((e) => ({ s: off(e.range.start), e: off((e.range as { end: { line: number; character: number } }).end), t: e.newText })).sort((a, b) => b.s - a.s);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}
