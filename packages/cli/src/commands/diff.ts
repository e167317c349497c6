import * as path from "node:path";
import { simulate, diffReports, diffIsEmpty } from "@sanction/engine";
import { parseCommandArgs, oneOf, NO_GLOBAL_OPTIONS, type GlobalOptions } from "../args.js";
import { EXIT_OK, UsageError, type CliIO } from "../io.js";
import { loadAndCompile } from "../pipeline.js";
import { expandTrafficPaths, trafficInput } from "../traffic-source.js";
import { splitTrafficArgs } from "../traffic-args.js";
import { writeFileAtomic } from "../atomic-write.js";
import { outputRoots, resolveOutput } from "../output-path.js";
import { diffMarkdown, diffText } from "../diff-render.js";
import { tuneGcForLogs } from "../gc-tuning.js";

export const diffHelp = `Usage: sanction diff --base <dir-or-file> [paths...] --traffic <files...> [options]

What a policy change does to the same traffic: apps whose tags change, verdicts that flip,
policy matches, alerts and indicators added or removed. The base is the policy set before
the change (e.g. a checkout of the main branch); paths are the changed policies (default .).

Options:
  --base PATH          the policies before the change (required)
  --traffic FILES...   log files or folders (required)
  --format FORMAT      text (default), json or md (for a pull-request comment)
  -o, --output FILE    write to FILE instead of standard output
  --as-of DATE         date age-based risk attributes are measured at (same for both sides)
  --output-root DIR    also allow writing under DIR (repeatable; default: only under the
                       working directory)
  -h, --help           show this help

Exit codes: 0 compared (changes or not), 1 either policy set has errors, 2 usage or I/O error.
`;

export async function diffCommand(argv: string[], io: CliIO, globals: GlobalOptions = NO_GLOBAL_OPTIONS): Promise<number> {
  const { rest, traffic } = splitTrafficArgs(argv);
  const { values, positionals } = parseCommandArgs("diff", rest, {
    base: { type: "string" },
    format: { type: "string" },
    output: { type: "string", short: "o" },
    "as-of": { type: "string" },
  });
  if (values.help) {
    io.stdout(diffHelp);
    return EXIT_OK;
  }
  if (!values.base) throw new UsageError("diff: --base <dir-or-file> is required (the policies before the change)");
  if (traffic.length === 0) throw new UsageError("diff: --traffic needs at least one log file or folder");
  const format = oneOf("diff", "format", values.format as string | undefined, ["text", "json", "md"] as const, "text");
  const output = values.output ? resolveOutput(io, values.output as string, outputRoots(io, globals)) : undefined;
  const files = expandTrafficPaths(io.cwd, traffic);
  const baseDir = values.base as string;
  const base = loadAndCompile(io, [baseDir], { root: path.resolve(io.cwd, baseDir), ...(values["as-of"] ? { asOf: values["as-of"] as string } : {}) });
  if ("exit" in base) return base.exit;
  const asOf = values["as-of"] as string | undefined;
  const head = loadAndCompile(io, positionals, asOf ? { asOf } : {});
  if ("exit" in head) return head.exit;
  tuneGcForLogs();
  const a = await simulate(base.plan, trafficInput(io.cwd, files).source);
  const b = await simulate(head.plan, trafficInput(io.cwd, files).source);
  const d = diffReports(a.report, b.report);
  const text = format === "json" ? JSON.stringify(d, null, 2) + "\n" : format === "md" ? diffMarkdown(d) : diffIsEmpty(d) ? `no change to tags, verdicts, matches, alerts or indicators\n${diffText(d)}` : diffText(d);
  if (output) writeFileAtomic(output, text);
  else io.stdout(text);
  return EXIT_OK;
}
