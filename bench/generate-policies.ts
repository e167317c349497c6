/**
 * A deterministic, realistic policy file of about `lines` lines: groups, custom apps, policies
 * (plain and from templates), manual decisions and tests, in the proportions a large
 * organisation's policy repository has. Same input, same text.
 */
export function generatePolicyFile(lines: number): string {
  const categories = ["cloud_storage", "collaboration", "crm", "social_network", "webmail", "generative_ai", "file_sharing", "messaging", "streaming", "online_meeting"];
  const templates = ["new_popular_app", "new_high_volume_app", "new_cloud_storage_app", "new_crm_app", "new_risky_app", "cloud_storage_compliance_check"];
  const out: string[] = ["# generated benchmark workspace", ""];
  let i = 0;
  while (out.length < lines) {
    const n = i++;
    const cat = categories[n % categories.length]!;
    switch (n % 6) {
      case 0:
        out.push(`group team_${n} {`, `  device.tag == "team-${n}"`, `  device.name matches "T${n}-*"`, `  ip in 10.${n % 250}.0.0/16`, `}`, "");
        break;
      case 1:
        out.push(
          `app "Internal App ${n}" {`,
          `  vendor "Contoso ${n}"`,
          `  domains app${n}.contoso.example, *.cdn${n}.contoso.example`,
          `  category ${cat}`,
          `  security.mfa = ${n % 2 === 0}`,
          `  compliance.soc2 = true`,
          `}`,
          "",
        );
        break;
      case 2:
        out.push(
          `policy "Risky ${cat} ${n}" {`,
          `  severity high`,
          `  # keep in sync with the risk review of ${2020 + (n % 6)}`,
          `  when app.category == ${cat} and app.score in 0..${n % 10} and not app.compliance.soc2`,
          `  users > ${n % 500} per day`,
          `  traffic > ${n % 900}MB per day`,
          `  scope all except team_${n - 2}`,
          `  then unsanction, alert(limit: 5)`,
          `}`,
          "",
        );
        break;
      case 3:
        out.push(`policy "Template ${n}" uses template ${templates[n % templates.length]} {`, `  severity medium`, `  users > ${(n % 40) + 3} per day`, `  then tag review_${n % 7}, alert`, `}`, "");
        break;
      case 4:
        out.push(
          `block domain "blocked${n}.example" until 2027-0${(n % 9) + 1}-01`,
          `warn domain "warned${n}.example" redirect "https://intranet.example.com/apps" bypass 24h`,
          `allow url "https://allowed${n}.example/enterprise"`,
          "",
        );
        break;
      case 5:
        out.push(
          `test "policy ${n - 3} holds" {`,
          `  traffic { user "u${n}" device "pc-${n}" host "www.app${n - 4}.contoso.example" up ${n % 50}MB at 2026-11-01 }`,
          `  traffic { users 60 host "blocked${n - 1}.example" days 2 }`,
          `  expect verdict "blocked${n - 1}.example" block`,
          `  expect alert "Template ${n - 2}"`,
          `}`,
          "",
        );
        break;
    }
  }
  return out.join("\n") + "\n";
}
