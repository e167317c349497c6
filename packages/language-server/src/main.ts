// Entry for bundling and for `tsx --conditions=source packages/language-server/src/main.ts --stdio`.
import { runStdioServer } from "./server.js";
runStdioServer();
