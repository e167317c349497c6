import { execFile, spawnSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDebianPackages } from "../../support/debian.js";
import { freePort, generateSample, startDaemon, startHttp, tempDir, waitFor } from "./helpers.js";

/*
 * Squid (Debian) as a forward proxy on 127.0.0.1 with the generated ACLs included; test names
 * resolve to 127.0.0.1 through Squid's own hosts_file, so nothing leaves the machine.
 */

/** curl through the proxy; asynchronous, because the test HTTP server runs in this process. */
async function curl(proxy: number, url: string): Promise<{ code: string; location: string }> {
  const stdout = await new Promise<string>((resolve) =>
    execFile("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--max-time", "10", "-x", `http://127.0.0.1:${proxy}`, url], { encoding: "utf8" }, (_e, out) => resolve(out ?? "")),
  );
  const [code, location] = stdout.split(" ");
  return { code: code ?? "", location: location ?? "" };
}

describe("Squid enforces the generated ACLs", () => {
  const dir = tempDir("squid");
  let port = 0;
  let http: Awaited<ReturnType<typeof startHttp>> | undefined;
  let daemon: ReturnType<typeof startDaemon> | undefined;

  beforeAll(async () => {
    ensureDebianPackages(["squid", "curl"]);
    chmodSync(dir, 0o755); // Squid drops to its own user and must read the files
    await generateSample("squid", path.join(dir, "sanction-squid.conf"));
    http = await startHttp();
    port = await freePort();
    writeFileSync(path.join(dir, "hosts"), "127.0.0.1 allowed.example discord.com www.gmail.com\n");
    writeFileSync(
      path.join(dir, "squid.conf"),
      `http_port 127.0.0.1:${port}
pid_filename none
cache deny all
access_log none
cache_log /dev/stderr
cache_store_log none
hosts_file ${path.join(dir, "hosts")}
dns_nameservers 127.0.0.1
shutdown_lifetime 0 seconds
coredump_dir ${dir}
include ${path.join(dir, "sanction-squid.conf")}
http_access allow localhost
http_access deny all
`,
    );
    const parse = spawnSync("squid", ["-k", "parse", "-f", path.join(dir, "squid.conf")], { encoding: "utf8" });
    expect(parse.status, parse.stdout + parse.stderr).toBe(0);
    expect(parse.stderr).not.toMatch(/WARNING.*(dstdomain|is a subdomain|ignoring)/i);
    daemon = startDaemon("squid", ["-N", "-f", path.join(dir, "squid.conf")]);
    await waitFor(async () => (await curl(port, `http://allowed.example:${http!.port}/`)).code === "200", `squid on port ${port}: ${daemon?.output()}`, 20_000);
  });
  afterAll(async () => {
    await daemon?.stop();
    await http?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("denies a blocked app's host and its subdomains (403)", async () => {
    expect((await curl(port, `http://discord.com:${http!.port}/`)).code).toBe("403");
    expect((await curl(port, `http://cdn.discordapp.com/`)).code).toBe("403");
  });
  it("redirects a warn (monitored) app to its page with deny_info", async () => {
    const r = await curl(port, `http://www.gmail.com:${http!.port}/`);
    expect(r.code).toBe("302");
    expect(r.location).toBe("https://intranet.example.com/approved-apps#email");
  });
  it("lets an allowed host reach the local test server", async () => {
    const before = http!.hosts.length;
    expect((await curl(port, `http://allowed.example:${http!.port}/`)).code).toBe("200");
    expect(http!.hosts.slice(before)).toEqual([`allowed.example:${http!.port}`]);
    expect(http!.hosts.some((h) => h.startsWith("discord.com") || h.startsWith("www.gmail.com"))).toBe(false);
  });
  it("the ACL file holds only dotted dstdomain entries", () => {
    const text = readFileSync(path.join(dir, "sanction-squid.conf"), "utf8");
    for (const l of text.split("\n").filter((x) => x.includes(" dstdomain "))) expect(l).toMatch(/ dstdomain \.[a-z0-9.-]+$/);
  });
});
