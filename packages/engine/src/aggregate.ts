import { getDomain } from "tldts";
import { DAY_MS } from "./record.js";
import type { EngineRecord } from "./record.js";

/** Usage of one app on one UTC day. */
export class DayUsage {
  readonly users = new Set<string>();
  readonly devices = new Set<string>();
  readonly ips = new Set<string>();
  transactions = 0;
  upload = 0;
  download = 0;
  first = Infinity;
  last = -Infinity;

  add(r: EngineRecord): void {
    if (r.user) this.users.add(r.user);
    if (r.device) this.devices.add(r.device);
    if (r.srcIp) this.ips.add(r.srcIp);
    this.transactions++;
    this.upload += r.bytesUp;
    this.download += r.bytesDown;
    if (r.time < this.first) this.first = r.time;
    if (r.time > this.last) this.last = r.time;
  }

  /** The value a threshold compares against. */
  metric(m: "users" | "devices" | "ips" | "transactions" | "upload" | "download" | "traffic"): number {
    switch (m) {
      case "users":
        return this.users.size;
      case "devices":
        return this.devices.size;
      case "ips":
        return this.ips.size;
      case "transactions":
        return this.transactions;
      case "upload":
        return this.upload;
      case "download":
        return this.download;
      case "traffic":
        return this.upload + this.download;
    }
  }
}

/** Per app, per day usage (pass one of a simulation). */
export class UsageTable {
  /** app index → UTC day number (days since 1970-01-01) → usage */
  readonly byApp = new Map<number, Map<number, DayUsage>>();
  readonly unknown = new Map<string, { users: Set<string>; devices: Set<string>; transactions: number; bytes: number; hosts: Set<string> }>();
  /** Records with no host at all (IP-only traffic not attributed to an app). */
  unattributed = 0;

  add(app: number, r: EngineRecord): void {
    let days = this.byApp.get(app);
    if (!days) this.byApp.set(app, (days = new Map()));
    const day = Math.floor(r.time / DAY_MS);
    let u = days.get(day);
    if (!u) days.set(day, (u = new DayUsage()));
    u.add(r);
  }

  /** Traffic to a host no app claims, kept by registrable domain so admins can add apps. */
  addUnknown(host: string, r: EngineRecord): void {
    const domain = getDomain(host, { allowPrivateDomains: true }) ?? host;
    let u = this.unknown.get(domain);
    if (!u) this.unknown.set(domain, (u = { users: new Set(), devices: new Set(), transactions: 0, bytes: 0, hosts: new Set() }));
    if (r.user) u.users.add(r.user);
    if (r.device) u.devices.add(r.device);
    u.transactions++;
    u.bytes += r.bytesUp + r.bytesDown;
    keepExampleHost(u.hosts, host);
  }
}

/** How many example hosts the report lists per unknown domain. */
export const MAX_EXAMPLE_HOSTS = 20;

/**
 * Add `host` to an unknown domain's example hosts, keeping the alphabetically first
 * `MAX_EXAMPLE_HOSTS`: the same whatever the order of the records or how they were split
 * between worker threads (the first ones seen would depend on both).
 */
export function keepExampleHost(hosts: Set<string>, host: string): void {
  if (hosts.has(host)) return;
  if (hosts.size < MAX_EXAMPLE_HOSTS) {
    hosts.add(host);
    return;
  }
  let last = "";
  for (const h of hosts) if (h > last) last = h;
  if (host < last) {
    hosts.delete(last);
    hosts.add(host);
  }
}
