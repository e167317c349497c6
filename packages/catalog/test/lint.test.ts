import { describe, expect, it } from "vitest";
import {
  ATTRIBUTES,
  CATEGORIES,
  builtinCatalog,
  builtinCuratedApps,
  createCatalog,
  lintApps,
  thirdPartyWebApps,
  thirdPartyWebEntities,
  THIRD_PARTY_WEB_CATEGORIES,
  type CatalogApp,
} from "../src/index.js";

const catalog = builtinCatalog();
const curated = builtinCuratedApps();

describe("catalog lint", () => {
  it("the whole built-in catalog (curated and third-party-web) has no problems", () => {
    const problems = lintApps(catalog.apps());
    expect(problems.map((p) => `${p.appId}: ${p.code}: ${p.message}`)).toEqual([]);
  });

  it("has at least 600 curated apps", () => {
    expect(curated.length).toBeGreaterThanOrEqual(600);
  });

  it("every category has at least one curated app", () => {
    const used = new Set(curated.map((a) => a.category));
    expect(CATEGORIES.filter((c) => !used.has(c.id)).map((c) => c.id)).toEqual([]);
  });

  it("every app has a category from the list and at least one domain", () => {
    for (const app of catalog.apps()) {
      expect(catalog.findCategory(app.category), app.id).toBeDefined();
      expect(app.domains.length, app.id).toBeGreaterThan(0);
    }
  });

  it("every known value has a provenance with a source and a date", () => {
    for (const app of catalog.apps()) {
      for (const [id, v] of Object.entries(app.attributes)) {
        if (!v.known) continue;
        expect(catalog.findAttribute(id), `${app.id} ${id}`).toBeDefined();
        expect(v.provenance.source.length, `${app.id} ${id}`).toBeGreaterThan(0);
        expect(v.provenance.date, `${app.id} ${id}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it("third-party-web apps carry no risk values and keep curated names and domains intact", () => {
    const tpw = catalog.apps().filter((a) => a.origin === "third-party-web");
    expect(tpw.length).toBeGreaterThan(1000);
    for (const app of tpw) expect(app.attributes).toEqual({});
    for (const app of curated) {
      expect(catalog.findApp(app.name)).toBe(app);
      for (const d of app.domains) {
        const host = d.replace(/^\*\./, "");
        expect(catalog.appForHost(host), `${d} of ${app.id}`).toBe(app);
      }
    }
  });

  it.each([
    ["Dropbox", "cloud_storage", "dropbox.com"],
    ["Box", "cloud_storage", "box.com"],
    ["iTunes", "streaming", "init.itunes.apple.com"],
    ["File Dropper", "file_sharing", "filedropper.com"],
    ["Microsoft MSN", "news_and_entertainment", "msn.com"],
    ["Yahoo Webmail", "webmail", "mail.yahoo.com"],
    ["Sohu News", "news_and_entertainment", "sohu.com"],
    ["Discord", "messaging", "discordapp.com"],
    ["torrentz.cl", "file_sharing", "torrentz.cl"],
    ["Microsoft Exchange Online", "webmail", "outlook.office365.com"],
    ["Microsoft SharePoint Online", "collaboration", "contoso.sharepoint.com"],
    ["OneDrive for Business", "cloud_storage", "onedrive.com"],
    ["Microsoft Teams", "collaboration", "teams.microsoft.com"],
    ["Gmail", "webmail", "mail.google.com"],
    ["Google Drive", "cloud_storage", "drive.google.com"],
    ["Google Docs", "collaboration", "docs.google.com"],
    ["Slack", "collaboration", "app.slack.com"],
    ["Zoom", "online_meeting", "us02web.zoom.us"],
    ["Microsoft Defender for Cloud Apps", "security", "contoso.portal.cloudappsecurity.com"],
    ["Microsoft Defender portal", "security", "security.microsoft.com"],
    ["Microsoft Purview portal", "security", "purview.microsoft.com"],
    ["Microsoft Intune", "it_services", "intune.microsoft.com"],
  ])("seed app %s is present, in %s, and owns %s", (name, category, host) => {
    const app = catalog.findApp(name);
    expect(app, name).toBeDefined();
    expect(app!.category).toBe(category);
    expect(app!.origin).toBe("curated");
    expect(catalog.appForHost(host)).toBe(app);
  });

  it("the portals that must never be blocked are marked so", () => {
    for (const id of ["microsoft-defender-for-cloud-apps", "microsoft-defender-portal", "microsoft-purview", "microsoft-intune", "microsoft-entra-id"]) {
      expect(catalog.findAppById(id)?.neverBlock, id).toBe(true);
    }
  });
});

describe("lintApps reports", () => {
  const base: CatalogApp = { id: "a", name: "A", vendor: "V", category: "other", domains: ["a.example.com"], attributes: {}, origin: "curated" };
  const codes = (apps: CatalogApp[]) => lintApps(apps).map((p) => p.code);

  it("a domain claimed by two apps, unless one declares it shared", () => {
    expect(codes([base, { ...base, id: "b", name: "B" }])).toEqual(["domain_conflict"]);
    expect(codes([base, { ...base, id: "b", name: "B", domains: ["*.a.example.com"] }])).toEqual(["domain_conflict"]);
    expect(codes([base, { ...base, id: "b", name: "B", domains: ["b.example.com"], sharedDomains: ["a.example.com"] }])).toEqual([]);
    // a more specific subtree inside another app's subtree is not a conflict
    expect(codes([{ ...base, domains: ["*.example.com"] }, { ...base, id: "b", name: "B", domains: ["*.files.example.com"] }])).toEqual([]);
  });

  it("invalid host names, public suffixes and non-punycode names", () => {
    expect(codes([{ ...base, domains: ["Upper.example.com"] }])).toEqual(["bad_domain"]);
    expect(codes([{ ...base, domains: ["bücher.example.com"] }])).toEqual(["bad_domain"]);
    expect(codes([{ ...base, domains: ["bad_label.example.com"] }])).toEqual(["bad_domain"]);
    expect(codes([{ ...base, domains: ["*.co.uk"] }])).toEqual(["public_suffix"]);
    expect(codes([{ ...base, domains: ["intranet.notatld"] }])).toEqual(["public_suffix"]);
    expect(codes([{ ...base, domains: [] }])).toEqual(["no_domain"]);
  });

  it("ids, names, categories, attributes and provenance", () => {
    expect(codes([{ ...base, id: "Not_Kebab" }])).toEqual(["bad_id"]);
    expect(codes([base, { ...base, domains: ["b.example.com"] }])).toEqual(["duplicate_id"]);
    expect(codes([base, { ...base, id: "b", domains: ["b.example.com"] }])).toEqual(["duplicate_name"]);
    expect(codes([{ ...base, category: "cloud-storage" }])).toEqual(["unknown_category"]);
    expect(codes([{ ...base, hq: "USA" }])).toEqual(["bad_hq"]);
    expect(codes([{ ...base, attributes: { "security.nope": { known: false } } }])).toEqual(["unknown_attribute"]);
    expect(
      codes([{ ...base, attributes: { "security.mfa": { known: true, value: "yes", provenance: { source: "s", date: "2026-01-01" } } } }]),
    ).toEqual(["bad_attribute_value"]);
    expect(
      codes([{ ...base, attributes: { "security.mfa": { known: true, value: true, provenance: { source: "", date: "2026-13-01" } } } }]),
    ).toEqual(["bad_provenance"]);
    expect(codes([{ ...base, ips: ["10.0.0.0/8", "2001:db8::/32", "300.1.1.1"] }])).toEqual(["bad_ip"]);
  });

  it("every attribute id is family.snake_case and unique", () => {
    const ids = ATTRIBUTES.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of ATTRIBUTES) expect(a.id).toMatch(new RegExp(`^${a.family}\\.[a-z0-9]+(_[a-z0-9]+)*$`));
  });
});

describe("third-party-web merge", () => {
  it("maps every third-party-web category to one of ours", () => {
    const ours = new Set(CATEGORIES.map((c) => c.id));
    for (const e of thirdPartyWebEntities()) {
      const mapped = THIRD_PARTY_WEB_CATEGORIES[e.category];
      expect(mapped, `third-party-web category "${e.category}"`).toBeDefined();
      expect(ours.has(mapped!)).toBe(true);
    }
  });

  const curatedApp: CatalogApp = {
    id: "acme-analytics", name: "Acme Analytics", vendor: "Acme", category: "analytics",
    domains: ["*.acme-example.com"], attributes: {}, origin: "curated",
  };

  it("curated apps win on names and domains", () => {
    const apps = thirdPartyWebApps([curatedApp], [
      { name: "Acme Analytics", category: "analytics", domains: ["*.other-example.com"] },
      { name: "Tracker", company: "T Corp", category: "ad", domains: ["*.acme-example.com", "cdn.acme-example.com", "*.tracker-example.com"] },
      { name: "Only Acme", category: "cdn", domains: ["static.acme-example.com"] },
    ]);
    expect(apps.map((a) => [a.id, a.category, a.vendor, a.domains])).toEqual([["tracker", "advertising", "T Corp", ["*.tracker-example.com"]]]);
    const c = createCatalog([curatedApp, ...apps]);
    expect(c.appForHost("cdn.acme-example.com")?.id).toBe("acme-analytics");
    expect(c.appForHost("x.tracker-example.com")?.origin).toBe("third-party-web");
  });
});
