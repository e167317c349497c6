#!/usr/bin/env node
// The Sanction language server over stdio (LSP). Editors start it as `sanction-language-server --stdio`.
import { runStdioServer } from "../dist/index.js";
runStdioServer();
