/**
 * Generated logs for the benchmarks (bench/simulate.ts, bench/memory.ts): realistic hosts
 * (catalog apps, their subdomains, unknown domains), 500 users, spread evenly over one week
 * from 2026-11-01, deterministic for a seed.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { builtinCatalog } from "@sanction/catalog";

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const catalog = builtinCatalog();
export const HOSTS: string[] = [];
for (const app of catalog.apps()) for (const d of app.domains) HOSTS.push(d.startsWith("*.") ? ["www.", "api.", "files.", ""][HOSTS.length % 4] + d.slice(2) : d);
for (let i = 0; i < 2000; i++) HOSTS.push(`cdn${i}.unknown-site-${i % 700}.example`);
export const USERS = Array.from({ length: 500 }, (_, i) => `user${i}@contoso.com`);
export const START = Date.parse("2026-11-01T00:00:00Z") / 1000;

/** Squid native lines `from`..`from + count` of a log of `total` lines spread over a week. */
export function squidLines(r: () => number, from: number, count: number, total: number): string {
  let buf = "";
  for (let i = from; i < from + count; i++) {
    const t = (START + i * ((7 * 86400) / total)).toFixed(3);
    const host = HOSTS[Math.floor(r() ** 2 * HOSTS.length)]!;
    const user = USERS[Math.floor(r() * USERS.length)]!;
    const bytes = Math.floor(r() * 200000);
    buf +=
      r() < 0.6
        ? `${t}     42 10.0.${i % 250}.${i % 200} TCP_TUNNEL/200 ${bytes} CONNECT ${host}:443 ${user} HIER_DIRECT/203.0.113.5 -\n`
        : `${t}     12 10.0.${i % 250}.${i % 200} TCP_MISS/200 ${bytes} GET http://${host}/path/${i % 97} ${user} HIER_DIRECT/203.0.113.5 text/html\n`;
  }
  return buf;
}

/** One DeviceNetworkEvents element as the Advanced Hunting export writes it (one line each). */
function mdeElement(r: () => number, i: number, total: number): string {
  const host = HOSTS[Math.floor(r() ** 2 * HOSTS.length)]!;
  const n = Math.floor(r() * USERS.length);
  const ts = new Date((START + i * ((7 * 86400) / total)) * 1000).toISOString().replace("Z", "0000Z");
  return JSON.stringify({
    Timestamp: ts,
    DeviceId: `d${(n * 2654435761) >>> 0}`,
    DeviceName: `lt-${String(n).padStart(4, "0")}.contoso.com`,
    ActionType: "ConnectionSuccess",
    RemoteIP: `203.0.${i % 250}.${i % 200}`,
    RemotePort: 443,
    RemoteUrl: host,
    LocalIP: `10.20.${n % 250}.${n % 200}`,
    LocalPort: 49152 + (i % 16000),
    Protocol: "Tcp",
    LocalIPType: "Private",
    RemoteIPType: "Public",
    InitiatingProcessFileName: "chrome.exe",
    InitiatingProcessAccountName: `user${n}`,
    InitiatingProcessAccountUpn: USERS[n],
    ReportId: i,
  });
}

export async function write(file: string, chunks: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  for (const text of chunks) if (!out.write(text)) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

export function* squidChunks(lines: number, seed: number): Generator<string> {
  const r = rng(seed);
  for (let from = 0; from < lines; from += 10_000) yield squidLines(r, from, Math.min(10_000, lines - from), lines);
}

/** A Zeek dns.log (TSV with its header) of `lines` queries over a week: DNS logs carry no user, only the client address. */
export function* zeekDnsChunks(lines: number, seed: number): Generator<string> {
  const r = rng(seed);
  yield [
    "#separator \\x09",
    "#set_separator\t,",
    "#empty_field\t(empty)",
    "#unset_field\t-",
    "#path\tdns",
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected",
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool",
    "",
  ].join("\n");
  for (let from = 0; from < lines; from += 20_000) {
    let buf = "";
    for (let i = from; i < Math.min(lines, from + 20_000); i++) {
      const t = (START + i * ((7 * 86400) / lines)).toFixed(6);
      const host = HOSTS[Math.floor(r() ** 2 * HOSTS.length)]!;
      buf += `${t}\tC${i.toString(36)}\t10.${(i >> 8) % 250}.${i % 250}.${i % 200}\t${50000 + (i % 15000)}\t10.1.0.53\t53\tudp\t${i % 65536}\t0.019480\t${host}\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t203.0.113.5\t300.000000\tF\n`;
    }
    yield buf;
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A BIND query log (`category queries`, print-time and print-category) of `lines` queries over a week. */
export function* bindChunks(lines: number, seed: number): Generator<string> {
  const r = rng(seed);
  const two = (n: number) => String(n).padStart(2, "0");
  for (let from = 0; from < lines; from += 20_000) {
    let buf = "";
    for (let i = from; i < Math.min(lines, from + 20_000); i++) {
      const d = new Date((START + i * ((7 * 86400) / lines)) * 1000);
      const ts = `${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}`;
      const host = HOSTS[Math.floor(r() ** 2 * HOSTS.length)]!;
      buf += `${ts} queries: info: client @0x7f01a8a1${(i % 4096).toString(16).padStart(4, "0")} 10.${(i >> 8) % 250}.${i % 250}.${i % 200}#${50000 + (i % 15000)} (${host}): query: ${host} IN A +E(0)K (10.1.0.53)\n`;
    }
    yield buf;
  }
}

export function* mdeChunks(records: number, seed: number): Generator<string> {
  const r = rng(seed);
  for (let from = 0; from < records; from += 5_000) {
    const parts: string[] = [];
    for (let i = from; i < Math.min(records, from + 5_000); i++) parts.push((i === 0 ? "[\n" : ",\n") + mdeElement(r, i, records));
    yield parts.join("");
  }
  yield "\n]\n";
}
