import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { ensureDebianPackages } from "../support/debian.js";

/*
 * A throwaway ClickHouse server for the differential tests: Debian's clickhouse-server run as a
 * plain process with a config in a temporary folder (listen on 127.0.0.1 only, free high ports,
 * data under the folder, UTC, a users.xml with a passwordless local `default` user). Talked to
 * over HTTP; `stop()` kills it and removes the folder.
 */

export interface ClickHouse {
  readonly url: string;
  /** Run one statement; the body of the answer (JSONEachRow for queries that say so). */
  query(sql: string, body?: string): Promise<string>;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export async function startClickHouse(): Promise<ClickHouse> {
  ensureDebianPackages(["clickhouse-server", "clickhouse-client"]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sanction-clickhouse-"));
  const [http, tcp, inter] = [await freePort(), await freePort(), await freePort()];
  fs.writeFileSync(
    path.join(dir, "users.xml"),
    `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`,
  );
  fs.writeFileSync(
    path.join(dir, "config.xml"),
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog><size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <interserver_http_port>${inter}</interserver_http_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>536870912</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
</yandex>
`,
  );
  const child: ChildProcess = spawn("clickhouse-server", [`--config-file=${dir}/config.xml`], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => void (stderr += b.toString()));
  const url = `http://127.0.0.1:${http}/`;
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url + "ping")).ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = fs.existsSync(`${dir}/error.log`) ? fs.readFileSync(`${dir}/error.log`, "utf8").slice(-2000) : "";
      stop();
      throw new Error(`clickhouse-server did not start (exit ${child.exitCode}):\n${stderr.slice(-2000)}\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const query = async (sql: string, body?: string): Promise<string> => {
    // the queries carry the app-domain table inline: raise max_query_size as the header says
    const res = body === undefined ? await fetch(url + "?max_query_size=16777216", { method: "POST", body: sql }) : await fetch(url + "?query=" + encodeURIComponent(sql), { method: "POST", body });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse: ${text.slice(0, 3000)}\n--- query ---\n${sql.slice(0, 3000)}`);
    return text;
  };
  return { url, query, stop };
}
