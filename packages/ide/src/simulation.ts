import * as fs from "node:fs";
import * as path from "node:path";
import type { IndexedCatalog } from "@sanction/catalog";
import { compile, serializePlan, type Plan } from "@sanction/compiler";
import { simulate, type RecordSource, type SimulationReport, type SimulationResult } from "@sanction/engine";
import { csvMappingFor, listLogFiles, readTraffic, type CsvMapping } from "@sanction/traffic";
import { generate, InvalidIndicatorError, TARGETS } from "@sanction/indicators";
import type { WorkspaceSession } from "./workspace.js";
import { humanBytes } from "./util.js";
import { SIMULATE_POLICY_COMMAND, type CodeLensData, type InlayHintData, type Range } from "./types.js";

export interface SimulationOutcome {
  readonly plan: Plan;
  readonly report: SimulationReport;
  /** The final app tags of that simulation (what indicators are generated from). */
  readonly tags: SimulationResult["tags"];
  /** Traffic files read (absolute); empty when no samples are configured. */
  readonly files: readonly string[];
}

/** Age-based attributes are measured at the newest provenance date of the catalog (as the CLI does). */
export function defaultAsOf(catalog: IndexedCatalog): string {
  let latest = "2000-01-01";
  for (const app of catalog.apps()) {
    for (const v of Object.values(app.attributes)) if (v.known && /^\d{4}-\d{2}-\d{2}/.test(v.provenance.date) && v.provenance.date > latest) latest = v.provenance.date;
  }
  return latest.slice(0, 10);
}

/** Log files of the configured samples (folders expand to the log files in them). */
export function sampleFiles(ws: WorkspaceSession): string[] {
  const out: string[] = [];
  for (const p of ws.options.trafficSamples ?? []) {
    const abs = path.resolve(ws.root, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      continue;
    }
    if (!st.isDirectory()) {
      out.push(abs);
      continue;
    }
    out.push(...listLogFiles(abs));
  }
  return out;
}

/** The configured samples as the engine's record source. */
function sampleSource(files: readonly string[]): RecordSource {
  return async function* () {
    for (const f of files) {
      const csv = csvMapping(f);
      yield* readTraffic(f, csv ? { csv } : {});
    }
  };
}

/** Lenses never fail on a broken column mapping: the file is read with guessed columns. */
function csvMapping(file: string): CsvMapping | undefined {
  try {
    return csvMappingFor(file);
  } catch {
    return undefined;
  }
}

/**
 * Compiles the workspace and replays the configured traffic samples through it; the result is
 * cached until the next edit or settings change.
 */
export class Simulator {
  private cached: { key: string; result: Promise<SimulationOutcome | { error: string }> } | undefined;
  /** The last outcome of an error-free workspace: lenses keep showing it while the user fixes errors. */
  private lastGood: SimulationOutcome | undefined;
  constructor(private readonly ws: WorkspaceSession) {}

  plan(): Plan | { error: string } {
    const checked = this.ws.check();
    if (checked.errors) return { error: "the policies have errors; fix them first" };
    const catalog = this.ws.effectiveCatalog();
    return compile(checked.model, catalog, { sources: this.ws.sources(), asOf: defaultAsOf(catalog), generator: "sanction language server" });
  }

  planJson(): string | { error: string } {
    const p = this.plan();
    return "error" in p ? p : serializePlan(p);
  }

  run(): Promise<SimulationOutcome | { error: string }> {
    const files = sampleFiles(this.ws);
    const key = `${this.ws.version}|${files.join("\n")}`;
    if (this.cached?.key === key) return this.cached.result;
    const result = (async () => {
      const plan = this.plan();
      if ("error" in plan) return plan;
      const r = await simulate(plan, sampleSource(files));
      const outcome: SimulationOutcome = { plan, report: r.report, tags: r.tags, files };
      this.lastGood = outcome;
      return outcome;
    })().catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
    this.cached = { key, result };
    return result;
  }

  /** The current outcome, or the last error-free one (marked stale) while the workspace has errors. */
  async current(): Promise<(SimulationOutcome & { stale: boolean }) | { error: string }> {
    const r = await this.run();
    if (!("error" in r)) return { ...r, stale: false };
    return this.lastGood && this.ws.check().errors ? { ...this.lastGood, stale: true } : r;
  }

  /** One lens per policy: what it matches on the samples; clicking simulates that policy. */
  async codeLenses(file: string): Promise<CodeLensData[]> {
    const st = this.ws.file(file);
    if (!st) return [];
    const policies = st.parsed.ast.items.filter((it) => it.kind === "Policy" && it.name);
    if (!policies.length) return [];
    const sim = await this.current();
    const out: CodeLensData[] = [];
    for (const p of policies) {
      if (p.kind !== "Policy" || !p.name) continue;
      const range: Range = st.pos.spanRange(p.name.span);
      const command = (title: string) => ({ range, title, command: { id: SIMULATE_POLICY_COMMAND, arguments: [st.path, p.name!.value] } });
      if ("error" in sim) {
        out.push({ range, title: `simulation unavailable: ${sim.error}` });
        continue;
      }
      const rp = sim.report.policies.find((x) => x.name === p.name!.value);
      if (!rp) {
        out.push({ range, title: "not compiled (see its diagnostics)" });
        continue;
      }
      if (sim.files.length === 0) {
        out.push(command(`${rp.candidates} catalog apps pass the filter · no traffic samples configured (sanction.trafficSamples)`));
        continue;
      }
      const matched = new Set(rp.matchedApps);
      const users = sim.report.apps.filter((a) => matched.has(a.name) || matched.has(a.id)).reduce((n, a) => n + a.users, 0);
      out.push(command(`matches ${rp.matchedApps.length} app${rp.matchedApps.length === 1 ? "" : "s"} · ${users} user${users === 1 ? "" : "s"} on samples${sim.stale ? " (before the current errors)" : ""}`));
    }
    return out;
  }

  /** Beside each written threshold: the highest value observed on a matching day ("63 users > 50"). */
  async inlayHints(file: string, range?: Range): Promise<InlayHintData[]> {
    const st = this.ws.file(file);
    if (!st || (this.ws.options.trafficSamples ?? []).length === 0) return [];
    const sim = await this.current();
    if ("error" in sim) return [];
    const out: InlayHintData[] = [];
    for (const it of st.parsed.ast.items) {
      if (it.kind !== "Policy" || !it.name) continue;
      const rp = sim.report.policies.find((x) => x.name === it.name!.value);
      if (!rp) continue;
      for (const c of it.clauses) {
        if (c.kind !== "Threshold" || !c.op || !c.value) continue;
        const pos = st.pos.position(c.span.end);
        if (range && (pos.line < range.start.line || pos.line > range.end.line)) continue;
        const metric = c.metric.text;
        const written = st.text.slice(c.value.span.start, c.value.span.end);
        let peak: number | undefined;
        for (const m of rp.matches) for (const t of m.thresholds) if (t.metric === metric) peak = Math.max(peak ?? 0, t.observed);
        const shown = (n: number) => (metric === "upload" || metric === "download" || metric === "traffic" ? humanBytes(n) : String(n));
        out.push(
          peak === undefined
            ? { position: pos, label: ` no matching day on samples`, tooltip: `no day of the traffic samples met all of this policy's thresholds` }
            : { position: pos, label: ` ${shown(peak)} ${metric} ${c.op.op} ${written}`, tooltip: `highest ${metric} on a day this policy matched (${rp.matches.length} matching app-days)` },
        );
      }
    }
    return out;
  }

  /**
   * What `sanction indicators --target T` writes for this workspace, by the same generator and
   * target: tags from the policies over the traffic samples (when configured) and from manual
   * decisions. A set the target refuses comes back as the error the CLI would print.
   */
  async indicators(target: string): Promise<IndicatorPreview | { error: string }> {
    const t = TARGETS[target];
    if (!t) return { error: `unknown target '${target}' (targets: ${INDICATOR_TARGETS.join(", ")})` };
    // The tags of the cached simulation of the samples: the samples are not read again.
    const sim = await this.run();
    if ("error" in sim) return sim;
    const set = generate(sim.plan, sim.files.length ? { tags: sim.tags } : {});
    try {
      const out = t.render(set, { issued: defaultAsOf(this.ws.effectiveCatalog()) });
      return { files: out.files, notes: out.notes.map((n) => n.message) };
    } catch (e) {
      if (e instanceof InvalidIndicatorError) return { error: e.message };
      throw e;
    }
  }

  /** The report of the samples, optionally narrowed to one policy or to the policies of one file (and their alerts). */
  async report(only: { policy?: string; file?: string } = {}): Promise<SimulationReport | { error: string }> {
    const sim = await this.run();
    if ("error" in sim) return sim;
    let names: Set<string> | undefined;
    if (only.policy) names = new Set([only.policy]);
    else if (only.file) {
      const st = this.ws.file(only.file);
      names = new Set(st ? st.parsed.ast.items.flatMap((it) => (it.kind === "Policy" && it.name ? [it.name.value] : [])) : []);
    }
    if (!names) return sim.report;
    const keep = names;
    return { ...sim.report, policies: sim.report.policies.filter((p) => keep.has(p.name)), alerts: sim.report.alerts.filter((a) => keep.has(a.policy)) };
  }
}

/** The targets the editor's command offers: every target of `sanction indicators`. */
export const INDICATOR_TARGETS: readonly string[] = Object.keys(TARGETS).sort();

export interface IndicatorPreview {
  /** The files `sanction indicators --target T -o …` would write (Defender's batches: several). */
  readonly files: readonly { readonly name: string; readonly content: string }[];
  /** What the set leaves out or changes (never-block, precedence, parents of sanctioned apps). */
  readonly notes: readonly string[];
}
