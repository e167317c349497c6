/** What the Defender for Endpoint DeviceNetworkEvents CSV and JSON exports share. */
import type { LineResult } from "../types.js";
import { hostIn, isIpLiteral, makeRecord, normIp, reject, urlHost } from "../util.js";

/** Column names of DeviceNetworkEvents that the reader uses. */
export const MDE_COLUMNS = {
  time: ["Timestamp", "TimeGenerated"],
  device: "DeviceName",
  action: "ActionType",
  remoteIp: "RemoteIP",
  remoteUrl: "RemoteUrl",
  localIp: "LocalIP",
  upn: "InitiatingProcessAccountUpn",
  account: "InitiatingProcessAccountName",
} as const;

/** Events that are not traffic to anywhere (a port opened for listening). */
function notTraffic(action: string | undefined): boolean {
  return action === "ListeningConnectionCreated";
}

function isUnspecifiedIp(ip: string): boolean {
  return ip === "0.0.0.0" || ip === "::" || ip === "::ffff:0.0.0.0";
}

/** A TrafficRecord from the fields of one DeviceNetworkEvents row. */
export function mdeRecord(
  time: number,
  upn: string | undefined,
  account: string | undefined,
  device: string | undefined,
  localIp: string | undefined,
  remoteIp: string | undefined,
  remoteUrl: string | undefined,
  action: string | undefined,
  n: number,
): LineResult {
  if (time !== time) return reject("invalid Timestamp");
  if (notTraffic(action)) return "skip";
  let dstIp = normIp(remoteIp);
  if (dstIp !== undefined && isUnspecifiedIp(dstIp)) dstIp = undefined;
  let host: string | undefined;
  let url: string | undefined;
  if (remoteUrl !== undefined) {
    // the host read in place: normHost(urlHostPart(url)), or normHost of what precedes the first slash
    const scheme = remoteUrl.indexOf("://");
    if (scheme > 0) {
      url = remoteUrl;
      host = urlHost(remoteUrl, scheme + 3, remoteUrl.length);
    } else {
      const slash = remoteUrl.indexOf("/");
      host = hostIn(remoteUrl, 0, slash >= 0 ? slash : remoteUrl.length);
    }
    if (host === undefined) return reject("invalid RemoteUrl");
    if (isIpLiteral(host)) {
      if (dstIp === undefined) dstIp = host;
      host = undefined;
    }
  }
  if (host === undefined && dstIp === undefined) return reject("no destination: RemoteUrl and RemoteIP are empty");
  const user = upn ?? account;
  return makeRecord(time, user, device, normIp(localIp), host, dstIp, url, 0, 0, action, n);
}
