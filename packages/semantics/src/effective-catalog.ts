import { diagnostic, type Diagnostic, type SourceFile } from "@sanction/diagnostics";
import { createCatalog, type AttributeValue, type Catalog, type CatalogApp, type IndexedCatalog, type Provenance } from "@sanction/catalog";
import type { AppDef, Model } from "./model.js";
import { slugify } from "./slug.js";

/*
 * The effective catalog: the built-in (or given) catalog with the workspace's custom apps
 * (`app "X" { … }`) added and its overrides (`override app "Box" { … }`) applied.
 *
 * Precedence, highest first: workspace declarations, curated data, third-party-web (the base
 * catalog already puts curated before third-party-web). In detail:
 *   - a custom app is added with id `slugify(name)` and origin `workspace`; vendor defaults to
 *     its name and category to `other` when missing (SAN309 has already been reported);
 *   - an override replaces vendor, category and hq, ADDS domains, URLs and IPs to the app's
 *     own, and sets attributes; every value a declaration sets gets the provenance
 *     `{ source: "<file>:<line>", date: "policy" }` (no clock: the output is deterministic);
 *   - a workspace app that claims a domain name a catalog app owns (the same host, `x.com` or
 *     `*.x.com`) gets that pattern: SAN802 (warning) names both apps. A `*.x.com` claim takes
 *     both `x.com` and `*.x.com` from the catalog app; an exact `x.com` claim takes only the
 *     name `x.com` (the catalog app keeps the rest of its subtree). A name *inside* a catalog
 *     subtree (`files.x.com` under `*.x.com`) is no conflict: longest match already
 *     attributes it to the workspace app, as the catalog itself tells services apart;
 *   - two workspace apps claiming the same host: SAN803 (error); the first declaration in
 *     workspace order (file path, then source order) keeps it;
 *   - a custom app whose id is already another app's id: SAN804 (error); the app is left out.
 * Problems checkApp already reports (a custom app reusing a catalog name, SAN307; an override
 * of an unknown app, SAN301; a second declaration of one name, SAN306) are not reported again:
 * those declarations are just skipped.
 */

export interface EffectiveCatalogOptions {
  /**
   * The workspace's source texts (paths as in the spans), so that provenance says
   * `file:line`. Without them provenance names the file only.
   */
  readonly sources?: Iterable<SourceFile>;
}

export interface EffectiveCatalog {
  /** The merged catalog (built on first access). */
  readonly catalog: IndexedCatalog;
  /** SAN802–SAN804, in workspace order (the checker sorts them with the rest). */
  readonly diagnostics: Diagnostic[];
}

/** The provenance `date` of values declared in policy files. */
export const POLICY_PROVENANCE_DATE = "policy";

/** Catalog apps with a pattern at one host; the first of each list is the one the index uses. */
interface Slot {
  readonly exact: CatalogApp[];
  readonly subtree: CatalogApp[];
}

interface Claim {
  readonly def: AppDef;
  readonly label: string;
}

interface Edit {
  def: AppDef;
  where: string;
}

/** Merges the workspace's apps (`model.apps`) into `base`. Pure and deterministic. */
export function effectiveCatalog(model: Model, base: Catalog, opts: EffectiveCatalogOptions = {}): EffectiveCatalog {
  const diagnostics: Diagnostic[] = [];
  if (model.apps.length === 0 && isIndexed(base)) return { catalog: base, diagnostics };

  const lines = new Map<string, SourceFile>();
  for (const f of opts.sources ?? []) lines.set(f.path, f);
  const where = (def: AppDef): string => {
    const f = lines.get(def.span.file);
    return f ? `${def.span.file}:${f.lines.position(def.span.start).line}` : def.span.file;
  };

  const baseApps = base.apps();
  // catalog owners of a host: built once per base catalog, only when a workspace claims a domain
  const ownersOf = (host: string): Slot | undefined => domainOwners(base).get(host);

  const customs: { def: AppDef; id: string; where: string; domains: string[] }[] = [];
  const edits = new Map<string, Edit[]>(); // base app id → its overrides, in order
  const added = new Map<string, string[]>(); // base app id → domains its overrides add
  const stripped = new Map<string, Set<string>>(); // base app id → patterns it loses
  const claims = new Map<string, Claim>(); // host → first workspace claim
  const customIds = new Map<string, AppDef>();
  const seenNames = new Set<string>();

  for (const def of model.apps) {
    let target: CatalogApp | undefined;
    let keep: string[];
    if (def.override) {
      // the base catalog's own record (the checker may have resolved the name in an equal catalog)
      target = def.base ? base.findAppById(def.base.id) : undefined;
      if (!target) continue; // SAN301 reported by checkApp
      const key = `override:${target.id}`;
      if (seenNames.has(key)) continue; // SAN306
      seenNames.add(key);
      let list = edits.get(target.id);
      if (!list) edits.set(target.id, (list = []));
      list.push({ def, where: where(def) });
      let extra = added.get(target.id);
      if (!extra) added.set(target.id, (extra = []));
      keep = extra;
    } else {
      const key = `app:${def.name.toLowerCase()}`;
      if (seenNames.has(key)) continue; // SAN306
      seenNames.add(key);
      if (base.findApp(def.name)) continue; // SAN307
      const id = slugify(def.name);
      const clash = base.findAppById(id);
      const other = customIds.get(id);
      if (clash || other) {
        const owner = clash ? `catalog app "${clash.name}"` : `custom app "${other!.name}"`;
        diagnostics.push(
          diagnostic("SAN804", def.span, `custom app "${def.name}" gets the id \`${id}\`, which ${owner} already has; rename one of them`, {
            ...(other ? { related: [{ span: other.span, message: `"${other.name}" is declared here` }] } : {}),
          }),
        );
        continue;
      }
      customIds.set(id, def);
      keep = [];
      customs.push({ def, id, where: where(def), domains: keep });
    }

    const own = new Set(target?.domains ?? []);
    for (const pattern of def.domains) {
      if (own.has(pattern)) continue; // an override repeating the app's own domain
      const subtree = pattern.startsWith("*.");
      const host = subtree ? pattern.slice(2) : pattern;
      const label = def.override ? `override of "${def.name}"` : `custom app "${def.name}"`;
      const prior = claims.get(host);
      if (prior && prior.def !== def) {
        diagnostics.push(
          diagnostic("SAN803", def.span, `${label} claims ${pattern}, already claimed by ${prior.label}; the first declaration keeps it — remove it from one of them`, {
            related: [{ span: prior.def.span, message: `${prior.label} claims ${host} here` }],
          }),
        );
        continue;
      }
      claims.set(host, { def, label });
      if (!keep.includes(pattern)) keep.push(pattern);
      // every catalog app with a pattern the claim takes loses it; the one that owned it is named
      const slot = ownersOf(host) ?? { exact: [], subtree: [] };
      const others = (apps: CatalogApp[]) => apps.filter((a) => a !== target);
      const losers = subtree ? [...others(slot.exact), ...others(slot.subtree)] : others(slot.exact);
      const named = new Set<CatalogApp>();
      const exactOwner = slot.exact[0];
      const subtreeOwner = slot.subtree[0];
      if (exactOwner && exactOwner !== target) named.add(exactOwner);
      if (subtreeOwner && subtreeOwner !== target && (subtree || !exactOwner)) named.add(subtreeOwner);
      for (const loser of losers) {
        let set = stripped.get(loser.id);
        if (!set) stripped.set(loser.id, (set = new Set()));
        for (const d of loser.domains) if (d === host || (subtree && d === pattern)) set.add(d);
      }
      for (const loser of named) {
        const theirs = loser.domains.filter((d) => d === host || d === `*.${host}`);
        const taken = subtree ? theirs : theirs.filter((d) => d === host);
        const tpw = loser.origin === "third-party-web" ? " (from third-party-web)" : "";
        const who = `"${def.name}"`;
        const gets =
          subtree || taken.length > 0
            ? `${who} gets ${pattern}`
            : `${who} gets the name ${host}, "${loser.name}" keeps the rest of *.${host}`;
        diagnostics.push(
          diagnostic(
            "SAN802",
            def.span,
            `${label} claims ${pattern}, which catalog app "${loser.name}"${tpw} owns (${theirs.join(", ")}); ${gets} — remove the domain if "${loser.name}" should keep it`,
          ),
        );
      }
    }
  }

  const provenance = (w: string): Provenance => ({ source: w, date: POLICY_PROVENANCE_DATE });
  const attributesOf = (def: AppDef, w: string): Record<string, AttributeValue> => {
    const out: Record<string, AttributeValue> = {};
    for (const [id, value] of Object.entries(def.attributes)) out[id] = { known: true, value, provenance: provenance(w) };
    return out;
  };

  // the merged app list and its index are built on first access: the checker needs only the diagnostics
  const build = (): CatalogApp[] => {
    const list: CatalogApp[] = [];
    for (const c of customs) {
      const def = c.def;
      list.push({
        id: c.id,
        name: def.name,
        vendor: def.vendor ?? def.name,
        category: def.category ?? "other",
        domains: c.domains,
        ...(def.urls.length ? { urls: [...def.urls] } : {}),
        ...(def.ips.length ? { ips: [...def.ips] } : {}),
        ...(def.hq !== undefined ? { hq: def.hq } : {}),
        attributes: attributesOf(def, c.where),
        origin: "workspace",
        declaredIn: [c.where],
      });
    }
    for (const app of baseApps) {
      const mine = edits.get(app.id);
      const lost = stripped.get(app.id);
      if (!mine && !lost) {
        list.push(app);
        continue;
      }
      let next: CatalogApp = app;
      if (lost) next = { ...next, domains: next.domains.filter((d) => !lost.has(d)) };
      if (mine) {
        const extra = added.get(app.id) ?? [];
        let vendor = next.vendor;
        let category = next.category;
        let hq = next.hq;
        const urls = [...(next.urls ?? [])];
        const ips = [...(next.ips ?? [])];
        const attributes: Record<string, AttributeValue> = { ...next.attributes };
        for (const e of mine) {
          if (e.def.vendor !== undefined) vendor = e.def.vendor;
          if (e.def.category !== undefined) category = e.def.category;
          if (e.def.hq !== undefined) hq = e.def.hq;
          for (const u of e.def.urls) if (!urls.includes(u)) urls.push(u);
          for (const ip of e.def.ips) if (!ips.includes(ip)) ips.push(ip);
          Object.assign(attributes, attributesOf(e.def, e.where));
        }
        next = {
          ...next,
          vendor,
          category,
          domains: [...next.domains, ...extra],
          ...(urls.length ? { urls } : {}),
          ...(ips.length ? { ips } : {}),
          ...(hq !== undefined ? { hq } : {}),
          attributes,
          declaredIn: [...(app.declaredIn ?? []), ...mine.map((e) => e.where)],
        };
      }
      list.push(next);
    }
    return list;
  };

  let built: IndexedCatalog | undefined;
  return {
    get catalog() {
      return (built ??= createCatalog(build(), { categories: base.categories, attributes: base.attributes }));
    },
    diagnostics,
  };
}

const ownersCache = new WeakMap<Catalog, Map<string, Slot>>();

/** Host → the catalog apps with a pattern at that host, per catalog (the built-in one is memoized). */
function domainOwners(base: Catalog): Map<string, Slot> {
  let owners = ownersCache.get(base);
  if (owners) return owners;
  owners = new Map();
  for (const app of base.apps()) {
    for (const d of app.domains) {
      const subtree = d.startsWith("*.");
      const h = subtree ? d.slice(2) : d;
      let slot = owners.get(h);
      if (!slot) owners.set(h, (slot = { exact: [], subtree: [] }));
      (subtree ? slot.subtree : slot.exact).push(app);
    }
  }
  ownersCache.set(base, owners);
  return owners;
}

function isIndexed(c: Catalog): c is IndexedCatalog {
  const x = c as Partial<IndexedCatalog>;
  return typeof x.appForHost === "function" && typeof x.matchHost === "function" && typeof x.appsInCategory === "function";
}
