// `node --import ./load-recorder.mjs …`: registers a module resolve hook that appends every
// module URL the process resolves to the file named by SANCTION_LOAD_LOG, one per line, so a
// test can see what a command loads at start-up.
import { register } from "node:module";
import { appendFileSync } from "node:fs";

const log = process.env.SANCTION_LOAD_LOG;
if (log) {
  const { port1, port2 } = new MessageChannel();
  port1.on("message", (url) => appendFileSync(log, url + "\n"));
  port1.unref();
  register(
    "data:text/javascript," +
      encodeURIComponent(`
        let port;
        export function initialize(data) { port = data.port; }
        export async function resolve(specifier, context, next) {
          const r = await next(specifier, context);
          port.postMessage(r.url);
          return r;
        }`),
    { data: { port: port2 }, transferList: [port2] },
  );
}
