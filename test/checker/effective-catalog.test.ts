import { describe, expect, it } from "vitest";
import { SourceFile } from "@sanction/diagnostics";
import { parse } from "@sanction/syntax";
import { builtinCatalog, createCatalog, explainScore, type CatalogApp, type IndexedCatalog } from "@sanction/catalog";
import { checkFiles, effectiveCatalog } from "@sanction/semantics";

// Unit tests of the merge of workspace apps with the catalog: precedence (workspace >
// curated > third-party-web), what overrides change, provenance, and conflicts.
// The golden case cases/catalog-merge.sanction shows the diagnostics as users see them.

const FILE = "ws.sanction";

function merge(text: string, base: IndexedCatalog = builtinCatalog(), withSources = true) {
  const parsed = parse(text, FILE);
  expect(parsed.diagnostics).toEqual([]);
  const checked = checkFiles([parsed.ast], base);
  const merged = effectiveCatalog(checked.model, base, withSources ? { sources: [new SourceFile(FILE, text)] } : {});
  return { ...merged, checked, codes: checked.diagnostics.map((d) => d.code) };
}

const policy = (line: number) => ({ source: `${FILE}:${line}`, date: "policy" });

describe("effectiveCatalog: custom apps", () => {
  const text = `# custom
app "Contoso Drive" {
  vendor "Contoso Ltd"
  category cloud_storage
  hq "GB"
  domains contosodrive.com, *.contosodrive.net
  urls "https://share.contoso.example/drive"
  ips 203.0.113.0/24
  security.mfa = false
  compliance.soc2 = true
  legal.gdpr_readiness = true
}
`;

  it("adds the app with id slugify(name), origin workspace and file:line provenance", () => {
    const { catalog, diagnostics, codes } = merge(text);
    expect(codes).toEqual([]);
    expect(diagnostics).toEqual([]);
    const app = catalog.findApp("contoso drive")!;
    expect(app).toMatchObject({
      id: "contoso-drive",
      name: "Contoso Drive",
      vendor: "Contoso Ltd",
      category: "cloud_storage",
      hq: "GB",
      domains: ["contosodrive.com", "*.contosodrive.net"],
      urls: ["https://share.contoso.example/drive"],
      ips: ["203.0.113.0/24"],
      origin: "workspace",
      declaredIn: [`${FILE}:2`],
    });
    expect(app.attributes["security.mfa"]).toEqual({ known: true, value: false, provenance: policy(2) });
    expect(catalog.findAppById("contoso-drive")).toBe(app);
    expect(catalog.appForHost("eu.contosodrive.net")).toBe(app);
    expect(catalog.appForHost("contosodrive.com")).toBe(app);
    expect(catalog.appForHost("www.contosodrive.com")).toBeUndefined(); // exact name only
    expect(catalog.appsInCategory("cloud_storage")).toContain(app);
    // the rest of the catalog is there
    expect(catalog.findApp("Dropbox")).toBe(builtinCatalog().findApp("Dropbox"));
    expect(catalog.apps().length).toBe(builtinCatalog().apps().length + 1);
  });

  it("scores the custom app from the declared values, provenance included", () => {
    const { catalog } = merge(text);
    const e = explainScore(catalog.findApp("Contoso Drive")!, { families: {}, attributes: {}, unknown: "ignored", asOf: "2026-11-25" });
    expect(e.scored).toBe(true);
    expect(e.total).toBeCloseTo(20 / 3, 5);
    expect(e.contributions.every((c) => c.provenance?.source === `${FILE}:2` && c.provenance.date === "policy")).toBe(true);
  });

  it("names only the file when no source text is given", () => {
    const { catalog } = merge(text, builtinCatalog(), false);
    expect(catalog.findApp("Contoso Drive")!.declaredIn).toEqual([FILE]);
    expect(catalog.findApp("Contoso Drive")!.attributes["compliance.soc2"]).toEqual({ known: true, value: true, provenance: { source: FILE, date: "policy" } });
  });

  it("defaults vendor to the name and category to other when missing (SAN309 already reported)", () => {
    const { catalog, codes } = merge(`app "Bare" {\n  domains bare.example\n}\n`);
    expect(codes).toEqual(["SAN309"]);
    expect(catalog.findApp("Bare")).toMatchObject({ vendor: "Bare", category: "other", domains: ["bare.example"] });
  });

  it("skips what the checker already rejects: a custom app reusing a catalog name, an override of an unknown app", () => {
    const { catalog, codes } = merge(`app "Dropbox" {\n  category cloud_storage\n  domains dropbox.contoso.example\n}\noverride app "Boxx" {\n  domains boxx.example\n}\n`);
    expect(codes).toEqual(["SAN307", "SAN301"]);
    expect(catalog.findApp("Dropbox")).toBe(builtinCatalog().findApp("Dropbox"));
    expect(catalog.appForHost("dropbox.contoso.example")).toBeUndefined();
    expect(catalog.appForHost("boxx.example")).toBeUndefined();
  });

  it("without workspace apps the base catalog is returned as is", () => {
    const base = builtinCatalog();
    const { catalog, diagnostics } = merge(`group g { user == "a@example.com" }\n`, base);
    expect(catalog).toBe(base);
    expect(diagnostics).toEqual([]);
  });
});

describe("effectiveCatalog: overrides", () => {
  const text = `override app "Box" {
  vendor "Box (reviewed)"
  category collaboration
  hq "US"
  domains *.box.com, box.contoso.example
  urls "https://contoso.app.box.com/"
  compliance.soc2 = false
}
`;

  it("changes vendor, category and hq, adds domains to the app's own, and sets attributes with provenance", () => {
    const builtinBox = builtinCatalog().findApp("Box")!;
    const { catalog, codes } = merge(text);
    expect(codes).toEqual([]);
    const box = catalog.findApp("Box")!;
    expect(box).toMatchObject({ id: "box", vendor: "Box (reviewed)", category: "collaboration", hq: "US", origin: "curated", declaredIn: [`${FILE}:1`] });
    expect(box.domains).toEqual([...builtinBox.domains, "box.contoso.example"]);
    expect(box.urls).toEqual(["https://contoso.app.box.com/"]);
    expect(box.attributes["compliance.soc2"]).toEqual({ known: true, value: false, provenance: policy(1) });
    // values the override does not touch keep their curated provenance
    for (const [id, v] of Object.entries(builtinBox.attributes)) if (id !== "compliance.soc2") expect(box.attributes[id]).toEqual(v);
    expect(catalog.appForHost("box.contoso.example")).toBe(box);
    expect(catalog.appForHost("app.box.com")).toBe(box);
    expect(catalog.appsInCategory("collaboration")).toContain(box);
    expect(catalog.appsInCategory("cloud_storage")).not.toContain(box);
    // the built-in catalog is not modified
    expect(builtinCatalog().findApp("Box")).toBe(builtinBox);
    expect(builtinBox.declaredIn).toBeUndefined();
  });
});

describe("effectiveCatalog: precedence and conflicts", () => {
  it("a workspace app beats a curated app on a domain they both name (SAN802 warning); the curated app keeps the rest", () => {
    const { catalog, diagnostics } = merge(`app "Team Files" {\n  category cloud_storage\n  domains *.dropboxusercontent.com\n}\n`);
    expect(diagnostics.map((d) => [d.code, d.severity, d.span.file, d.span.start])).toEqual([["SAN802", "warning", FILE, 0]]);
    expect(diagnostics[0]!.message).toContain('"Dropbox"');
    expect(diagnostics[0]!.message).toContain('"Team Files"');
    expect(catalog.appForHost("dl.dropboxusercontent.com")?.name).toBe("Team Files");
    expect(catalog.appForHost("www.dropbox.com")?.name).toBe("Dropbox");
    expect(catalog.findApp("Dropbox")!.domains).not.toContain("*.dropboxusercontent.com");
  });

  it("an exact claim on a catalog subtree root takes that name only", () => {
    const { catalog, diagnostics } = merge(`app "Gateway" {\n  category webmail\n  domains mail.yahoo.com\n}\n`);
    expect(diagnostics.map((d) => d.code)).toEqual(["SAN802"]);
    expect(diagnostics[0]!.message).toContain('"Yahoo Webmail" keeps the rest of *.mail.yahoo.com');
    expect(catalog.appForHost("mail.yahoo.com")?.name).toBe("Gateway");
    expect(catalog.appForHost("us.mail.yahoo.com")?.name).toBe("Yahoo Webmail");
    expect(catalog.findApp("Yahoo Webmail")!.domains).toContain("*.mail.yahoo.com");
  });

  it("a name inside a catalog subtree is no conflict: longest match gives it to the workspace app", () => {
    const { catalog, diagnostics } = merge(`app "Contoso SharePoint" {\n  category collaboration\n  domains contoso.sharepoint.com\n}\n`);
    expect(diagnostics).toEqual([]);
    expect(catalog.appForHost("contoso.sharepoint.com")?.name).toBe("Contoso SharePoint");
    expect(catalog.appForHost("fabrikam.sharepoint.com")?.id).toBe("sharepoint-online");
  });

  it("workspace beats third-party-web too, and the message says where the app came from", () => {
    const { catalog, diagnostics } = merge(`app "Our Tags" {\n  category analytics\n  domains *.adobedtm.com\n}\n`);
    expect(diagnostics.map((d) => d.code)).toEqual(["SAN802"]);
    expect(diagnostics[0]!.message).toContain("(from third-party-web)");
    expect(catalog.appForHost("assets.adobedtm.com")?.name).toBe("Our Tags");
    expect(catalog.findApp("Adobe Tag Manager")!.domains).toEqual([]);
  });

  it("curated beats third-party-web in the base catalog: no third-party-web app owns a curated host", () => {
    const curatedHosts = new Set(builtinCatalog().apps().filter((a) => a.origin === "curated").flatMap((a) => a.domains.map((d) => d.replace(/^\*\./, ""))));
    const tpw = builtinCatalog().apps().filter((a) => a.origin === "third-party-web");
    expect(tpw.length).toBeGreaterThan(1000);
    for (const a of tpw) for (const d of a.domains) expect(curatedHosts.has(d.replace(/^\*\./, ""))).toBe(false);
  });

  it("an override adding another catalog app's domain takes it (SAN802)", () => {
    const { catalog, diagnostics } = merge(`override app "Box" {\n  domains *.wetransfer.com\n}\n`);
    expect(diagnostics.map((d) => d.code)).toEqual(["SAN802"]);
    expect(diagnostics[0]!.message).toMatch(/^override of "Box" claims \*\.wetransfer\.com, which catalog app "WeTransfer" owns/);
    expect(catalog.appForHost("wetransfer.com")?.name).toBe("Box");
    expect(catalog.appForHost("we.tl")?.name).toBe("WeTransfer");
  });

  it("two workspace apps claiming one host is an error (SAN803); the first declaration keeps it", () => {
    const { catalog, diagnostics } = merge(
      `app "A" {\n  category other\n  domains docs.example\n}\napp "B" {\n  category other\n  domains *.docs.example, b.example\n}\n`,
    );
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["SAN803", "error"]]);
    expect(diagnostics[0]!.related?.[0]?.span.start).toBe(0);
    expect(catalog.appForHost("docs.example")?.name).toBe("A");
    expect(catalog.appForHost("x.docs.example")).toBeUndefined();
    expect(catalog.findApp("B")!.domains).toEqual(["b.example"]);
  });

  it("an id already taken by a catalog app or another custom app is an error (SAN804); the app is left out", () => {
    const { catalog, diagnostics } = merge(`app "Box!" {\n  category other\n  domains bang.example\n}\napp "X y" {\n  category other\n  domains x1.example\n}\napp "x-y" {\n  category other\n  domains x2.example\n}\n`);
    expect(diagnostics.map((d) => d.code)).toEqual(["SAN804", "SAN804"]);
    expect(catalog.findApp("Box!")).toBeUndefined();
    expect(catalog.findAppById("box")?.name).toBe("Box");
    expect(catalog.findAppById("x-y")?.name).toBe("X y");
    expect(catalog.appForHost("x2.example")).toBeUndefined();
  });

  it("works over any catalog, and a subtree claim takes both the exact name and the subtree from the catalog", () => {
    const app = (id: string, domains: string[], origin: CatalogApp["origin"] = "curated"): CatalogApp => ({ id, name: id, vendor: "v", category: "other", domains, attributes: {}, origin });
    const base = createCatalog([app("exact-owner", ["x.example"]), app("subtree-owner", ["*.x.example", "y.example"]), app("tpw", ["*.z.example"], "third-party-web")]);
    const { catalog, diagnostics } = merge(`app "Mine" {\n  category other\n  domains *.x.example\n}\n`, base);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'custom app "Mine" claims *.x.example, which catalog app "exact-owner" owns (x.example); "Mine" gets *.x.example — remove the domain if "exact-owner" should keep it',
      'custom app "Mine" claims *.x.example, which catalog app "subtree-owner" owns (*.x.example); "Mine" gets *.x.example — remove the domain if "subtree-owner" should keep it',
    ]);
    expect(catalog.appForHost("x.example")?.name).toBe("Mine");
    expect(catalog.appForHost("a.x.example")?.name).toBe("Mine");
    expect(catalog.appForHost("y.example")?.name).toBe("subtree-owner");
    expect(catalog.findAppById("exact-owner")!.domains).toEqual([]);
  });

  it("is deterministic", () => {
    const text = `app "A" {\n  category other\n  domains *.dropbox.com\n  security.mfa = true\n}\noverride app "Box" {\n  domains a.example\n}\n`;
    const one = merge(text);
    const two = merge(text);
    expect(JSON.stringify(one.catalog.apps())).toBe(JSON.stringify(two.catalog.apps()));
    expect(one.diagnostics).toEqual(two.diagnostics);
  });

  it("checkFiles reports the merge diagnostics with the rest", () => {
    const { checked } = merge(`app "Team Files" {\n  category cloud_storage\n  domains *.dropbox.com\n}\n`);
    expect(checked.diagnostics.map((d) => d.code)).toEqual(["SAN802"]);
  });
});
