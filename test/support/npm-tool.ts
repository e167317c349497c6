import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

/**
 * Install an npm package that a test uses as a real external consumer (not a project
 * dependency: it is large and only tests need it) into `.cache/tools/NAME@VERSION`, once.
 * Returns the folder holding its node_modules. `opts.env` replaces the environment npm runs
 * with (for example a different Node first on PATH, for packages with install scripts that
 * need it); `opts.timeoutMs` bounds the install (10 minutes by default).
 */
export function ensureNpmTool(name: string, version: string, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  const dir = path.join(root, ".cache", "tools", `${name.replace("/", "__")}@${version}`);
  const marker = path.join(dir, "node_modules", ...name.split("/"), "package.json");
  if (!existsSync(marker)) {
    mkdirSync(dir, { recursive: true });
    execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock", "--prefix", dir, `${name}@${version}`], {
      stdio: ["ignore", "ignore", "inherit"],
      timeout: opts.timeoutMs ?? 600_000,
      ...(opts.env ? { env: opts.env } : {}),
    });
  }
  return dir;
}
