import { describe, expect, it } from "vitest";
import { builtinCatalog, createCatalog } from "../src/index.js";
import type { CatalogApp } from "../src/index.js";

const catalog = builtinCatalog();

function app(id: string, domains: string[], extra: Partial<CatalogApp> = {}): CatalogApp {
  return { id, name: id, vendor: "v", category: "other", domains, attributes: {}, origin: "curated", ...extra };
}

describe("builtinCatalog", () => {
  it("is memoized", () => {
    expect(builtinCatalog()).toBe(catalog);
  });

  it("finds apps by name case-insensitively, by alias and by id", () => {
    expect(catalog.findApp("dropbox")?.id).toBe("dropbox");
    expect(catalog.findApp("  DROPBOX ")?.id).toBe("dropbox");
    expect(catalog.findApp("Exchange Online")?.id).toBe("microsoft-exchange-online");
    expect(catalog.findAppById("file-dropper")?.name).toBe("File Dropper");
    expect(catalog.findApp("no such app")).toBeUndefined();
  });

  it("knows categories and attributes by id", () => {
    expect(catalog.findCategory("cloud_storage")?.label).toBe("Cloud storage");
    expect(catalog.findCategory("news_and_entertainment")?.label).toBe("News and entertainment");
    expect(catalog.findAttribute("security.mfa")?.family).toBe("security");
    expect(catalog.findAttribute("compliance.soc2")?.type.kind).toBe("boolean");
    expect(catalog.findCategory("nope")).toBeUndefined();
  });

  it.each([
    ["www.dropbox.com", "dropbox"],
    ["dropbox.com", "dropbox"],
    ["DL.DropboxUserContent.com.", "dropbox"],
    ["www.dropbox.com:443", "dropbox"],
    ["dropbox.jp", "dropbox"],
    ["www.filedropper.com", "file-dropper"],
    ["init.itunes.apple.com", "itunes"],
    ["discordapp.com", "discord"],
    ["torrentz.cl", "torrentz-cl"],
    ["mail.google.com", "gmail"],
    ["drive.google.com", "google-drive"],
    ["outlook.office.com", "microsoft-exchange-online"],
    ["www.office.com", "microsoft-365"],
    ["contoso.sharepoint.com", "sharepoint-online"],
    ["security.microsoft.com", "microsoft-defender-portal"],
    ["mail.yahoo.com", "yahoo-webmail"],
    ["www.sohu.com", "sohu-news"],
    ["www.msn.com", "microsoft-msn"],
  ])("attributes %s to %s", (host, id) => {
    expect(catalog.appForHost(host)?.id).toBe(id);
  });

  it("leaves unknown and invalid hosts unattributed", () => {
    expect(catalog.appForHost("definitely-not-in-the-catalog.example")).toBeUndefined();
    expect(catalog.appForHost("")).toBeUndefined();
    expect(catalog.appForHost("not a host")).toBeUndefined();
    expect(catalog.appForHost("192.168.1.10")).toBeUndefined();
    expect(catalog.appForHost("[2001:db8::1]:443")).toBeUndefined();
  });

  it("has curated apps before third-party-web ones", () => {
    const origins = catalog.apps().map((a) => a.origin);
    expect(origins.indexOf("third-party-web")).toBeGreaterThan(origins.lastIndexOf("curated"));
  });
});

describe("createCatalog domain matching", () => {
  const c = createCatalog([
    app("parent", ["*.example.com"]),
    app("child", ["*.files.example.com"]),
    app("exact", ["login.example.com"]),
    app("idn", ["*.xn--bcher-kva.example"]),
  ]);

  it("the longest matching suffix wins", () => {
    expect(c.appForHost("example.com")?.id).toBe("parent");
    expect(c.appForHost("www.example.com")?.id).toBe("parent");
    expect(c.appForHost("files.example.com")?.id).toBe("child");
    expect(c.appForHost("a.b.files.example.com")?.id).toBe("child");
  });

  it("an exact name matches only itself", () => {
    expect(c.appForHost("login.example.com")?.id).toBe("exact");
    expect(c.appForHost("x.login.example.com")?.id).toBe("parent");
  });

  it("matches internationalized names through punycode", () => {
    expect(c.appForHost("www.bücher.example")?.id).toBe("idn");
  });

  it("reports the pattern that matched", () => {
    expect(c.matchHost("a.files.example.com")?.pattern).toBe("*.files.example.com");
  });

  it("the first app wins on a duplicate id", () => {
    const d = createCatalog([app("same", ["a.example.com"], { name: "First" }), app("same", ["b.example.com"], { name: "Second" })]);
    expect(d.apps()).toHaveLength(1);
    expect(d.findAppById("same")?.name).toBe("First");
  });
});
