#!/usr/bin/env node
// Entry point for `npx sanction`: runs the compiled CLI (built by `npm ci` via the root `prepare` script).
import { main } from "../dist/main.js";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
