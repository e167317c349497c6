import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer as createNetServer } from "node:net";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runCli } from "../../support/cli.js";

export const ROOT = path.resolve(__dirname, "../../..");

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `sanction-${prefix}-`));
}

/** A free TCP port on 127.0.0.1 (UDP is taken from the same number; collisions are unlikely). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Generate a target's output from the sample policies through the CLI. */
export async function generateSample(target: string, out: string, extra: string[] = []): Promise<void> {
  const r = await runCli(["indicators", "samples/policies", "--target", target, "-o", out, "--output-root", path.dirname(out), ...extra], ROOT);
  if (r.code !== 0) throw new Error(`sanction indicators --target ${target} failed (${r.code}): ${r.stderr}`);
}

/** Generate a target's output from the policies in `workspace` (a folder of .sanction files) through the CLI. */
export async function generateFrom(workspace: string, target: string, out: string, extra: string[] = []): Promise<void> {
  const r = await runCli(["indicators", ".", "--target", target, "-o", out, "--output-root", path.dirname(out), ...extra], workspace);
  if (r.code !== 0) throw new Error(`sanction indicators --target ${target} failed (${r.code}): ${r.stderr}`);
}

/** Start a server in its own process group; `stop()` kills the group. */
export function startDaemon(cmd: string, args: string[], opts: { cwd?: string } = {}): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const child = spawn(cmd, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise<void>((r) => child.once("exit", () => r()));
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        return;
      }
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* gone */
        }
      }, 3000);
      await done;
      clearTimeout(t);
    },
  };
}

/** `dig @127.0.0.1 -p PORT name A`: the status and the answer section. */
export function dig(port: number, name: string, type = "A"): { status: string; answer: string } {
  const r = spawnSync("dig", ["@127.0.0.1", "-p", String(port), name, type, "+time=2", "+tries=1", "+noall", "+comments", "+answer"], { encoding: "utf8" });
  const status = /status: ([A-Z]+)/.exec(r.stdout)?.[1] ?? `no answer (${r.stdout}${r.stderr})`;
  const answer = r.stdout.split("\n").filter((l) => l && !l.startsWith(";")).join("\n");
  return { status, answer };
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A local web server answering every request with `ok <host>`; `hosts` records the Host
 * headers seen and `urls` the scheme, host and path. With `tls`, it speaks HTTPS with a
 * self-signed certificate made with openssl (the browser is told to accept it).
 */
export async function startHttp(opts: { tls?: boolean } = {}): Promise<{ server: Server; port: number; hosts: string[]; urls: string[]; close: () => Promise<void> }> {
  const hosts: string[] = [];
  const urls: string[] = [];
  const scheme = opts.tls ? "https" : "http";
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    hosts.push(req.headers.host ?? "");
    urls.push(`${scheme}://${req.headers.host ?? ""}${req.url ?? ""}`);
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><title>ok</title><p id="ok">ok ${req.headers.host}</p>`);
  };
  let server: Server;
  if (opts.tls) {
    const dir = tempDir("tls");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "2", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
    server = createHttpsServer({ key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) }, handler);
    rmSync(dir, { recursive: true, force: true });
  } else server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    hosts,
    urls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
