import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsxCli = path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
export const SERVER_SOURCE = path.join(repoRoot, "packages", "language-server", "src", "main.ts");

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity: number; code: string; message: string }[];
}

/**
 * A language server spawned as a real process and driven over stdio with vscode-jsonrpc: the
 * same wire traffic an editor produces.
 */
export class LspClient {
  readonly child: ChildProcess;
  readonly conn: MessageConnection;
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  readonly diagnostics = new Map<string, PublishedDiagnostics>();
  private waiters: { uri: string; pred: (d: PublishedDiagnostics) => boolean; resolve: (d: PublishedDiagnostics) => void }[] = [];
  exited: number | null | undefined;

  constructor(command: string[] = [process.execPath, tsxCli, "--conditions=source", SERVER_SOURCE, "--stdio"], cwd = repoRoot) {
    this.child = spawn(command[0]!, command.slice(1), { cwd, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr!.on("data", (b: Buffer) => this.stderr.push(b.toString()));
    this.child.on("exit", (code) => (this.exited = code));
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification("textDocument/publishDiagnostics", (p: PublishedDiagnostics) => {
      this.diagnostics.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.pred(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    this.conn.onNotification("window/logMessage", (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.onRequest("workspace/codeLens/refresh", () => null);
    this.conn.onRequest("workspace/inlayHint/refresh", () => null);
    this.conn.onRequest("workspace/semanticTokens/refresh", () => null);
    this.conn.listen();
  }

  async initialize(rootDir: string, initializationOptions: Record<string, unknown> = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.conn.sendRequest<{ capabilities: Record<string, unknown> }>("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      workspaceFolders: [{ uri: pathToFileURL(rootDir).href, name: "ws" }],
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions,
    });
    await this.conn.sendNotification("initialized", {});
    return r;
  }

  open(file: string, text: string, version = 1): string {
    const uri = pathToFileURL(file).href;
    void this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "sanction", version, text } });
    return uri;
  }

  change(uri: string, version: number, changes: ({ text: string } | { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string })[]): void {
    void this.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: changes });
  }

  /** Resolves with the next (or current) diagnostics of `uri` satisfying `pred`. */
  waitDiagnostics(uri: string, pred: (d: PublishedDiagnostics) => boolean = () => true, timeoutMs = 20_000): Promise<PublishedDiagnostics> {
    const cur = this.diagnostics.get(uri);
    if (cur && pred(cur)) return Promise.resolve(cur);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} in ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri))}\n${this.stderr.join("")}`)), timeoutMs);
      this.waiters.push({ uri, pred, resolve: (d) => (clearTimeout(t), resolve(d)) });
    });
  }

  /** The next publication for `uri` (ignores what was published before). */
  nextDiagnostics(uri: string, timeoutMs = 20_000): Promise<PublishedDiagnostics> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} in ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, pred: () => true, resolve: (d) => (clearTimeout(t), resolve(d)) });
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest<R>(method, params);
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 3000))]);
      await this.conn.sendNotification("exit");
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 100));
    this.conn.dispose();
    if (this.exited === undefined) this.child.kill();
  }
}

/** A temporary copy of the sample policies (plus extra files), removed by the caller. */
export function sampleWorkspace(extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sanction-lsp-"));
  fs.cpSync(path.join(repoRoot, "samples", "policies"), dir, { recursive: true });
  for (const [name, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`'${needle}' not found`);
  const o = i + delta;
  const before = text.slice(0, o);
  const line = before.split("\n").length - 1;
  return { line, character: o - (before.lastIndexOf("\n") + 1) };
}
