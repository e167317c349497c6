import { serializePlan, STAGES, type Stage } from "@sanction/compiler";
import { parseCommandArgs, oneOf, NO_GLOBAL_OPTIONS, type GlobalOptions } from "../args.js";
import { EXIT_OK, type CliIO } from "../io.js";
import { loadAndCompile } from "../pipeline.js";
import { writeFileAtomic } from "../atomic-write.js";
import { outputRoots, resolveOutput } from "../output-path.js";
import { compileTargetCommand, TARGET_HELP, TARGETS } from "./compile-target.js";

export const compileHelp = `Usage: sanction compile [paths...] [-o plan.json] [options]

Compile policies into a plan: the versioned, deterministic JSON artifact the engine runs
(domain tries, the static part of every policy evaluated against the catalog, thresholds).
The same inputs give a byte-identical plan.

Options:
  -o, --output FILE        write the plan to FILE (atomically) instead of standard output
${TARGET_HELP}  --dump-after STAGE       print the output of one compiler stage as JSON and stop
                           (stages: ${STAGES.join(", ")})
  --as-of DATE             date age-based risk attributes are measured at (default: the
                           catalog's newest provenance date)
  --root DIR               folder imports must stay inside (default: the working directory)
  --output-root DIR        also allow writing under DIR (repeatable; default: only under the
                           working directory and --root)
  -h, --help               show this help

Exit codes: 0 compiled, 1 the policies have errors, 2 usage or I/O error.
`;

export async function compileCommand(argv: string[], io: CliIO, globals: GlobalOptions = NO_GLOBAL_OPTIONS): Promise<number> {
  const { values, positionals } = parseCommandArgs("compile", argv, {
    output: { type: "string", short: "o" },
    "dump-after": { type: "string" },
    "as-of": { type: "string" },
    root: { type: "string" },
    target: { type: "string" },
  });
  if (values.help) {
    io.stdout(compileHelp);
    return EXIT_OK;
  }
  // Checked before any work: a refused output path fails fast and writes nothing.
  const output = values.output ? { raw: values.output as string, abs: resolveOutput(io, values.output as string, outputRoots(io, globals, values.root as string | undefined)) } : undefined;
  const dumpAfter = values["dump-after"] === undefined ? undefined : oneOf("compile", "dump-after", values["dump-after"] as string, STAGES, "plan");
  let dumped: unknown;
  const result = loadAndCompile(io, positionals, {
    ...(values.root ? { root: values.root as string } : {}),
    ...(values["as-of"] ? { asOf: values["as-of"] as string } : {}),
    onStage: (stage: Stage, output: unknown) => {
      if (stage === dumpAfter) dumped = output;
    },
  });
  if ("exit" in result) return result.exit;
  if (values.target !== undefined) return compileTargetCommand(io, result.plan, oneOf("compile", "target", values.target as string, TARGETS, "duckdb"), output);
  const text = dumpAfter ? JSON.stringify(dumped, null, 2) + "\n" : serializePlan(result.plan);
  if (output) {
    writeFileAtomic(output.abs, text);
    io.stderr(`wrote ${output.raw} (${result.plan.policies.length} policies, ${result.plan.apps.length} apps)\n`);
  } else {
    io.stdout(text);
  }
  return EXIT_OK;
}
