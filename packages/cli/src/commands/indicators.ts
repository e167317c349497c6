import * as fs from "node:fs";
import * as path from "node:path";
import { visible } from "@sanction/diagnostics";
import {
  diffEntries,
  generate,
  renderDiff,
  tagsFromTraffic,
  domainProblem,
  IndicatorLimitError,
  InvalidIndicatorError,
  TARGETS,
  TARGET_NAMES,
  type OutputFile,
  type OutputReaders,
  type Target,
  type TargetOptions,
  type TargetOutput,
} from "@sanction/indicators";
import { readCsv } from "@sanction/catalog";
import { parseCommandArgs, NO_GLOBAL_OPTIONS, type GlobalOptions } from "../args.js";
import { EXIT_FINDINGS, EXIT_OK, IOFailure, UsageError, type CliIO } from "../io.js";
import { defaultAsOf, loadAndCompile } from "../pipeline.js";
import { replaceFolderAtomic, writeFileAtomic } from "../atomic-write.js";
import { outputRoots, resolveOutput } from "../output-path.js";
import { expandTrafficPaths, trafficInput } from "../traffic-source.js";
import { splitTrafficArgs } from "../traffic-args.js";

export const indicatorsHelp = `Usage: sanction indicators [policies...] --target TARGET [options]

Turn app tags and manual decisions into indicators an enforcement point applies:
unsanctioned → Block, monitored → Warn (redirect page, bypass), audit mode → Audit,
allow → Allow; one indicator per app domain (covering its subdomains), plus the manual
domain, URL and IP decisions, with their expiry and device-group scope. Without --traffic
only manual decisions count; with it, the policies are evaluated over the traffic first.

Targets:
${TARGET_NAMES.map((n) => `  ${n.padEnd(10)} ${TARGETS[n]!.summary}`).join("\n")}

Options:
  --target TARGET           the format to write (required); several as a comma-separated
                            list (rpz,unbound,squid) or all: each is written into the -o
                            folder under its own file name (mde-json and mde-csv in a
                            folder named after the target); when one target refuses the
                            set, none is written
  -o, --output PATH         write here (atomically) instead of standard output; mde-json and
                            mde-csv write a folder of batch files (500 indicators each)
  --traffic FILES...        logs to evaluate the policies over (as for simulate)
  --group G                 targets without device groups: the set for devices in group G
                            (default: the set for devices in no group)
  --collapse                mde-*: fit Defender's 15,000-per-tenant limit by replacing
                            families of subdomains with their parent domain (reported)
  --diff OLD                print what changes against OLD, an earlier output of this target
  --never-block FILE        domains never to block or warn, one per line (# comments);
                            default: the catalog's admin and security portals (Defender,
                            Defender for Cloud Apps, Purview, Intune, Entra, Windows Update)
  --walled-garden HOST      rpz: CNAME Warn names to this host (default: Warn is NXDOMAIN)
  --walled-garden-ip IP     hosts, dnsmasq, unbound: answer Warn names with this address
  --rpz-zone NAME           rpz: the zone name the resolver loads it under (default rpz.sanction);
                            a name too long to fit under it is refused
  --issued DATE             stix: issue date of the indicators (default: the catalog date)
  --watch                   keep running; rewrite the outputs whenever a policy file changes
  --as-of DATE              date age-based risk attributes are measured at
  --root DIR                folder imports must stay inside (default: the working directory)
  --output-root DIR         also allow writing under DIR, e.g. /etc/unbound (repeatable;
                            default: only under the working directory and --root)
  -h, --help                show this help

Defender applies Allow > Warn > Block on the same value and lets the longer URL path win;
Sanction resolves the same way and reports what lost. Every value is checked against the
target's syntax before anything is written: a name that could inject a record, directive or
comment stops the run. Exit codes: 0 written, 1 the policies have errors or the output
cannot be written safely (unsafe value, over the limit), 2 usage or I/O error.
`;

let stopWatch: (() => void) | undefined;

/** Stop a running `--watch` (tests; SIGINT does the same for the binary). */
export function stopIndicatorsWatch(): void {
  stopWatch?.();
}

export async function indicatorsCommand(argv: string[], io: CliIO, globals: GlobalOptions = NO_GLOBAL_OPTIONS): Promise<number> {
  const { rest, traffic } = splitTrafficArgs(argv);
  const { values, positionals } = parseCommandArgs("indicators", rest, {
    target: { type: "string" },
    output: { type: "string", short: "o" },
    group: { type: "string" },
    collapse: { type: "boolean" },
    diff: { type: "string" },
    "never-block": { type: "string" },
    "walled-garden": { type: "string" },
    "walled-garden-ip": { type: "string" },
    "rpz-zone": { type: "string" },
    issued: { type: "string" },
    watch: { type: "boolean" },
    "as-of": { type: "string" },
    root: { type: "string" },
  });
  if (values.help) {
    io.stdout(indicatorsHelp);
    return EXIT_OK;
  }
  const targets = readTargets(values.target as string | undefined);
  const several = targets.length > 1;
  if (!several && values.group !== undefined && targets[0]!.grouped) throw new UsageError(`indicators: ${targets[0]!.name} keeps device groups itself (rbacGroupNames); --group is for targets without groups`);
  if (values.watch && !values.output) throw new UsageError("indicators: --watch needs -o PATH to rewrite");
  if (several && !values.output) throw new UsageError("indicators: several targets are written into a folder; give -o FOLDER");
  if (several && values.diff) throw new UsageError("indicators: --diff compares one target's output; give one --target");
  const issued = values.issued as string | undefined;
  if (issued !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(issued) || Number.isNaN(Date.parse(issued)))) throw new UsageError(`indicators: --issued must be a date such as 2026-11-01, not '${issued}'`);
  const neverBlock = values["never-block"] ? readNeverBlock(path.resolve(io.cwd, values["never-block"] as string)) : undefined;
  const files = traffic.length ? expandTrafficPaths(io.cwd, traffic) : undefined;

  const once = async (): Promise<{ code: number; watched: string[] }> => {
    const compiled = loadAndCompile(io, positionals, {
      ...(values.root ? { root: values.root as string } : {}),
      ...(values["as-of"] ? { asOf: values["as-of"] as string } : {}),
    });
    if ("exit" in compiled) return { code: compiled.exit, watched: [] };
    const watched = compiled.analysis.workspace.files.map((f) => f.abs);
    const plan = compiled.plan;
    if (values.group !== undefined && !plan.groups.some((g) => g.name === values.group)) {
      throw new UsageError(`indicators: no group '${values.group}' in the policies (groups: ${plan.groups.map((g) => g.name).join(", ") || "none"})`);
    }
    const tags = files ? await tagsFromTraffic(plan, trafficInput(io.cwd, files).source) : undefined;
    const set = generate(plan, { ...(tags ? { tags } : {}), ...(neverBlock ? { neverBlock } : {}) });
    const opts: TargetOptions = {
      ...(values["walled-garden"] ? { walledGarden: values["walled-garden"] as string } : {}),
      ...(values["walled-garden-ip"] ? { walledGardenIp: values["walled-garden-ip"] as string } : {}),
      ...(values["rpz-zone"] ? { rpzZone: values["rpz-zone"] as string } : {}),
      issued: issued ?? defaultAsOf(compiled.catalog),
      collapse: Boolean(values.collapse),
    };
    // Every target is rendered before anything is written: when one refuses the set, no
    // output changes, so the files in force stay consistent with each other.
    const outs: { target: Target; out: TargetOutput }[] = [];
    let refused = false;
    for (const target of targets) {
      try {
        outs.push({ target, out: target.render(set, values.group !== undefined && !target.grouped ? { ...opts, group: values.group as string } : opts) });
      } catch (e) {
        if (!(e instanceof InvalidIndicatorError || e instanceof IndicatorLimitError)) throw e;
        io.stderr(`sanction: ${e.message}\n`);
        refused = true;
      }
    }
    if (refused) return { code: EXIT_FINDINGS, watched };
    // Targets share views, so the same note can come from several: say it once.
    const seen = new Set<string>();
    for (const n of [...set.notes, ...outs.flatMap((o) => o.out.notes)]) {
      const line = `${n.kind}: ${n.message}\n`;
      if (!seen.has(line)) io.stderr(line);
      seen.add(line);
    }
    if (values.diff) {
      const { target, out } = outs[0]!;
      const abs = path.resolve(io.cwd, values.diff as string);
      const before = readOutput(target, abs);
      const d = diffEntries(target.entries(before, readers(target, abs)), target.entries(out.files, readers(target, "output")));
      // OLD is whoever could write the file: its lines are shown with control characters escaped.
      io.stdout(renderDiff({ added: d.added.map(visible), removed: d.removed.map(visible) }));
    }
    if (values.output) {
      const raw = values.output as string;
      const roots = outputRoots(io, globals, values.root as string | undefined);
      for (const { target, out } of outs) {
        // Several targets: each in the folder under its own name (Defender's batches in a folder named after the target).
        const where = several ? path.join(raw, target.folder ? target.name : out.files[0]!.name) : raw;
        writeOutput(target, resolveOutput(io, where, roots), out.files);
        io.stderr(`wrote ${where} (${out.count} ${target.name} entries from ${set.indicators.length} indicators)\n`);
      }
    } else if (!values.diff) {
      const { target, out } = outs[0]!;
      if (out.files.length > 1) throw new UsageError(`indicators: ${target.name} writes ${out.files.length} batch files; give -o FOLDER`);
      io.stdout(out.files[0]?.content ?? "");
    }
    return { code: EXIT_OK, watched };
  };

  const first = await once();
  if (!values.watch) return first.code;
  return watch(io, positionals.length ? positionals : ["."], first.watched, once);
}

/** Re-run on every change of a policy file (or a new one in a watched folder), until stopped. */
async function watch(io: CliIO, entries: readonly string[], files: readonly string[], once: () => Promise<{ code: number; watched: string[] }>): Promise<number> {
  const dirs = new Set<string>();
  for (const e of entries) {
    const abs = path.resolve(io.cwd, e);
    dirs.add(fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() ? abs : path.dirname(abs));
  }
  for (const f of files) dirs.add(path.dirname(f));
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const trigger = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        const t0 = performance.now();
        try {
          const r = await once();
          if (r.code === EXIT_OK) io.stderr(`regenerated in ${Math.round(performance.now() - t0)} ms\n`);
        } catch (e) {
          io.stderr(`sanction: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      });
    }, 50);
  };
  for (const d of dirs) {
    watchers.push(
      fs.watch(d, (_event, name) => {
        if (name && String(name).endsWith(".sanction")) trigger();
      }),
    );
  }
  io.stderr(`watching ${dirs.size} folder${dirs.size === 1 ? "" : "s"} for policy changes (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const onSignal = () => stopWatch?.();
    stopWatch = () => {
      stopWatch = undefined;
      process.off("SIGINT", onSignal);
      resolve();
    };
    process.once("SIGINT", onSignal);
  });
  if (timer) clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
  return EXIT_OK;
}

/** `--target`: one name, a comma-separated list, or `all`. */
function readTargets(raw: string | undefined): Target[] {
  if (!raw) throw new UsageError(`indicators: --target is required (one or more of ${TARGET_NAMES.join(", ")}, or all)`);
  const names = raw === "all" ? TARGET_NAMES : [...new Set(raw.split(",").map((n) => n.trim()))];
  return names.map((n) => {
    const t = TARGETS[n];
    if (!t) throw new UsageError(`indicators: --target must be one of ${TARGET_NAMES.join(", ")} (or a comma-separated list, or all), not '${n}'`);
    return t;
  });
}

/** Reading outputs back for `--diff`: CSV through the catalog's RFC 4180 reader, with the file in any error. */
function readers(target: Target, where: string): OutputReaders {
  return {
    csv(file) {
      const { rows, problems } = readCsv(file.content);
      const p = problems[0];
      if (p) throw new IOFailure(`${target.folder ? path.join(where, file.name) : where}:${p.line}: ${p.message}`);
      return rows.map((r) => r.cells);
    },
  };
}

function readNeverBlock(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new IOFailure(`cannot read never-block list ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/#.*/, "").trim().toLowerCase();
    if (!line) return;
    const name = line.startsWith("*.") ? line.slice(2) : line;
    const p = domainProblem(name);
    if (p) throw new UsageError(`${file}:${i + 1}: not a domain name: ${JSON.stringify(raw.trim())} (${p})`);
    out.push(name);
  });
  return out;
}

const BATCH_FILE = /^mde-indicators-\d{4}\.(json|csv)$/;

/** An earlier output: a file, or for folder targets the batch files in the folder. */
function readOutput(target: Target, abs: string): OutputFile[] {
  try {
    if (fs.statSync(abs).isDirectory()) {
      return fs
        .readdirSync(abs)
        .filter((n) => (target.folder ? BATCH_FILE.test(n) : true))
        .sort()
        .map((name) => ({ name, content: fs.readFileSync(path.join(abs, name), "utf8") }));
    }
    return [{ name: path.basename(abs), content: fs.readFileSync(abs, "utf8") }];
  } catch (e) {
    throw new IOFailure(`cannot read ${abs}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function writeOutput(target: Target, abs: string, files: readonly OutputFile[]): void {
  if (!target.folder) {
    writeFileAtomic(abs, files[0]?.content ?? "");
    return;
  }
  const ext = target.name === "mde-csv" ? ".csv" : ".json";
  // The batches are imported as one set: the folder is swapped whole, and batches of an earlier,
  // larger run are not carried over (they would be imported again). Other files stay.
  replaceFolderAtomic(abs, files, (n) => BATCH_FILE.test(n) && n.endsWith(ext));
}

