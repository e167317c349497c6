import { describe, expect, it } from "vitest";
import { readCsv } from "@sanction/catalog";
import { collapse, flatView, generate, groupedView, enforceLimit, IndicatorLimitError, TARGETS, type GroupedEntry } from "@sanction/indicators";
import { fakePlan } from "./fake-plan.js";

const plan = fakePlan({
  apps: [
    { name: "Discord", domains: ["*.discord.com", "discord.gg"] },
    { name: "Gmail", domains: ["mail.google.com", "*.gmail.com"] },
    { name: "iTunes", domains: ["*.itunes.apple.com"] },
    { name: "Teams", domains: ["*.teams.microsoft.com"] },
    { name: "Defender portal", domains: ["security.microsoft.com"], neverBlock: true },
    { name: "Social", domains: ["*.social.example"] },
  ],
  decisions: [
    { app: 0, tag: "unsanctioned", until: "2027-01-01" },
    { app: 1, tag: "monitored", redirect: "https://intranet.example.com/apps", bypassSeconds: 86400 },
    { app: 2, tag: "unsanctioned", mode: "audit" },
    { app: 3, tag: "sanctioned" },
    { app: 5, tag: "unsanctioned", scope: { include: undefined, exclude: ["marketing"] } },
  ],
  indicators: [
    { type: "domain", value: "microsoft.com", action: "block" },
    { type: "domain", value: "apple.com", action: "block" },
    { type: "url", value: "https://www.discord.com/developers/", action: "allow" },
    { type: "ip", value: "198.51.100.23", action: "audit" },
    { type: "domain", value: "discord.com", action: "warn" },
  ],
  groups: ["marketing"],
});

describe("generation", () => {
  const set = generate(plan);
  const find = (value: string) => set.indicators.filter((i) => i.value === value).map((i) => `${i.action}${i.until ? ` until ${i.until}` : ""}`);

  it("maps tags to actions, one indicator per app domain, with expiry, redirect and bypass", () => {
    expect(find("discord.com")).toEqual(["warn", "block until 2027-01-01"]);
    expect(find("discord.gg")).toEqual(["block until 2027-01-01"]);
    expect(find("gmail.com")).toEqual(["warn"]);
    expect(set.indicators.find((i) => i.value === "gmail.com")).toMatchObject({ redirect: "https://intranet.example.com/apps", bypassSeconds: 86400, app: "Gmail", rule: 'monitor app "Gmail"' });
    expect(find("itunes.apple.com")).toEqual(["audit"]);
    expect(find("198.51.100.23")).toEqual(["audit"]);
    expect(find("teams.microsoft.com")).toEqual([]); // sanctioned: no indicator
  });

  it("never blocks the admin portals: a block on a parent of one is dropped and reported", () => {
    expect(find("microsoft.com")).toEqual([]);
    expect(set.notes.filter((n) => n.kind === "never-block").map((n) => n.message)).toEqual([
      'not emitted: block microsoft.com (block domain "microsoft.com") would also catch the never-block domain security.microsoft.com',
    ]);
  });

  it("warns when a parent domain would also catch a sanctioned app", () => {
    const custom = generate(plan, { neverBlock: [] });
    expect(custom.notes.filter((n) => n.kind === "sanctioned-caught").map((n) => n.message)).toEqual([
      'block microsoft.com (block domain "microsoft.com") also catches teams.microsoft.com of the sanctioned app Teams; add `allow domain "teams.microsoft.com"` if it must stay reachable',
    ]);
  });

  it("reports that a longer URL wins over the domain", () => {
    expect(set.notes.some((n) => n.kind === "url-precedence" && n.message.includes("https://www.discord.com/developers/"))).toBe(true);
  });

  it("resolves the same value as Defender does: Allow > Warn > Block, and reports it", () => {
    const v = groupedView(set);
    const discord = v.entries.filter((e) => e.indicator.value === "discord.com");
    expect(discord.map((e) => e.indicator.action)).toEqual(["warn"]);
    expect(v.notes.some((n) => n.kind === "precedence" && n.message.startsWith("domain discord.com: warn"))).toBe(true);
  });

  it("turns 'all except G' into the indicator for all plus an Allow for G (Defender has no exclusion)", () => {
    const v = groupedView(set).entries.filter((e) => e.indicator.value === "social.example");
    expect(v.map((e) => [e.indicator.action, e.groups])).toEqual([
      ["allow", ["marketing"]],
      ["block", []],
    ]);
    expect(flatView(set).entries.filter((i) => i.value === "social.example").map((i) => i.action)).toEqual(["block"]);
    expect(flatView(set, "marketing").entries.filter((i) => i.value === "social.example")).toEqual([]);
  });

  it("is deterministic and sorted for every target", () => {
    for (const t of Object.values(TARGETS)) {
      const a = t.render(generate(plan), { issued: "2026-11-01", walledGarden: "garden.example.com" });
      const b = t.render(generate(plan), { issued: "2026-11-01", walledGarden: "garden.example.com" });
      expect(a).toEqual(b);
      const lines = t.entries(a.files, { csv: (f) => readCsv(f.content).rows.map((r) => r.cells) });
      expect(lines.length).toBeGreaterThan(0);
    }
  });
});

describe("Defender's 15,000 limit", () => {
  const many = (n: number, parents = 1) =>
    Array.from({ length: n }, (_, i) => ({ indicator: { kind: "domain", value: `h${i}.p${i % parents}.example.com`, action: "block", rule: "r", source: "s", severity: "medium", scope: { include: undefined, exclude: [] } }, groups: [] }) as GroupedEntry);

  it("refuses a set over the limit with a clear error", () => {
    expect(() => enforceLimit("mde-json", many(20), { limit: 10 })).toThrow(IndicatorLimitError);
    expect(() => enforceLimit("mde-json", many(20), { limit: 10 })).toThrow(/20 indicators, over Defender's limit of 10 per tenant.*--collapse/);
  });

  it("--collapse replaces families of subdomains with their parent, and reports it", () => {
    const r = collapse(many(20, 4), 10);
    expect(r.entries.length).toBeLessThanOrEqual(10);
    expect(r.entries.map((e) => e.indicator.value)).toContain("p0.example.com");
    expect(r.notes[0]!.message).toMatch(/^block p\d\.example\.com replaces 5 subdomain indicators/);
  });

  it("drops subdomains a listed parent already covers before anything lossy", () => {
    const entries = [...many(3), { ...many(1)[0]!, indicator: { ...many(1)[0]!.indicator, value: "example.com" } }];
    const r = collapse(entries, 100);
    expect(r.entries.map((e) => e.indicator.value)).toEqual(["example.com"]);
  });

  it("never collapses over a name with another action", () => {
    const allow = { ...many(1)[0]!, indicator: { ...many(1)[0]!.indicator, value: "keep.p0.example.com", action: "allow" as const } };
    const r = collapse([...many(8, 1), allow], 3);
    expect(r.entries.some((e) => e.indicator.value === "p0.example.com")).toBe(false);
  });
});
