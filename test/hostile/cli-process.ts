/*
 * `sanction` as its own process, run from the TypeScript sources (node --conditions=source
 * --import tsx test/hostile/cli-process.ts ARGS…), for tests that stop it from outside.
 */
import { main } from "@sanction/cli";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
