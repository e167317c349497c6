/*
 * Hostile policy files, as a pull request could bring them: imports that try to leave the
 * workspace (parent folders, absolute paths, URLs, device files, a cycle), nesting far deeper
 * than the parser allows, a file over the size limit, a binary file. Each is an error with
 * file, line and column; nothing outside the workspace is read, nothing is fetched, nothing
 * crashes or hangs.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_POLICY_FILE_BYTES } from "@sanction/semantics";
import { MAX_NESTING } from "@sanction/syntax";
import { runCli, tempWorkspace } from "../support/cli.js";
import { CORPUS } from "./corpus.js";

const corpusPolicy = (name: string) => readFileSync(path.join(CORPUS, "policies", name), "utf8");

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
}

async function sarif(args: string[], cwd: string): Promise<{ code: number; results: SarifResult[] }> {
  const r = await runCli(["check", "--format", "sarif", ...args], cwd);
  return { code: r.code, results: JSON.parse(r.stdout).runs[0].results };
}
const where = (x: SarifResult) => {
  const l = x.locations[0]!.physicalLocation;
  return `${l.artifactLocation.uri}:${l.region.startLine}:${l.region.startColumn} ${x.ruleId}`;
};

describe("imports stay in the workspace and never reach the network", () => {
  let server: Server;
  let requests = 0;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_, res) => {
      requests++;
      res.end('group remote { user == "x" }\n');
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it("every escape is an error at its import, the rest of the file is checked", async () => {
    const base = tempWorkspace({ "outside/secret.sanction": 'group stolen { user == "x" }\n' });
    const ws = path.join(base, "ws");
    mkdirSync(ws);
    writeFileSync(path.join(ws, "escapes.sanction"), corpusPolicy("escapes.sanction").replace("PORT", String(port)));
    copyFileSync(path.join(CORPUS, "policies", "loop.sanction"), path.join(ws, "loop.sanction"));
    const { code, results } = await sarif(["escapes.sanction"], ws);
    expect(code).toBe(1);
    expect(results.map(where)).toEqual([
      "escapes.sanction:3:8 SAN202",
      "escapes.sanction:4:8 SAN202",
      "escapes.sanction:5:8 SAN202",
      "escapes.sanction:6:8 SAN201",
      "escapes.sanction:7:8 SAN201",
      "escapes.sanction:8:8 SAN202",
      "loop.sanction:2:8 SAN203",
    ]);
    expect(requests).toBe(0);
    // Nothing from outside made it into the model: the compiled plan has only the local group.
    const plan = await runCli(["compile", "escapes.sanction"], ws);
    expect(plan.stdout).not.toContain("stolen");
    expect(plan.stdout).not.toContain("remote");
  });
});

describe("limits", () => {
  it(`nesting deeper than ${MAX_NESTING} levels is one error, not a stack overflow`, async () => {
    for (const [open, close] of [["(", ")"], ["not (", ")"], ["[", "]"]] as const) {
      const depth = 100_000;
      const ws = tempWorkspace({ "deep.sanction": `policy "deep" {\n  severity low\n  when ${open.repeat(depth)}app.score > 1${close.repeat(depth)}\n  then alert\n}\n` });
      const { code, results } = await sarif(["deep.sanction"], ws);
      expect(code).toBe(1);
      expect(results.map((x) => x.ruleId)).toContain("SAN901");
      expect(results.find((x) => x.ruleId === "SAN901")!.message.text).toBe(`nesting deeper than ${MAX_NESTING} levels`);
      expect(where(results.find((x) => x.ruleId === "SAN901")!)).toMatch(/^deep\.sanction:3:\d+ SAN901$/);
    }
  });

  it(`a file over ${MAX_POLICY_FILE_BYTES / 1024 / 1024} MiB is refused without being parsed`, async () => {
    const line = 'group g{n} { user == "someone@example.com" }\n';
    const body = (bytes: number) => {
      const out: string[] = [];
      let size = 0;
      for (let i = 0; size < bytes; i++) {
        const l = line.replace("{n}", String(i));
        out.push(l);
        size += l.length;
      }
      return out.join("");
    };
    const ws = tempWorkspace({ "huge.sanction": body(MAX_POLICY_FILE_BYTES + 1), "main.sanction": 'import "./huge.sanction"\n' });
    const { code, results } = await sarif(["main.sanction"], ws);
    expect(code).toBe(1);
    expect(results.map(where)).toEqual(["main.sanction:1:8 SAN205"]);
    expect(results[0]!.message.text).toMatch(/larger than/);
  });

  it("a binary or non-UTF-8 file is refused, not parsed", async () => {
    const ws = tempWorkspace({ "bin.sanction": Buffer.from([0x67, 0x72, 0x6f, 0x75, 0x70, 0x20, 0xff, 0xfe, 0x00, 0x01]), "main.sanction": 'import "./bin.sanction"\n' });
    const { results } = await sarif(["main.sanction"], ws);
    expect(results.map(where)).toEqual(["main.sanction:1:8 SAN204"]);
  });
});

describe("control characters in policy text", () => {
  it("reach SARIF and JSON diagnostics intact, as JSON escapes", async () => {
    const ws = tempWorkspace({ "diagnostics.sanction": corpusPolicy("diagnostics.sanction") });
    const { results } = await sarif(["diagnostics.sanction"], ws);
    expect(results.map(where)).toEqual(["diagnostics.sanction:3:8 SAN201"]);
    expect(results[0]!.message.text).toContain("\u001b]0;pwned\u0007\u001b[2J");
    const json = await runCli(["check", "--format", "json", "diagnostics.sanction"], ws);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain("\\u001b]0;pwned\\u0007");
  });
});
