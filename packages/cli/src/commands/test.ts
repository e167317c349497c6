import { visible } from "@sanction/diagnostics";
import { runTests } from "@sanction/engine";
import { parseCommandArgs, NO_GLOBAL_OPTIONS, type GlobalOptions } from "../args.js";
import { EXIT_FINDINGS, EXIT_OK, type CliIO } from "../io.js";
import { loadAndCompile } from "../pipeline.js";
import { writeFileAtomic } from "../atomic-write.js";
import { outputRoots, resolveOutput } from "../output-path.js";
import { toJUnit } from "../junit.js";

export const testHelp = `Usage: sanction test [paths...] [options]

Run the in-language tests (\`test "…" { traffic { … } expect … }\`). Each test replays only
its own traffic records, from an empty state, through the compiled policies.

Options:
  --junit FILE       also write JUnit XML for CI test reports
  --filter TEXT      run only tests whose name contains TEXT
  --root DIR         folder imports must stay inside (default: the working directory)
  --output-root DIR  also allow writing under DIR (repeatable; default: only under the
                     working directory and --root)
  -h, --help         show this help

Exit codes: 0 all passed, 1 a test failed or the policies have errors, 2 usage or I/O error.
`;

export async function testCommand(argv: string[], io: CliIO, globals: GlobalOptions = NO_GLOBAL_OPTIONS): Promise<number> {
  const { values, positionals } = parseCommandArgs("test", argv, { junit: { type: "string" }, filter: { type: "string" }, root: { type: "string" } });
  if (values.help) {
    io.stdout(testHelp);
    return EXIT_OK;
  }
  const junit = values.junit ? resolveOutput(io, values.junit as string, outputRoots(io, globals, values.root as string | undefined)) : undefined;
  const result = loadAndCompile(io, positionals, values.root ? { root: values.root as string } : {});
  if ("exit" in result) return result.exit;
  const filter = values.filter as string | undefined;
  const outcomes = runTests(result.plan, filter ? (t) => t.name.includes(filter) : undefined);
  // Names, sources and messages quote the policy files: shown through `visible`, so a test name
  // cannot send escape sequences to the terminal or forge a PASS line in a CI log.
  for (const o of outcomes) {
    io.stdout(`${o.passed ? "PASS" : "FAIL"} ${visible(o.name)} (${visible(o.source)})\n`);
    for (const c of o.checks) if (!c.passed) io.stdout(`  ${visible(c.source)}: ${visible(c.message)}\n`);
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  io.stdout(`${outcomes.length - failed} passed, ${failed} failed\n`);
  if (junit) writeFileAtomic(junit, toJUnit(outcomes));
  if (outcomes.length === 0) io.stderr("sanction: no tests found\n");
  return failed ? EXIT_FINDINGS : EXIT_OK;
}
