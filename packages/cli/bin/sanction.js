#!/usr/bin/env node
// Entry point for `npx sanction`: runs the compiled CLI (built by `npm ci` via the root `prepare` script).
import { main } from "../dist/main.js";

// `sanction compile | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
