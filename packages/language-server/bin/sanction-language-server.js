#!/usr/bin/env node
// The Sanction language server over stdio (LSP). Editors start it as `sanction-language-server --stdio`.
// The check worker starts first, so that it loads its modules while this thread loads the server's.
import { prestartCheckWorker } from "../dist/check-worker-start.js";
prestartCheckWorker();
const { runStdioServer } = await import("../dist/index.js");
runStdioServer();
