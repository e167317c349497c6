import type { Plan } from "@sanction/compiler";
import { compileTarget, TargetError, TARGETS, type Target } from "@sanction/sql";
import { EXIT_FINDINGS, EXIT_OK, type CliIO } from "../io.js";
import { writeFileAtomic } from "../atomic-write.js";

/* `sanction compile --target duckdb|clickhouse|kql`: the discovery part of the plan as queries. */

export { TARGETS };

export const TARGET_HELP = `  --target TARGET          print the discovery queries instead of the plan: duckdb (SQL
                           over a \`traffic\` table, Parquet or CSV), clickhouse (SQL for old
                           and new servers), kql (Defender Advanced Hunting over
                           DeviceNetworkEvents); a policy the target cannot express is an error
`;

/** `output`: as given, and as checked by `resolveOutput`. */
export function compileTargetCommand(io: CliIO, plan: Plan, target: Target, output: { raw: string; abs: string } | undefined): number {
  let text: string;
  try {
    text = compileTarget(plan, target);
  } catch (e) {
    if (e instanceof TargetError) {
      io.stderr(`error: ${e.message}\n`);
      return EXIT_FINDINGS;
    }
    throw e;
  }
  if (output) {
    writeFileAtomic(output.abs, text);
    io.stderr(`wrote ${output.raw} (${target}, ${plan.policies.length} policies)\n`);
  } else io.stdout(text);
  return EXIT_OK;
}
