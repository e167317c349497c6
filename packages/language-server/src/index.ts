export { startServer, runStdioServer, DEFAULT_DEBOUNCE_MS, type ServerSettings } from "./server.js";
