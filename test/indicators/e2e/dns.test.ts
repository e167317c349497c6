import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDebianPackages } from "../../support/debian.js";
import { dig, freePort, generateFrom, generateSample, startDaemon, tempDir, waitFor } from "./helpers.js";

/*
 * The generated DNS outputs, loaded by the real resolvers (Debian packages, installed here if
 * missing), listening on 127.0.0.1 only. The sample policies unsanction Discord (block) and
 * monitor Gmail (warn); `allowed.example` is served from a local zone.
 */

/**
 * An Unbound server on 127.0.0.1:`port` with the generated RPZ (`dir/sanction.rpz`), a local
 * name that answers 127.0.0.9 (to know the server is up), and an authoritative zone the
 * iterator consults (a walled garden, or names that exist upstream).
 */
function unboundConf(o: { dir: string; port: number; local: string; authZone: { name: string; file: string }; rpzLog: boolean }): string {
  return `server:
  interface: 127.0.0.1
  port: ${o.port}
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${o.dir}"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 1
  module-config: "respip iterator"
  access-control: 127.0.0.0/8 allow
  local-zone: "${o.local}." static
  local-data: "${o.local}. 300 IN A 127.0.0.9"
auth-zone:
  name: ${o.authZone.name}.
  zonefile: "${o.authZone.file}"
  for-upstream: yes
  for-downstream: no
  fallback-enabled: no
rpz:
  name: rpz.sanction.
  zonefile: "${path.join(o.dir, "sanction.rpz")}"
${o.rpzLog ? "  rpz-log: yes\n" : ""}remote-control:
  control-enable: no
`;
}

describe("Unbound loads the generated RPZ; BIND's named-checkzone accepts it", () => {
  const dir = tempDir("unbound");
  let port = 0;
  let daemon: ReturnType<typeof startDaemon> | undefined;

  beforeAll(async () => {
    ensureDebianPackages(["unbound", "bind9-dnsutils", "bind9-utils"]);
    await generateSample("rpz", path.join(dir, "sanction.rpz"), ["--walled-garden", "garden.example"]);
    port = await freePort();
    writeFileSync(path.join(dir, "garden.zone"), "$TTL 300\n@ IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 300\n@ IN NS localhost.\n@ IN A 127.0.0.10\n");
    writeFileSync(
      path.join(dir, "unbound.conf"),
      unboundConf({
        dir,
        port,
        local: "allowed.example",
        // The walled garden is an authoritative zone the iterator consults when it follows the RPZ CNAME.
        authZone: { name: "garden.example", file: path.join(dir, "garden.zone") },
        rpzLog: true,
      }),
    );
    const check = spawnSync("unbound-checkconf", [path.join(dir, "unbound.conf")], { encoding: "utf8" });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    daemon = startDaemon("unbound", ["-d", "-c", path.join(dir, "unbound.conf")]);
    await waitFor(() => dig(port, "allowed.example").status === "NOERROR", `unbound on port ${port}: ${daemon?.output()}`);
  });
  afterAll(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("NXDOMAIN for a blocked app's domain and a subdomain of it", () => {
    expect(dig(port, "discord.com").status).toBe("NXDOMAIN");
    expect(dig(port, "cdn.discordapp.com").status).toBe("NXDOMAIN");
    expect(dig(port, "www.filedropper.com").status).toBe("NXDOMAIN");
  });
  it("the walled garden for a monitored (warn) app", () => {
    const r = dig(port, "mail.gmail.com");
    expect(r.status).toBe("NOERROR");
    expect(r.answer).toMatch(/CNAME\s+garden\.example\./);
    expect(r.answer).toMatch(/garden\.example\.\s+\d+\s+IN\s+A\s+127\.0\.0\.10/);
  });
  it("the normal answer for an allowed name", () => {
    const r = dig(port, "allowed.example");
    expect(r.status).toBe("NOERROR");
    expect(r.answer).toMatch(/A\s+127\.0\.0\.9/);
  });
  it("named-checkzone accepts the zone", () => {
    const r = spawnSync("named-checkzone", ["rpz.sanction", path.join(dir, "sanction.rpz")], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OK/);
  });
  it("the SOA serial follows the content", () => {
    const zone = readFileSync(path.join(dir, "sanction.rpz"), "utf8");
    expect(zone).toMatch(/SOA localhost\. hostmaster\.localhost\. \d+ /);
  });
});

describe("Unbound loads the generated local-zone configuration", () => {
  const dir = tempDir("unbound-lz");
  let port = 0;
  let daemon: ReturnType<typeof startDaemon> | undefined;
  beforeAll(async () => {
    ensureDebianPackages(["unbound", "bind9-dnsutils"]);
    await generateSample("unbound", path.join(dir, "sanction-unbound.conf"), ["--walled-garden-ip", "127.0.0.10"]);
    port = await freePort();
    writeFileSync(
      path.join(dir, "unbound.conf"),
      `server:
  interface: 127.0.0.1
  port: ${port}
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: ""
  use-syslog: no
  logfile: ""
  module-config: "iterator"
  access-control: 127.0.0.0/8 allow
  local-zone: "allowed.example." static
  local-data: "allowed.example. 300 IN A 127.0.0.9"
include: "${path.join(dir, "sanction-unbound.conf")}"
remote-control:
  control-enable: no
`,
    );
    daemon = startDaemon("unbound", ["-d", "-c", path.join(dir, "unbound.conf")]);
    await waitFor(() => dig(port, "allowed.example").status === "NOERROR", `unbound on port ${port}: ${daemon?.output()}`);
  });
  afterAll(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  it("always_nxdomain for blocked names and their subdomains, redirect for warn, normal answers otherwise", () => {
    expect(dig(port, "discord.com").status).toBe("NXDOMAIN");
    expect(dig(port, "media.discord.com").status).toBe("NXDOMAIN");
    expect(dig(port, "x.mail.gmail.com").answer).toMatch(/A\s+127\.0\.0\.10/);
    expect(dig(port, "allowed.example").answer).toMatch(/A\s+127\.0\.0\.9/);
  });
});

describe("dnsmasq with the generated configuration answers blocked names as configured", () => {
  const dir = tempDir("dnsmasq");
  let port = 0;
  let daemon: ReturnType<typeof startDaemon> | undefined;
  beforeAll(async () => {
    ensureDebianPackages(["dnsmasq-base", "bind9-dnsutils"]);
    await generateSample("dnsmasq", path.join(dir, "sanction-dnsmasq.conf"), ["--walled-garden-ip", "127.0.0.10"]);
    port = await freePort();
    writeFileSync(path.join(dir, "hosts"), "127.0.0.9 allowed.example\n");
    daemon = startDaemon("dnsmasq", [
      "--keep-in-foreground",
      "--no-resolv",
      "--no-hosts",
      `--addn-hosts=${path.join(dir, "hosts")}`,
      "--listen-address=127.0.0.1",
      "--bind-interfaces",
      `--port=${port}`,
      "--user=root",
      "--pid-file=",
      `--conf-file=${path.join(dir, "sanction-dnsmasq.conf")}`,
      "--log-facility=-",
    ]);
    await waitFor(() => dig(port, "allowed.example").status === "NOERROR", `dnsmasq on port ${port}: ${daemon?.output()}`);
  });
  afterAll(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  it("NXDOMAIN for a blocked name and its subdomains (address=/name/), never forwarded", () => {
    expect(dig(port, "discord.com").status).toBe("NXDOMAIN");
    expect(dig(port, "cdn.discordapp.com").status).toBe("NXDOMAIN");
  });
  it("the walled-garden address for warn names, the normal answer otherwise", () => {
    expect(dig(port, "mail.gmail.com").answer).toMatch(/A\s+127\.0\.0\.10/);
    expect(dig(port, "allowed.example").answer).toMatch(/A\s+127\.0\.0\.9/);
  });
});

describe("Unbound answers a name allowed under a blocked parent normally (RPZ rpz-passthru)", () => {
  const dir = tempDir("unbound-passthru");
  const ws = tempDir("passthru-ws");
  let port = 0;
  let daemon: ReturnType<typeof startDaemon> | undefined;
  beforeAll(async () => {
    ensureDebianPackages(["unbound", "bind9-dnsutils", "bind9-utils"]);
    writeFileSync(path.join(ws, "p.sanction"), 'block domain "blocked.example"\nallow domain "ok.blocked.example"\n');
    await generateFrom(ws, "rpz", path.join(dir, "sanction.rpz"));
    port = await freePort();
    // Every name under blocked.example exists upstream (an authoritative zone the iterator
    // consults), so an NXDOMAIN can only come from the policy zone.
    writeFileSync(
      path.join(dir, "blocked.zone"),
      "$TTL 300\n@ IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 300\n@ IN NS localhost.\n@ IN A 127.0.0.20\nok IN A 127.0.0.21\ndeep.ok IN A 127.0.0.22\nother IN A 127.0.0.23\n",
    );
    writeFileSync(
      path.join(dir, "unbound.conf"),
      unboundConf({ dir, port, local: "ready.example", authZone: { name: "blocked.example", file: path.join(dir, "blocked.zone") }, rpzLog: false }),
    );
    daemon = startDaemon("unbound", ["-d", "-c", path.join(dir, "unbound.conf")]);
    await waitFor(() => dig(port, "ready.example").status === "NOERROR", `unbound on port ${port}: ${daemon?.output()}`);
  });
  afterAll(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  });
  it("the zone holds the passthru records, and named-checkzone accepts it", () => {
    const zone = readFileSync(path.join(dir, "sanction.rpz"), "utf8");
    expect(zone).toContain("ok.blocked.example CNAME rpz-passthru.\n*.ok.blocked.example CNAME rpz-passthru.\n");
    const r = spawnSync("named-checkzone", ["rpz.sanction", path.join(dir, "sanction.rpz")], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
  it("NXDOMAIN for the blocked parent and a sibling of the allowed name", () => {
    expect(dig(port, "blocked.example").status).toBe("NXDOMAIN");
    expect(dig(port, "other.blocked.example").status).toBe("NXDOMAIN");
  });
  it("the real answer for the allowed name and the names under it", () => {
    const ok = dig(port, "ok.blocked.example");
    expect(ok.status).toBe("NOERROR");
    expect(ok.answer).toMatch(/ok\.blocked\.example\.\s+\d+\s+IN\s+A\s+127\.0\.0\.21/);
    expect(dig(port, "deep.ok.blocked.example").answer).toMatch(/A\s+127\.0\.0\.22/);
  });
});
