import * as path from "node:path";
import { renderText, sourceMap, SourceFile, hasErrors } from "@sanction/diagnostics";
import { format } from "@sanction/formatter";
import { decodePolicyText, nodeFileHost } from "@sanction/semantics";
import { parseCommandArgs, NO_GLOBAL_OPTIONS, type GlobalOptions } from "../args.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from "../io.js";
import { displayFrom } from "../paths.js";
import { writeFileAtomic } from "../atomic-write.js";
import { outputRoots, resolveOutput } from "../output-path.js";

export const fmtHelp = `Usage: sanction fmt [paths...] [options]

Format policy files in the one canonical layout (comments are kept).
Folders are searched for *.sanction files. Default path: . ; use - to format standard input.

Options:
  --check      do not write; list files that would change and exit 1 if any would
  --write      rewrite files in place (atomically); only files under the working directory
               (or a folder named with --output-root DIR) are rewritten, and a symbolic link
               is followed only to a file there; otherwise nothing is written
  -h, --help   show this help

Without --check or --write the formatted text is printed to standard output.
Files with syntax errors are never rewritten: their errors are printed and the exit code is 1.
Exit codes: 0 formatted (or already formatted), 1 files would change or have syntax errors, 2 usage or I/O error.
`;

export async function fmtCommand(argv: string[], io: CliIO, globals: GlobalOptions = NO_GLOBAL_OPTIONS): Promise<number> {
  const { values, positionals } = parseCommandArgs("fmt", argv, { check: { type: "boolean" }, write: { type: "boolean" } });
  if (values.help) {
    io.stdout(fmtHelp);
    return EXIT_OK;
  }
  if (values.check && values.write) throw new UsageError("fmt: --check and --write cannot be used together");
  const entries = positionals.length ? positionals : ["."];

  if (entries.includes("-")) {
    if (entries.length > 1) throw new UsageError("fmt: `-` (standard input) cannot be combined with paths");
    const text = await io.readStdin();
    const r = format(text, "<stdin>");
    if (r.skipped === "internal-error") {
      io.stderr(`sanction: <stdin> not formatted: ${r.message ?? "internal formatter error"}\n`);
      return EXIT_FINDINGS;
    }
    if (hasErrors(r.diagnostics)) {
      io.stderr(renderText(r.diagnostics, sourceMap([new SourceFile("<stdin>", text)]), { color: io.color }));
      return EXIT_FINDINGS;
    }
    if (values.check) return r.changed ? EXIT_FINDINGS : EXIT_OK;
    io.stdout(r.text);
    return EXIT_OK;
  }

  const files: string[] = [];
  let ioFailed = false;
  for (const e of entries) {
    const abs = path.resolve(io.cwd, e);
    const listed = nodeFileHost.listPolicyFiles(abs);
    if (listed) files.push(...listed);
    else if (nodeFileHost.realpath(abs)) files.push(abs);
    else {
      io.stderr(`sanction: cannot read ${displayFrom(io.cwd, abs)}: no such file or directory\n`);
      ioFailed = true;
    }
  }
  // --write rewrites exactly the files read (a linked file's real file), each checked against
  // the allowed folders before anything is written, so a refused one leaves every file as it was.
  const roots = values.write ? outputRoots(io, globals) : [];
  const writeTo = new Map(values.write ? files.map((abs) => [abs, resolveOutput(io, displayFrom(io.cwd, abs), roots)]) : []);
  let findings = false;
  const wouldChange: string[] = [];
  for (const abs of files) {
    const shown = displayFrom(io.cwd, abs);
    const read = nodeFileHost.read(abs);
    const decoded = "error" in read ? read : decodePolicyText(read.bytes);
    if ("error" in decoded) {
      io.stderr(`sanction: cannot read ${shown}: ${decoded.error}\n`);
      ioFailed = true;
      continue;
    }
    const r = format(decoded.text, shown);
    if (r.skipped === "internal-error") {
      // The formatter refused its own output (it would have changed the program): a bug, reported, file untouched.
      io.stderr(`sanction: ${shown} not formatted: ${r.message ?? "internal formatter error"}\n`);
      findings = true;
      continue;
    }
    if (hasErrors(r.diagnostics)) {
      io.stderr(renderText(r.diagnostics, sourceMap([new SourceFile(shown, decoded.text)]), { color: io.color }));
      io.stderr(`sanction: ${shown} not formatted: fix the syntax errors first\n`);
      findings = true;
      continue;
    }
    if (values.check) {
      if (r.changed) wouldChange.push(shown);
    } else if (values.write) {
      if (r.changed) {
        writeFileAtomic(writeTo.get(abs)!, r.text);
        io.stderr(`formatted ${shown}\n`);
      }
    } else {
      io.stdout(r.text);
    }
  }
  if (values.check) {
    for (const f of wouldChange) io.stdout(`${f}\n`);
    if (wouldChange.length) {
      io.stderr(`${wouldChange.length} file${wouldChange.length === 1 ? "" : "s"} would be reformatted; run \`sanction fmt --write\`\n`);
      findings = true;
    }
  }
  if (ioFailed) return EXIT_USAGE;
  return findings ? EXIT_FINDINGS : EXIT_OK;
}
