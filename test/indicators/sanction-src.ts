// `sanction` from the TypeScript sources, for tests that run shell scripts:
// SANCTION="node --conditions=source --import tsx test/indicators/sanction-src.ts".
import { main } from "@sanction/cli";

process.exitCode = await main(process.argv.slice(2));
