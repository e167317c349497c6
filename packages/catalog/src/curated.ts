import type { AttributeValue, CatalogApp, Provenance } from "./types.js";

/**
 * The shape of the reviewed data files, `data/<category>.json`. One file per category; the
 * file's `category` applies to every app in it. `scripts/generate-curated.ts` bundles the
 * files into `src/generated/curated-data.ts` so the package ships them without reading files
 * at run time (it also runs when bundled).
 */
export interface CuratedFile {
  readonly category: string;
  readonly apps: readonly CuratedAppRecord[];
}

export interface CuratedAppRecord {
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly aliases?: readonly string[];
  readonly homepage?: string;
  /** ISO 3166-1 alpha-2 of the vendor's headquarters. */
  readonly hq?: string;
  readonly domains: readonly string[];
  readonly sharedDomains?: readonly string[];
  readonly urls?: readonly string[];
  readonly ips?: readonly string[];
  readonly notes?: string;
  readonly neverBlock?: boolean;
  /**
   * Known attribute values grouped by the source that establishes them: one block per
   * source page (a vendor's compliance page, a registry entry…) with the date it was read.
   * Anything not listed is unknown.
   */
  readonly evidence?: readonly CuratedEvidence[];
}

export interface CuratedEvidence {
  readonly source: string;
  readonly date: string;
  readonly note?: string;
  readonly values: Readonly<Record<string, boolean | number | string>>;
}

/** Turns one data record into a catalog app. */
export function curatedApp(record: CuratedAppRecord, category: string): CatalogApp {
  const attributes: Record<string, AttributeValue> = {};
  for (const ev of record.evidence ?? []) {
    const provenance: Provenance = ev.note
      ? { source: ev.source, date: ev.date, note: ev.note }
      : { source: ev.source, date: ev.date };
    for (const [id, value] of Object.entries(ev.values)) {
      // the first source listed wins; the lint reports the duplicate
      if (!(id in attributes)) attributes[id] = { known: true, value, provenance };
    }
  }
  const app: CatalogApp = {
    id: record.id,
    name: record.name,
    vendor: record.vendor,
    category,
    domains: record.domains,
    attributes,
    origin: "curated",
    ...(record.aliases ? { aliases: record.aliases } : {}),
    ...(record.homepage ? { homepage: record.homepage } : {}),
    ...(record.hq ? { hq: record.hq } : {}),
    ...(record.sharedDomains ? { sharedDomains: record.sharedDomains } : {}),
    ...(record.urls ? { urls: record.urls } : {}),
    ...(record.ips ? { ips: record.ips } : {}),
    ...(record.notes ? { notes: record.notes } : {}),
    ...(record.neverBlock ? { neverBlock: true } : {}),
  };
  return app;
}

export function curatedApps(files: readonly CuratedFile[]): CatalogApp[] {
  return files.flatMap((file) => file.apps.map((record) => curatedApp(record, file.category)));
}
