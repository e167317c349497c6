import { EXIT_OK, EXIT_USAGE, IOFailure, UsageError, processIO, type CliIO } from "./io.js";
import { VERSION } from "./version.js";
import { splitGlobalOptions, type GlobalOptions } from "./args.js";

interface Command {
  readonly run: (argv: string[], io: CliIO, globals: GlobalOptions) => Promise<number>;
  readonly help: string;
}

/**
 * Each command's module is imported when the command runs, not at start-up: the language
 * server, the SQL targets (with DuckDB's native module) and the policy parser take hundreds of
 * milliseconds to load, and `sanction --version` or `sanction check` need none of the others.
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  check: { load: () => import("./commands/check.js").then((m) => ({ run: m.checkCommand, help: m.checkHelp })), summary: "parse and check policy files" },
  fmt: { load: () => import("./commands/fmt.js").then((m) => ({ run: m.fmtCommand, help: m.fmtHelp })), summary: "format policy files" },
  compile: { load: () => import("./commands/compile.js").then((m) => ({ run: m.compileCommand, help: m.compileHelp })), summary: "compile policies into a plan (JSON)" },
  test: { load: () => import("./commands/test.js").then((m) => ({ run: m.testCommand, help: m.testHelp })), summary: "run the in-language policy tests" },
  simulate: { load: () => import("./commands/simulate.js").then((m) => ({ run: m.simulateCommand, help: m.simulateHelp })), summary: "replay traffic logs through the policies and report" },
  diff: { load: () => import("./commands/diff.js").then((m) => ({ run: m.diffCommand, help: m.diffHelp })), summary: "what a policy change does to the same traffic" },
  catalog: { load: () => import("./commands/catalog.js").then((m) => ({ run: m.catalogCommand, help: m.catalogHelp })), summary: "search and show catalog apps, import app lists" },
  indicators: { load: () => import("./commands/indicators.js").then((m) => ({ run: m.indicatorsCommand, help: m.indicatorsHelp })), summary: "write indicators for Defender, DNS, proxies and browsers" },
  lsp: { load: () => import("./commands/lsp.js").then((m) => ({ run: m.lspCommand, help: m.lspHelp })), summary: "run the language server for editors (--stdio)" },
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
    if (command === "help" && rest[0] && Object.hasOwn(COMMANDS, rest[0])) {
      io.stdout((await COMMANDS[rest[0]]!.load()).help);
      return EXIT_OK;
    }
    io.stdout(mainHelp);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === "-v" || command === "--version") {
    io.stdout(`sanction ${VERSION}\n`);
    return EXIT_OK;
  }
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    io.stderr(`sanction: unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(", ")}; see \`sanction --help\`)\n`);
    return EXIT_USAGE;
  }
  try {
    const cmd = await entry.load();
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
