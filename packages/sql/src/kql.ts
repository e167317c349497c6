import type { Plan } from "@sanction/compiler";
import { discovery, rejectByteThresholds, type Discovery, type DiscoveryPolicy } from "./discovery.js";

/*
 * KQL for Microsoft Defender Advanced Hunting (also Sentinel and Azure Data Explorer with the
 * same table) over DeviceNetworkEvents. A request is a row with a RemoteUrl (a URL or a bare
 * host name) whose ActionType is not ListeningConnectionCreated; the user is
 * InitiatingProcessAccountUpn, else InitiatingProcessAccountName; the device DeviceName; the
 * source IP LocalIP; days are UTC. DeviceNetworkEvents has no byte counts, so policies with
 * upload, download or traffic thresholds are a compile error. Advanced Hunting keeps 30 days:
 * new-app windows start at the first day an app is seen in the queried range.
 *
 * The output is three queries sharing one `let` prelude: usage (per app per day), matches
 * (policy, app, day) and tags (the tag each app ends with).
 */

const MDE_WHY = "DeviceNetworkEvents has no byte counts; remove the threshold or compile for duckdb or clickhouse";

export const kstr = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;

const METRIC: Record<string, string> = { users: "Users", devices: "Devices", ips: "Ips", transactions: "Transactions" };

function datatable(schema: string, rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return `datatable(${schema}) []`;
  return `datatable(${schema}) [\n${rows.map((r) => "    " + r.join(", ")).join(",\n")}\n]`;
}

function condition(p: DiscoveryPolicy): string {
  const parts: string[] = [];
  if (p.candidates !== "all") parts.push(p.candidates.length ? `App in (${p.candidates.join(", ")})` : "false");
  for (const t of p.thresholds) parts.push(`${METRIC[t.metric]} ${t.op} ${t.value}`);
  if (p.firstSeenWithinDays !== undefined) parts.push(`Day < FirstDay + ${p.firstSeenWithinDays}d`);
  return parts.length ? parts.join(" and ") : "true";
}

export interface KqlQueries {
  readonly prelude: string;
  readonly usage: string;
  readonly matches: string;
  readonly tags: string;
}

export function kqlQueries(plan: Plan, d: Discovery = discovery(plan)): KqlQueries {
  rejectByteThresholds(d, "kql", MDE_WHY);
  const lets: string[] = [];
  lets.push(`let SanctionAppDomains = ${datatable("Domain:string, App:int, Subtree:bool", d.domains.map((r) => [kstr(r.domain), String(r.app), String(r.subtree)]))};`);
  const named = new Set(d.domains.map((r) => r.app));
  lets.push(`let SanctionApps = ${datatable("App:int, AppId:string, AppName:string", d.apps.filter((a) => named.has(a.index)).map((a) => [String(a.index), kstr(a.id), kstr(a.name)]))};`);
  lets.push(`let SanctionTraffic = DeviceNetworkEvents
| where ActionType != "ListeningConnectionCreated" and isnotempty(RemoteUrl)
| extend Host = trim_end(@"\\.", tolower(extract(@"^(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:[^/?#@]*@)?([^/?#:]+)", 1, RemoteUrl)))
| extend User = iff(isnotempty(InitiatingProcessAccountUpn), InitiatingProcessAccountUpn, InitiatingProcessAccountName), Day = startofday(Timestamp);`);
  lets.push(`let SanctionHostApps = SanctionTraffic
| where isnotempty(Host) and Host !contains ".." and strlen(Host) <= 253
| distinct Host
| extend Parts = split(Host, ".")
| mv-expand I = range(0, array_length(Parts) - 1, 1) to typeof(int)
| extend Suffix = strcat_array(array_slice(Parts, I, -1), ".")
| join kind=inner (SanctionAppDomains) on $left.Suffix == $right.Domain
| where Subtree or Suffix == Host
| extend Key = strlen(Domain) * 2 + iff(Subtree, 0, 1)
| summarize arg_max(Key, App) by Host
| project Host, App;`);
  lets.push(`let SanctionUsage = SanctionTraffic
| join kind=inner (SanctionHostApps) on Host
| summarize Users = count_distinctif(User, isnotempty(User)), Devices = count_distinctif(DeviceName, isnotempty(DeviceName)),
    Ips = count_distinctif(LocalIP, isnotempty(LocalIP)), Transactions = count(), FirstSeen = min(Timestamp), LastSeen = max(Timestamp) by App, Day;`);
  lets.push(`let SanctionFirstSeen = SanctionUsage | summarize FirstDay = min(Day) by App;`);
  const branches = d.policies.map((p) => `    (SanctionUsage | join kind=inner (SanctionFirstSeen) on App | where ${condition(p)} | project Policy = ${kstr(p.name)}, App, Day)`);
  lets.push(
    branches.length === 0 ? `let SanctionMatches = datatable(Policy:string, App:int, Day:datetime) [];`
    : branches.length === 1 ? `let SanctionMatches = ${branches[0]!.trim()};`
    : `let SanctionMatches = union\n${branches.join(",\n")};`,
  );
  const prop = (p: Discovery["proposals"][number]) => [kstr(p.tag), kstr(p.mode), kstr(p.kind), kstr(p.by), kstr(p.source), String(p.priority)];
  const propSchema = "Tag:string, Mode:string, Kind:string, By:string, Source:string, Priority:long";
  lets.push(`let SanctionPolicyTags = ${datatable(`Policy:string, ${propSchema}`, d.proposals.filter((p) => p.kind === "policy").map((p) => [kstr(p.policy!), ...prop(p)]))};`);
  lets.push(`let SanctionManualTags = ${datatable(`App:int, UntilMs:long, ${propSchema}`, d.proposals.filter((p) => p.kind === "manual").map((p) => [String(p.app), String(p.untilMs ?? -1), ...prop(p)]))};`);
  lets.push(`// a manual decision applies until its \`until\`, measured at the end of the queried range
let SanctionEndMs = toscalar(DeviceNetworkEvents | summarize tolong((max(Timestamp) - datetime(1970-01-01)) / 1ms));`);
  const prelude = `// Sanction discovery for Defender Advanced Hunting (generated by \`sanction compile --target kql\`; do not edit).
// Over DeviceNetworkEvents: user = InitiatingProcessAccountUpn, else InitiatingProcessAccountName;
// device = DeviceName; source IP = LocalIP; days in UTC. New-app windows start at the first day
// an app is seen in the queried range. Alerts are not computed: apply the 90-day rule and the
// daily limit to the matches (or schedule the matches query as a custom detection rule).
${lets.join("\n")}`;
  return {
    prelude,
    usage: `SanctionUsage
| join kind=inner (SanctionApps) on App
| project App, AppId, AppName, Day, Users, Devices, Ips, Transactions, FirstSeen, LastSeen
| order by AppId asc, Day asc`,
    matches: `SanctionMatches
| join kind=inner (SanctionApps) on App
| project Policy, App, AppId, AppName, Day
| order by Policy asc, AppId asc, Day asc`,
    tags: `union
    (SanctionMatches | distinct Policy, App | join kind=inner (SanctionPolicyTags) on Policy | project App, Tag, Mode, Kind, By, Source, Priority),
    (SanctionManualTags | where UntilMs < 0 or UntilMs > SanctionEndMs | project App, Tag, Mode, Kind, By, Source, Priority)
| summarize arg_min(Priority, Tag, Mode, Kind, By, Source) by App
| join kind=inner (SanctionApps) on App
| project App, AppId, AppName, Tag, Mode, Kind, By, Source
| order by AppId asc`,
  };
}

/** Three queries, each complete (prelude + result), separated by comment lines. */
export function renderKql(plan: Plan): string {
  const q = kqlQueries(plan);
  return (["usage", "matches", "tags"] as const).map((name) => `// ---- query: ${name} (per ${name === "usage" ? "app per UTC day" : name === "matches" ? "policy, app and day" : "app"}) ----\n${q.prelude}\n${q[name]}\n`).join("\n");
}
