import { prestartCheckWorker } from "@sanction/language-server/check-worker-start";
import { EXIT_OK, UsageError, type CliIO } from "../io.js";

export const lspHelp = `Usage: sanction lsp --stdio

Run the Sanction language server (Language Server Protocol) over standard input and output,
for editors: diagnostics as you type, completion, hover, go to definition, rename, formatting,
code actions, code lenses and inlay hints from traffic samples.

Options:
  --stdio      talk LSP over standard input/output (the only transport)
  -h, --help   show this help

Editor settings (initializationOptions or workspace/didChangeConfiguration, section
"sanction"): trafficSamples (log files or folders for code lenses and inlay hints),
catalogFiles (extra policy files with app declarations).
`;

export async function lspCommand(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    io.stdout(lspHelp);
    return EXIT_OK;
  }
  const unknown = argv.filter((a) => a !== "--stdio");
  if (unknown.length) throw new UsageError(`lsp: unknown option '${unknown[0]}' (see \`sanction lsp --help\`)`);
  if (!argv.includes("--stdio")) throw new UsageError("lsp: the language server talks over standard input/output: run `sanction lsp --stdio`");
  // the check worker loads its modules while this thread loads the server's
  prestartCheckWorker();
  const { runStdioServer } = await import("@sanction/language-server");
  runStdioServer();
  // The server runs until the client sends `exit` (the connection ends the process).
  return new Promise<number>(() => undefined);
}
