import { parentPort } from "node:worker_threads";
import { PART_PAIRS, SinglePass, exportTotals } from "@sanction/engine";
import { tempSpill } from "../spill-file.js";
import { Credit } from "./credit.js";
import { HELD_WINDOW, PART_WINDOW, type MainMessage, type WorkMessage, type WorkRequest } from "./protocol.js";
import { readShare } from "./read-share.js";

/**
 * A simulation worker: reads its share of the files (whole, or line-aligned byte ranges of one)
 * once (SinglePass, spooling to a temporary file past its memory bound), posts the aggregates
 * (typed arrays, moved rather than copied; the day pairs a part at a time, each day's table
 * dropped as it goes), waits for the decided tags, then posts the verdict
 * counts of its own requests and its warnings, which the main thread settles with every
 * thread's in time order (a user warned in one share is let through in another).
 */
async function run(req: WorkRequest): Promise<void> {
  const pass = new SinglePass(req.plan, { spill: tempSpill });
  try {
    let lastReport = Date.now();
    const progress = (step: 1 | 2, records: number) => {
      if (Date.now() - lastReport < 250) return;
      lastReport = Date.now();
      post({ kind: "progress", step, records });
    };
    const read = await readShare(pass, req.files, req, (n) => progress(1, n));
    let gotTags: (m: Extract<MainMessage, { kind: "tags" }>) => void = () => {};
    const tags = new Promise<Extract<MainMessage, { kind: "tags" }>>((resolve) => (gotTags = resolve));
    // the parts of the aggregates go a window at a time, then the warnings: one credit at a time;
    // a part's buffer comes back with its credit and carries the next part, so the parts
    // allocate a few buffers in all instead of one each (the allocator keeps much of what is freed)
    let credit = new Credit(PART_WINDOW);
    const spare: ArrayBuffer[] = [];
    parentPort!.on("message", (m: MainMessage) => {
      if (m.kind === "tags") gotTags(m);
      else if (m.kind === "taken") {
        if (m.buffer !== undefined) spare.push(m.buffer);
        credit.give();
      }
    });
    const pass1 = pass.p1.exportHead();
    post({ kind: "read", pass1, ...read }, buffersOf(pass1.usage));
    const partPairs = req.partPairs ?? PART_PAIRS;
    const partBuffer = (words: number): Int32Array => new Int32Array(spare.pop() ?? new ArrayBuffer(partPairs * 3 * 4), 0, words);
    for (const part of pass.p1.usage.exportParts(partPairs, partBuffer)) {
      await credit.take();
      post({ kind: "part", part }, [part.triples.buffer as ArrayBuffer]);
    }
    post({ kind: "parts-end" });
    const msg = await tags;
    credit = new Credit(HELD_WINDOW);
    // warnings are settled by the main thread with every thread's, in time order (bypasses);
    // they go a window at a time, so they wait here, in the spool's file, rather than in memory
    const totals = pass.finishExceptWarnings(msg.tags, (n) => progress(2, n));
    for (const held of pass.heldWarnings(req.heldBatch)) {
      await credit.take();
      post({ kind: "held", held }, [held.time.buffer as ArrayBuffer, held.ints.buffer as ArrayBuffer]);
    }
    post({ kind: "done", verdicts: exportTotals(totals, totals.records) });
  } finally {
    pass.close();
  }
}

function post(m: WorkMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(m, transfer);
}

/** The buffers of the typed arrays in an export, each once: moved to the main thread, not cloned. */
function buffersOf(data: object): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(data)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
  return [...out];
}

// started ahead of its work (while the plan is compiled): the first message is the work
parentPort!.once("message", (m: MainMessage) => {
  if (m.kind !== "work") return post({ kind: "failed", message: `expected the work first, got ${m.kind}` });
  run(m.req).catch((e: unknown) => post({ kind: "failed", message: e instanceof Error ? e.message : String(e) }));
});
