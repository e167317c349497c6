import { checkCommand, checkHelp } from "./commands/check.js";
import { fmtCommand, fmtHelp } from "./commands/fmt.js";
import { compileCommand, compileHelp } from "./commands/compile.js";
import { testCommand, testHelp } from "./commands/test.js";
import { simulateCommand, simulateHelp } from "./commands/simulate.js";
import { diffCommand, diffHelp } from "./commands/diff.js";
import { catalogCommand, catalogHelp } from "./commands/catalog.js";
import { indicatorsCommand, indicatorsHelp } from "./commands/indicators.js";
import { lspCommand, lspHelp } from "./commands/lsp.js";
import { EXIT_OK, EXIT_USAGE, IOFailure, UsageError, processIO, type CliIO } from "./io.js";
import { VERSION } from "./version.js";
import { splitGlobalOptions, type GlobalOptions } from "./args.js";

const COMMANDS: Record<string, { run: (argv: string[], io: CliIO, globals: GlobalOptions) => Promise<number>; help: string; summary: string }> = {
  check: { run: checkCommand, help: checkHelp, summary: "parse and check policy files" },
  fmt: { run: fmtCommand, help: fmtHelp, summary: "format policy files" },
  compile: { run: compileCommand, help: compileHelp, summary: "compile policies into a plan (JSON)" },
  test: { run: testCommand, help: testHelp, summary: "run the in-language policy tests" },
  simulate: { run: simulateCommand, help: simulateHelp, summary: "replay traffic logs through the policies and report" },
  diff: { run: diffCommand, help: diffHelp, summary: "what a policy change does to the same traffic" },
  catalog: { run: catalogCommand, help: catalogHelp, summary: "search and show catalog apps, import app lists" },
  indicators: { run: indicatorsCommand, help: indicatorsHelp, summary: "write indicators for Defender, DNS, proxies and browsers" },
  lsp: { run: lspCommand, help: lspHelp, summary: "run the language server for editors (--stdio)" },
};

export const mainHelp = `Usage: sanction <command> [options]

Policy-as-code for cloud app discovery and governance.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Run \`sanction <command> --help\` for a command's options.
Options:
  -h, --help           show this help
  -v, --version        show the version
  --output-root DIR    any command may also write under DIR (repeatable). Without it, files
                       are written only under the working directory (and a command's --root);
                       a path that leaves them through .., an absolute path or a symbolic
                       link is refused and nothing is written
`;

/** Run the CLI; resolves to the exit code. Never throws for user errors. */
export async function main(args: string[], io: CliIO = processIO()): Promise<number> {
  let argv: string[];
  let globals: GlobalOptions;
  try {
    ({ argv, globals } = splitGlobalOptions(args));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`sanction: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    if (command === "help" && rest[0] && COMMANDS[rest[0]]) {
      io.stdout(COMMANDS[rest[0]]!.help);
      return EXIT_OK;
    }
    io.stdout(mainHelp);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === "-v" || command === "--version") {
    io.stdout(`sanction ${VERSION}\n`);
    return EXIT_OK;
  }
  const cmd = COMMANDS[command];
  if (!cmd) {
    io.stderr(`sanction: unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(", ")}; see \`sanction --help\`)\n`);
    return EXIT_USAGE;
  }
  try {
    return await cmd.run(rest, io, globals);
  } catch (e) {
    if (e instanceof UsageError || e instanceof IOFailure) {
      io.stderr(`sanction: ${e.message}\n`);
      return EXIT_USAGE;
    }
    // A bug, not a user error: say so in one line, and keep the details for a bug report.
    io.stderr(`sanction: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env["SANCTION_DEBUG"]) io.stderr(`${e instanceof Error ? e.stack : ""}\n`);
    return 70;
  }
}
