import type { AttributeValue, CatalogApp } from "@sanction/catalog";
import type { SimulationReport, EngineState } from "@sanction/engine";
import { prepareOrThrow, runEngine, AS_OF, type Prepared } from "./harness.js";
import { runReference, type RefRecord, type RefResult, type RefState } from "./reference.js";
import { compareWithReference } from "./compare.js";

/*
 * Hand-written scenarios for the table tests: a fixed small catalog, policy text, records
 * written with `rec`, and one call that runs the engine and checks it against the reference.
 */

const PROVENANCE = { source: "table", date: "2026-01-01" };
const known = (value: boolean | number | string): AttributeValue => ({ known: true, value, provenance: PROVENANCE });

function app(id: string, name: string, category: string, domains: string[], extra: Partial<CatalogApp> = {}): CatalogApp {
  return { id, name, vendor: `${name} Inc`, category, domains, attributes: {}, origin: "curated", ...extra };
}

/** The table tests' catalog: nested domains (Box / Box Notes), a never-block portal, six storage apps for alert limits. */
export const TABLE_CATALOG: readonly CatalogApp[] = [
  app("dropbox", "Dropbox", "cloud_storage", ["*.dropbox.com"], { attributes: { "compliance.soc2": known(true), "security.mfa": known(true), "compliance.iso27001": known(true) } }),
  app("box", "Box", "cloud_storage", ["*.box.com"]),
  app("box-notes", "Box Notes", "collaboration", ["notes.box.com"]),
  app("chirp", "Chirp", "social_network", ["*.chirp.com"]),
  app("leads", "Leads", "crm", ["*.leads.io"]),
  app("admin-portal", "Admin Portal", "it_services", ["*.portal.example.com"], { neverBlock: true }),
  ...[1, 2, 3, 4].map((n) => app(`store-${n}`, `Store ${n}`, "cloud_storage", [`*.store${n}.net`])),
];

/** Epoch ms of an ISO date-time (`2026-03-01T10:00Z`). */
export const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad time ${iso}`);
  return t;
};

/** A request to `host` (or a `https://` URL when it has a path) at `when`, by ann on pc-1 unless told. */
export function rec(target: string, when: string, extra: Partial<RefRecord> = {}): RefRecord {
  const where = target.startsWith("https://") ? { url: target } : target === "" ? {} : { host: target };
  return { time: at(when), user: "ann", device: "pc-1", srcIp: "10.0.0.1", ...where, bytesUp: 100, bytesDown: 100, ...extra };
}

export interface Outcome {
  readonly p: Prepared;
  readonly report: SimulationReport;
  readonly state: EngineState;
  readonly ref: RefResult;
  /** Engine verdict per record, in order. */
  readonly verdicts: readonly string[];
  readonly bypassed: readonly boolean[];
  /** Final tag of an app by name (every app, not only those with traffic). */
  tag(appName: string): string | undefined;
  /** Matched (policy, app, day) as `policy|app|day`. */
  readonly matches: readonly string[];
  readonly alerts: readonly string[];
}

/**
 * Run `text` over `records` with the engine, and (unless `reference: false`) check that the
 * reference interpreter agrees on everything; the table test then checks the documented outcome.
 */
export async function scenario(text: string, records: readonly RefRecord[], opts: { state?: RefState; reference?: boolean } = {}): Promise<Outcome> {
  const p = prepareOrThrow(TABLE_CATALOG, text);
  const run = opts.reference === false ? await runEngine(p.plan, records, opts.state) : (await compareWithReference(p, records, opts.state)).engine;
  const ref = runReference({ model: p.model, apps: p.catalog.apps(), asOf: AS_OF, records, ...(opts.state ? { state: opts.state } : {}) });
  const idOf = (name: string) => p.plan.apps.find((a) => a.name === name)!.id;
  return {
    p,
    report: run.report,
    state: run.state,
    ref,
    verdicts: run.verdicts.map((v) => v.verdict),
    bypassed: run.verdicts.map((v) => v.bypassed),
    tag: (name) => run.tags.get(idOf(name))?.tag,
    matches: run.report.policies.flatMap((x) => x.matches.map((m) => `${m.policy}|${m.app}|${m.day}`)).sort(),
    alerts: run.report.alerts.map((a) => `${a.policy}|${a.app}|${a.day}`),
  };
}
