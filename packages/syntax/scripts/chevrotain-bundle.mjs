// Copies chevrotain's own single-file ESM build (lib/chevrotain.mjs, shipped in its package)
// to dist/, where the built parser imports it through "#chevrotain" (package.json "imports").
// Its package entry loads lodash-es as some hundreds of small modules, which costs every
// `sanction` command about a quarter of a second at start-up; the one-file build loads in a
// few milliseconds. Sources and tests (the "source" condition) use the package entry.
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const entry = createRequire(import.meta.url).resolve("chevrotain"); // …/chevrotain/lib/src/api.js
const bundle = path.resolve(path.dirname(entry), "..", "chevrotain.mjs");
if (!fs.existsSync(bundle)) throw new Error(`chevrotain-bundle: ${bundle} not found (chevrotain's package layout changed?)`);
const target = path.join(here, "..", "dist", "chevrotain.mjs");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(bundle, target);
