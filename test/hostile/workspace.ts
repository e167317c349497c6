import { BAD_HOSTS, NAMES, NORMALISED_HOSTS, USERS, encodeField } from "./corpus.js";
import { tempWorkspace } from "../support/cli.js";

/*
 * A workspace whose every string an attacker could choose is hostile: app, policy and test
 * names from names.json (as a pull request could write them), user names from users.json and
 * host names from hostnames.json in the traffic (as a log could carry them). Run through the
 * real CLI, it feeds every report, the JUnit file and the SARIF log.
 */

/** A Sanction string literal holding `s` (the language escapes only `"`, `\`, newline and tab). */
export function sanctionString(s: string): string {
  return '"' + s.replace(/[\\"]/g, (c) => "\\" + c).replace(/\n/g, "\\n").replace(/\t/g, "\\t") + '"';
}

/** The domain of the app named after NAMES[i]. */
export const appDomain = (i: number): string => `app${i}.example`;

/** Policies: one app per hostile name, and one policy per hostile name that unsanctions them. */
export function hostilePolicies(): string {
  const out: string[] = [];
  NAMES.forEach((n, i) => {
    out.push(`app ${sanctionString(n.value)} {\n  vendor ${sanctionString(n.value)}\n  domains *.${appDomain(i)}\n  category cloud_storage\n}\n`);
  });
  NAMES.forEach((n, i) => {
    out.push(`policy ${sanctionString(n.value)} {\n  severity high\n  when app.name == ${sanctionString(NAMES[i]!.value)}\n  users >= 1 per day\n  then alert, unsanction\n}\n`);
  });
  return out.join("\n");
}

/**
 * In-language tests named after the hostile names: even ones pass, odd ones expect the wrong
 * verdict, so the JUnit file holds hostile text in names and in failure messages.
 */
export function hostileTests(): string {
  return NAMES.map((n, i) => {
    const user = USERS[i % USERS.length]!.value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "?");
    const expected = i % 2 === 0 ? "block" : "allow";
    return `test ${sanctionString(n.value)} {\n  traffic { user ${sanctionString(user)} host www.${appDomain(i)} up 1MB at 2026-11-20 }\n  expect verdict "www.${appDomain(i)}" ${expected}\n}\n`;
  }).join("\n");
}

export const CSV_HEADER = "time,user,host,bytes_sent";

/**
 * A generic CSV log: every hostile user visits every hostile app; then every corpus host name
 * once, each with another hostile user (the bad ones are rejected and shown as samples, the
 * normalised ones are unknown domains).
 */
export function hostileTraffic(): string {
  const rows: string[] = [CSV_HEADER];
  let second = 0;
  const row = (user: string, host: string) => {
    const t = new Date(Date.UTC(2026, 10, 20, 9, 0, second++)).toISOString();
    rows.push(`${t},${encodeField("csv", user)},${encodeField("csv", host)},${1000 + second}`);
  };
  for (const u of USERS) NAMES.forEach((_, i) => row(u.value, `www.${appDomain(i)}`));
  // Rejected lines reach the reports as samples: give them hostile users too.
  [...BAD_HOSTS, ...NORMALISED_HOSTS].forEach((h, k) => row(USERS[k % USERS.length]!.value, h.value));
  return rows.join("\r\n") + "\r\n";
}

/** A temporary folder with policies/, tests/ and traffic.csv. */
export function hostileWorkspace(): string {
  return tempWorkspace({
    "policies/apps.sanction": hostilePolicies(),
    "tests/tests.sanction": `import "../policies/apps.sanction"\n\n${hostileTests()}`,
    "traffic.csv": hostileTraffic(),
  });
}
