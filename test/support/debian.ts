import { execFileSync, spawnSync } from "node:child_process";

/*
 * Installs Debian packages that an end-to-end test drives (a DNS server, a proxy, a browser).
 * Tests run as root on the project's machines and in CI: `apt-get update` once per process
 * when a package is missing (a fresh machine may have no package lists), then
 * `apt-get install -y --no-install-recommends`. Installed packages are left alone.
 */

let updated = false;

/** Packages already found installed in this process: properties ask before every run. */
const known = new Set<string>();

function installed(pkg: string): boolean {
  if (known.has(pkg)) return true;
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  const ok = r.status === 0 && r.stdout.includes("install ok installed");
  if (ok) known.add(pkg);
  return ok;
}

export function ensureDebianPackages(packages: readonly string[]): void {
  const missing = packages.filter((p) => !installed(p));
  if (!missing.length) return;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args: string[]) => execFileSync("apt-get", args, { env, stdio: ["ignore", "ignore", "inherit"], timeout: 900_000 });
  if (!updated) {
    run(["update"]);
    updated = true;
  }
  run(["install", "-y", "--no-install-recommends", ...missing]);
  const still = missing.filter((p) => !installed(p));
  if (still.length) throw new Error(`apt-get could not install ${still.join(", ")}`);
}
