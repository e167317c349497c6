/** Where the CLI writes; tests capture these instead of the process streams. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  readonly cwd: string;
  /** Colour diagnostics (a terminal without NO_COLOR). */
  readonly color: boolean;
  /** Standard error is a terminal: progress may be drawn there. */
  readonly interactive?: boolean;
  /** Width of the terminal on standard output, when it is one. */
  readonly columns?: number;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    cwd: process.cwd(),
    color: Boolean(process.stderr.isTTY) && !process.env["NO_COLOR"],
    interactive: Boolean(process.stderr.isTTY),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
  };
}

/** A user mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A file that cannot be read or written: printed as one line, exit code 2. */
export class IOFailure extends Error {}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
