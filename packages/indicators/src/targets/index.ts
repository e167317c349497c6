import { chrome } from "./chrome.js";
import { dnsmasq } from "./dnsmasq.js";
import { firefox } from "./firefox.js";
import { hosts } from "./hosts.js";
import { mdeCsv } from "./mde-csv.js";
import { mdeJson } from "./mde-json.js";
import { rpz } from "./rpz.js";
import { squid } from "./squid.js";
import { stix } from "./stix.js";
import { unbound } from "./unbound.js";
import type { Target } from "./types.js";

export const TARGETS: Readonly<Record<string, Target>> = {
  "mde-json": mdeJson,
  "mde-csv": mdeCsv,
  rpz,
  hosts,
  dnsmasq,
  unbound,
  squid,
  chrome,
  firefox,
  stix,
};

export const TARGET_NAMES = Object.keys(TARGETS);
