import { renderText, sourceMap, summaryLine, toJson, toSarif, hasErrors, type Diagnostic } from "@sanction/diagnostics";
import { parseCommandArgs, oneOf } from "../args.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from "../io.js";
import { analyzeEntries } from "../pipeline.js";
import { VERSION } from "../version.js";

export const checkHelp = `Usage: sanction check [paths...] [options]

Parse and check policy files: syntax, names, types, templates, conflicts.
Folders are searched for *.sanction files; imports are followed. Default path: .

Options:
  --format text|json|sarif   output format (default text); sarif is SARIF 2.1.0 for code scanning
  --root DIR                 folder that imports must stay inside (default: the working directory)
  --warnings-as-errors       exit 1 on warnings too
  --no-snippets              text format: do not print the source line under each message
  -h, --help                 show this help

Exit codes: 0 no errors, 1 errors found, 2 usage or I/O error.
`;

export async function checkCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs("check", argv, {
    format: { type: "string" },
    root: { type: "string" },
    "warnings-as-errors": { type: "boolean" },
    "no-snippets": { type: "boolean" },
  });
  if (values.help) {
    io.stdout(checkHelp);
    return EXIT_OK;
  }
  const format = oneOf("check", "format", values.format as string | undefined, ["text", "json", "sarif"] as const, "text");
  const loaded = analyzeEntries(io, positionals, values.root as string | undefined);
  if (!loaded) return EXIT_USAGE;
  const { analysis } = loaded;
  const diagnostics = analysis.diagnostics;
  const lookup = sourceMap(analysis.sources);
  if (format === "json") {
    io.stdout(JSON.stringify({ version: VERSION, files: analysis.workspace.files.map((f) => f.path), diagnostics: toJson(diagnostics, lookup), summary: counts(diagnostics, analysis.workspace.files.length) }, null, 2) + "\n");
  } else if (format === "sarif") {
    io.stdout(JSON.stringify(toSarif(diagnostics, lookup, { name: "sanction", version: VERSION }), null, 2) + "\n");
  } else {
    io.stdout(renderText(diagnostics, lookup, { color: io.color, snippets: !values["no-snippets"] }));
    io.stderr(summaryLine(diagnostics, analysis.workspace.files.length) + "\n");
  }
  if (analysis.workspace.entryErrors.length) return EXIT_USAGE;
  const failing = hasErrors(diagnostics) || (values["warnings-as-errors"] && diagnostics.some((d) => d.severity === "warning"));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

function counts(diagnostics: readonly Diagnostic[], files: number) {
  return {
    files,
    errors: diagnostics.filter((d) => d.severity === "error").length,
    warnings: diagnostics.filter((d) => d.severity === "warning").length,
    infos: diagnostics.filter((d) => d.severity === "info" || d.severity === "hint").length,
  };
}

