import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** `node:util` parseArgs with errors turned into one-line usage errors. */
export interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

export function parseCommandArgs(command: string, argv: string[], options: Options): ParsedArgs {
  try {
    const r = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
    return { values: r.values as ParsedArgs["values"], positionals: r.positionals };
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, "") : String(e);
    throw new UsageError(`${command}: ${msg.charAt(0).toLowerCase()}${msg.slice(1)} (see \`sanction ${command} --help\`)`);
  }
}

export function oneOf<T extends string>(command: string, flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${command}: --${flag} must be one of ${allowed.join(", ")}, not '${value}'`);
}

/** Options every command accepts, parsed once before the command runs. */
export interface GlobalOptions {
  /** `--output-root DIR` as given (repeatable): folders outside the workspace the CLI may write to. */
  readonly outputRoots: readonly string[];
}

export const NO_GLOBAL_OPTIONS: GlobalOptions = { outputRoots: [] };

/**
 * Take the global options out of the command line, wherever they stand (before or after the
 * command name), and leave the rest for the command. Arguments after `--` are left alone.
 */
export function splitGlobalOptions(argv: readonly string[]): { argv: string[]; globals: GlobalOptions } {
  const rest: string[] = [];
  const outputRoots: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    let value: string | undefined;
    if (a === "--output-root") {
      value = argv[++i];
      if (value === undefined) throw new UsageError("--output-root needs a folder (e.g. --output-root /etc/unbound)");
    } else if (a.startsWith("--output-root=")) {
      value = a.slice("--output-root=".length);
    } else {
      rest.push(a);
      continue;
    }
    if (value === "") throw new UsageError("--output-root needs a folder, not an empty string");
    outputRoots.push(value);
  }
  return { argv: rest, globals: { outputRoots } };
}
