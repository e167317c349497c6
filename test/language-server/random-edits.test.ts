import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fcRunsCapped } from "../support/arbitraries.js";
import { LspClient, repoRoot, sampleWorkspace } from "./client.js";

/*
 * Random edit sequences (insertions and deletions of random text and of language tokens) into
 * sample documents, each followed by requests at random positions: the server must answer
 * every request, never log a failed feature, and keep running.
 */

const TOKENS = ['policy "', "{", "}", "(", ")", '"', "when ", "app.", "app.category == ", "and ", "or ", "not ", "uses template ", "new_risky_app", "scope ", "except ", "then ", "alert(limit: ", "monitor(", ",", "users > ", "50MB", "per day", "7d", "\n", "  ", "#", "group x {", "override app \"Box\" {", "import \"./groups.sanction\"", "..", "0..5", "10.0.0.0/8", "2026-01-01", "\\", "é", "\uD83D\uDE00", "\u0000", "block domain ", "test \"t\" { traffic { host x.com } expect verdict x.com block }"];

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  del: fc.nat({ max: 12 }),
  insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 4 })),
});
const METHODS = ["textDocument/hover", "textDocument/completion", "textDocument/signatureHelp", "textDocument/definition", "textDocument/documentSymbol", "textDocument/semanticTokens/full", "textDocument/codeAction", "textDocument/foldingRange", "textDocument/formatting", "textDocument/inlayHint", "textDocument/codeLens", "textDocument/references", "textDocument/prepareRename"];

let client: LspClient;
let dir: string;
beforeAll(async () => {
  dir = sampleWorkspace();
  client = new LspClient();
  await client.initialize(dir, { trafficSamples: [path.join(repoRoot, "samples", "traffic", "squid-native.log")], debounceMs: 20 });
});
afterAll(async () => {
  await client?.shutdown();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function posOf(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** Sends each edit (a place as a fraction of the text, characters deleted, text inserted) as one change; the text after them. */
function sendEdits(uri: string, text: string, edits: readonly { at: number; del: number; insert: string }[], nextVersion: () => number): string {
  for (const e of edits) {
    const start = Math.floor(e.at * text.length);
    const end = Math.min(text.length, start + e.del);
    client.change(uri, nextVersion(), [{ range: { start: posOf(text, start), end: posOf(text, end) }, text: e.insert }]);
    text = text.slice(0, start) + e.insert + text.slice(end);
  }
  return text;
}

it("never crashes and always answers under random edits", async () => {
  const samples = fs.readdirSync(dir).filter((f) => f.endsWith(".sanction"));
  let version = 1;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.constantFrom(...METHODS), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 6 }), async (sample, edits, requests) => {
      const file = path.join(dir, sample);
      const original = fs.readFileSync(file, "utf8");
      const uri = client.open(file, original, version++);
      const text = sendEdits(uri, original, edits, () => version++);
      for (const [method, at] of requests) {
        const position = posOf(text, Math.floor(at * text.length));
        const lines = text.split("\n").length;
        await client.request(method, {
          textDocument: { uri },
          position,
          range: method === "textDocument/inlayHint" ? { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } } : { start: position, end: position },
          context: { diagnostics: [], includeDeclaration: true },
          options: { tabSize: 2, insertSpaces: true },
        });
      }
      void client.conn.sendNotification("textDocument/didClose", { textDocument: { uri } });
      expect(client.exited).toBeUndefined();
      const failures = client.logs.filter((l) => / failed: /.test(l));
      expect(failures).toEqual([]);
    }),
    { numRuns: fcRunsCapped(150, 300), seed: Number(process.env["FC_SEED"] ?? 6) },
  );
  // Still serving, and the diagnostics of the last document were published.
  const r = await client.request("textDocument/hover", { textDocument: { uri: client.open(path.join(dir, "x.sanction"), "policy", version++) }, position: { line: 0, character: 1 } });
  expect(r).not.toBeUndefined();
});

/*
 * Pathological text (thousands of unclosed braces or parentheses, a 100,000-character line, a
 * thousand broken policies, NULs and lone surrogates) pasted at random places in a burst of
 * edits: requests keep being answered, and the diagnostics converge on the last version.
 */
const PATHOLOGICAL = fc.oneof(
  fc.nat({ max: 3000 }).map((n) => "{".repeat(n)),
  fc.nat({ max: 3000 }).map((n) => "(".repeat(n)),
  fc.nat({ max: 3000 }).map((n) => "group g {\n".repeat(n)),
  fc.constant("when " + "app.category == webmail and ".repeat(6_000) + "app.score < 3"),
  fc.constant("# " + "x".repeat(100_000)),
  fc.constant(Array.from({ length: 1000 }, (_, i) => `policy "E${i}" { severity when app.nope == 1 then }`).join("\n")),
  fc.constant('"'.repeat(5000)),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constant("\u0000\uD800\uDFFF\r\r\n"),
);

it("stays up and converges under bursts of pathological edits", async () => {
  const samples = fs.readdirSync(dir).filter((f) => f.endsWith(".sanction"));
  // Versions above any the first property used: a publication of an earlier run cannot match.
  let version = 1_000_000;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...samples),
      fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 40 }), insert: PATHOLOGICAL }), { minLength: 1, maxLength: 4 }),
      fc.constantFrom(...METHODS),
      async (sample, edits, method) => {
        const file = path.join(dir, sample);
        const original = fs.readFileSync(file, "utf8");
        const uri = client.open(file, original, version++);
        const text = sendEdits(uri, original, edits, () => version++);
        const last = version - 1;
        const position = posOf(text, Math.floor(text.length / 2));
        await client.request(method, { textDocument: { uri }, position, range: { start: position, end: position }, context: { diagnostics: [], includeDeclaration: true }, options: { tabSize: 2, insertSpaces: true } });
        const d = await client.waitDiagnostics(uri, (x) => x.version === last, 60_000);
        expect(d.diagnostics.length).toBeLessThanOrEqual(1001);
        void client.conn.sendNotification("textDocument/didClose", { textDocument: { uri } });
        expect(client.exited).toBeUndefined();
        expect(client.logs.filter((l) => / failed: /.test(l))).toEqual([]);
      },
    ),
    { numRuns: fcRunsCapped(8, 16), seed: Number(process.env["FC_SEED"] ?? 7) },
  );
});
