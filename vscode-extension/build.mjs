// Bundles the extension and the language server into dist/*.cjs (esbuild, CommonJS, Node 20,
// `vscode` external) and copies in what they read at run time: the TextMate grammar and
// Chart.js (the HTML report embeds it). vsce accepts no files outside this folder.
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const dist = path.join(here, "dist");
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  conditions: ["source"],
  sourcemap: false,
  logLevel: "warning",
  // ESM sources read files beside them through import.meta.url; give the bundle a real one.
  define: { "import.meta.url": "__sanction_import_meta_url" },
  banner: { js: 'const __sanction_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
};
await esbuild.build({ ...common, entryPoints: [path.join(here, "src", "extension.ts")], outfile: path.join(dist, "extension.cjs") });
await esbuild.build({ ...common, entryPoints: [path.join(repo, "packages", "language-server", "src", "main.ts")], outfile: path.join(dist, "server.cjs") });

fs.mkdirSync(path.join(here, "syntaxes"), { recursive: true });
fs.copyFileSync(path.join(repo, "grammar", "sanction.tmLanguage.json"), path.join(here, "syntaxes", "sanction.tmLanguage.json"));

// Chart.js, resolved by the report renderer with require.resolve("chart.js") from dist/.
const require = createRequire(path.join(repo, "packages", "reports", "package.json"));
const chartMain = require.resolve("chart.js");
const chartRoot = path.resolve(path.dirname(chartMain), "..");
const target = path.join(dist, "node_modules", "chart.js");
fs.mkdirSync(path.join(target, "dist"), { recursive: true });
fs.copyFileSync(path.join(chartRoot, "package.json"), path.join(target, "package.json"));
fs.copyFileSync(chartMain, path.join(target, path.relative(chartRoot, chartMain)));
fs.copyFileSync(path.join(path.dirname(chartMain), "chart.umd.min.js"), path.join(target, "dist", "chart.umd.min.js"));
if (fs.existsSync(path.join(chartRoot, "LICENSE.md"))) fs.copyFileSync(path.join(chartRoot, "LICENSE.md"), path.join(target, "LICENSE.md"));
console.log("built dist/extension.cjs, dist/server.cjs, syntaxes/sanction.tmLanguage.json");
