/**
 * `--traffic a.log b.log dir/` takes every following argument up to the next option, which
 * node's parseArgs cannot express; pull those out first. `--traffic=a.log` also works, and a
 * lone `-` (standard input) is a value, not an option.
 */
export function splitTrafficArgs(argv: readonly string[], flag = "--traffic"): { rest: string[]; traffic: string[] } {
  const rest: string[] = [];
  const traffic: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === flag) {
      while (i + 1 < argv.length && (argv[i + 1] === "-" || !argv[i + 1]!.startsWith("-"))) traffic.push(argv[++i]!);
    } else if (a.startsWith(flag + "=")) {
      traffic.push(a.slice(flag.length + 1));
    } else {
      rest.push(a);
    }
  }
  return { rest, traffic };
}
