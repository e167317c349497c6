import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer as createNetServer } from "node:net";
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
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

/** A local HTTP server answering every request with `ok <host>`; `hosts` records the Host headers seen. */
export async function startHttp(): Promise<{ server: Server; port: number; hosts: string[]; close: () => Promise<void> }> {
  const hosts: string[] = [];
  const server = createServer((req, res) => {
    hosts.push(req.headers.host ?? "");
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><title>ok</title><p id="ok">ok ${req.headers.host}</p>`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  return { server, port, hosts, close: () => new Promise<void>((r) => server.close(() => r())) };
}
