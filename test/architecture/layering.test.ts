import { readFileSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The package map of ARCHITECTURE.md, enforced: each package may depend only on the packages
 * listed here (lower layers). A new edge must be added here and in ARCHITECTURE.md together.
 */
const ALLOWED: Record<string, readonly string[]> = {
  diagnostics: [],
  syntax: ["diagnostics"],
  catalog: ["diagnostics"],
  semantics: ["diagnostics", "syntax", "catalog"],
  formatter: ["diagnostics", "syntax"],
  compiler: ["diagnostics", "catalog", "semantics", "matcher"],
  engine: ["compiler", "matcher"],
  cli: ["diagnostics", "syntax", "catalog", "semantics", "formatter", "compiler", "engine", "traffic", "reports", "indicators", "sql", "language-server"],
  indicators: ["compiler", "engine"],
  sql: ["compiler", "engine"],
  traffic: [],
  matcher: [],
  reports: ["diagnostics", "engine"],
  ide: ["diagnostics", "syntax", "catalog", "semantics", "formatter", "compiler", "engine", "traffic", "indicators"],
  "language-server": ["ide", "reports"],
};

/** Only these packages may import editor protocol libraries. */
const LSP_LIBS = /^(vscode-languageserver|vscode-languageclient|vscode-jsonrpc|vscode)(\/|$)/;
const LSP_ALLOWED = new Set(["language-server"]);

const root = path.resolve(__dirname, "../..");
const packagesDir = path.join(root, "packages");
const packages = readdirSync(packagesDir).filter((p) => statSync(path.join(packagesDir, p)).isDirectory()).sort();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) specs.push(m[1] ?? m[2]!);
  return specs;
}

/** The string targets of a package.json "imports" entry, whatever its conditions. */
function importTargets(entry: unknown): string[] {
  if (typeof entry === "string") return [entry];
  if (entry && typeof entry === "object") return Object.values(entry).flatMap(importTargets);
  return [];
}

function importProblems(pkg: string, file: string, text: string, declared: ReadonlySet<string>, imports: Readonly<Record<string, unknown>> = {}): string[] {
  const problems: string[] = [];
  const rel = path.relative(root, file);
  const bare = (spec: string, via = ""): void => {
    const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
    if (name.startsWith("@sanction/") && !(ALLOWED[pkg] ?? []).includes(name.slice(10))) problems.push(`${rel}: imports a higher or sibling layer: ${name}${via}`);
    if (LSP_LIBS.test(spec) && !LSP_ALLOWED.has(pkg)) problems.push(`${rel}: only the language server may import ${spec}${via}`);
    if (!declared.has(name)) problems.push(`${rel}: imports ${name}${via}, which package.json does not declare`);
  };
  for (const spec of importsOf(text)) {
    if (spec.startsWith(".")) {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(path.join(packagesDir, pkg) + path.sep)) problems.push(`${rel}: relative import leaves the package: ${spec}`);
      continue;
    }
    if (spec.startsWith("node:")) continue;
    if (spec.startsWith("#")) {
      // a package import: every package it can stand for obeys the same rules
      if (!Object.hasOwn(imports, spec)) problems.push(`${rel}: imports ${spec}, which package.json "imports" does not map`);
      for (const target of importTargets(imports[spec])) {
        if (target.startsWith("./")) continue;
        bare(target, ` (through ${spec})`);
      }
      continue;
    }
    bare(spec);
  }
  return problems;
}

describe("package layering", () => {
  it("knows every package", () => {
    expect(packages.filter((p) => !(p in ALLOWED))).toEqual([]);
  });

  for (const pkg of packages) {
    it(`${pkg} depends only on lower layers`, () => {
      const manifest = JSON.parse(readFileSync(path.join(packagesDir, pkg, "package.json"), "utf8"));
      const deps = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies });
      const internal = deps.filter((d) => d.startsWith("@sanction/")).map((d) => d.slice("@sanction/".length));
      expect(internal.filter((d) => !(ALLOWED[pkg] ?? []).includes(d))).toEqual([]);
    });

    it(`${pkg} sources import only declared, allowed packages`, () => {
      const manifest = JSON.parse(readFileSync(path.join(packagesDir, pkg, "package.json"), "utf8"));
      const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }));
      const problems = sourceFiles(path.join(packagesDir, pkg, "src")).flatMap((file) => importProblems(pkg, file, readFileSync(file, "utf8"), declared, manifest.imports));
      expect(problems).toEqual([]);
    });
  }

  it("the TypeScript project references match the declared dependencies", () => {
    for (const pkg of packages) {
      const tsconfig = JSON.parse(readFileSync(path.join(packagesDir, pkg, "tsconfig.json"), "utf8"));
      const refs = (tsconfig.references ?? []).map((r: { path: string }) => path.basename(r.path)).sort();
      const manifest = JSON.parse(readFileSync(path.join(packagesDir, pkg, "package.json"), "utf8"));
      const internal = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith("@sanction/")).map((d) => d.slice(10)).sort();
      expect({ pkg, refs }).toEqual({ pkg, refs: internal });
    }
  });

  it("reports an upward import, an undeclared package, an LSP import, a relative escape and an unmapped or upward package import", () => {
    const file = path.join(packagesDir, "syntax", "src", "x.ts");
    const text = [
      `import { analyze } from "@sanction/semantics";`,
      `import { createConnection } from "vscode-languageserver/node";`,
      `export * from "../../catalog/src/index.js";`,
      `const lazy = await import("left-pad");`,
      `import { Lexer } from "#chevrotain";`,
      `import { parse } from "#parser";`,
      `import { unknown } from "#unmapped";`,
    ].join("\n");
    const imports = { "#chevrotain": { source: "chevrotain", default: "./dist/chevrotain.mjs" }, "#parser": { source: "@sanction/semantics", default: "./dist/p.js" } };
    const problems = importProblems("syntax", file, text, new Set(["@sanction/diagnostics", "chevrotain"]), imports);
    expect(problems).toEqual([
      "packages/syntax/src/x.ts: imports a higher or sibling layer: @sanction/semantics",
      "packages/syntax/src/x.ts: imports @sanction/semantics, which package.json does not declare",
      "packages/syntax/src/x.ts: only the language server may import vscode-languageserver/node",
      "packages/syntax/src/x.ts: imports vscode-languageserver, which package.json does not declare",
      "packages/syntax/src/x.ts: relative import leaves the package: ../../catalog/src/index.js",
      "packages/syntax/src/x.ts: imports left-pad, which package.json does not declare",
      "packages/syntax/src/x.ts: imports a higher or sibling layer: @sanction/semantics (through #parser)",
      "packages/syntax/src/x.ts: imports @sanction/semantics (through #parser), which package.json does not declare",
      'packages/syntax/src/x.ts: imports #unmapped, which package.json "imports" does not map',
    ]);
  });
});
