import { createRequire } from "node:module";

/*
 * Offline KQL checking with @kusto/language-service-next: parse and semantically analyse a
 * query against a declared DeviceNetworkEvents schema (the Defender Advanced Hunting columns)
 * and return its diagnostics.
 */

/** DeviceNetworkEvents as documented for Defender Advanced Hunting. */
export const DEVICE_NETWORK_EVENTS: readonly (readonly [string, string])[] = [
  ["Timestamp", "datetime"],
  ["DeviceId", "string"],
  ["DeviceName", "string"],
  ["ActionType", "string"],
  ["RemoteIP", "string"],
  ["RemotePort", "int"],
  ["RemoteUrl", "string"],
  ["LocalIP", "string"],
  ["LocalPort", "int"],
  ["Protocol", "string"],
  ["LocalIPType", "string"],
  ["RemoteIPType", "string"],
  ["InitiatingProcessSHA1", "string"],
  ["InitiatingProcessSHA256", "string"],
  ["InitiatingProcessMD5", "string"],
  ["InitiatingProcessFileName", "string"],
  ["InitiatingProcessFileSize", "long"],
  ["InitiatingProcessVersionInfoCompanyName", "string"],
  ["InitiatingProcessVersionInfoProductName", "string"],
  ["InitiatingProcessId", "long"],
  ["InitiatingProcessCommandLine", "string"],
  ["InitiatingProcessCreationTime", "datetime"],
  ["InitiatingProcessFolderPath", "string"],
  ["InitiatingProcessParentFileName", "string"],
  ["InitiatingProcessParentId", "long"],
  ["InitiatingProcessParentCreationTime", "datetime"],
  ["InitiatingProcessAccountDomain", "string"],
  ["InitiatingProcessAccountName", "string"],
  ["InitiatingProcessAccountSid", "string"],
  ["InitiatingProcessAccountUpn", "string"],
  ["InitiatingProcessAccountObjectId", "string"],
  ["InitiatingProcessIntegrityLevel", "string"],
  ["InitiatingProcessTokenElevation", "string"],
  ["ReportId", "long"],
  ["AppGuardContainerId", "string"],
  ["AdditionalFields", "dynamic"],
];

interface KustoDiagnostic {
  Severity: string;
  Message: string;
  Start: number;
  Length: number;
}

let globals: unknown;
let kusto: any; // eslint-disable-line @typescript-eslint/no-explicit-any

function init(): void {
  if (globals) return;
  const require = createRequire(import.meta.url);
  const dir = "@kusto/language-service-next/";
  // the bridge runtime first, then the language library; both install globals
  require(dir + "bridge.min.js");
  require(dir + "Kusto.Language.Bridge.min.js");
  kusto = (globalThis as { Kusto?: unknown }).Kusto;
  const S = kusto.Language.Symbols;
  const schema = `(${DEVICE_NETWORK_EVENTS.map(([n, t]) => `${n}:${t}`).join(", ")})`;
  const table = new S.TableSymbol.$ctor7("DeviceNetworkEvents", schema, "Defender Advanced Hunting");
  const db = new S.DatabaseSymbol.$ctor1("AdvancedHunting", [table], false);
  globals = kusto.Language.GlobalState.Default.WithDatabase(db);
}

/** Every diagnostic (errors and warnings) of `query`, as `severity @offset: message`. */
export function kqlDiagnostics(query: string): string[] {
  init();
  const code = kusto.Language.KustoCode.ParseAndAnalyze(query, globals);
  const list = code.GetDiagnostics();
  const out: string[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i) as KustoDiagnostic;
    out.push(`${d.Severity} @${d.Start}: ${d.Message} [${query.slice(d.Start, d.Start + Math.max(d.Length, 20)).replace(/\n/g, " ")}]`);
  }
  return out;
}
