/**
 * Where the spool puts chunks once its memory bound is reached: an append-only scratch file
 * read back in order. The engine does no I/O itself; the CLI passes a temporary file.
 */
export interface SpillFile {
  /** Append bytes at the end. */
  write(bytes: Uint8Array): void;
  /** Fill `into` from `position` (bytes written earlier). */
  read(position: number, into: Uint8Array): void;
  /** Release the file (and delete it); called once, also after an error. */
  close(): void;
}

export type SpillFactory = () => SpillFile;

/** Ints per record after its time: app, subject, group mask, and one the caller gives meaning to. */
export const SPOOL_INTS = 4;
/** Records per chunk: 24 bytes each (time, then SPOOL_INTS ints), so 1.5 MiB a chunk. */
export const SPOOL_CHUNK = 1 << 16;
/** Bytes of one record's two columns: its time, and its ints (a spilled chunk is its times, then its ints). */
const RECORD_TIME_BYTES = 8;
const RECORD_INTS_BYTES = 4 * SPOOL_INTS;
const TIME_BYTES = SPOOL_CHUNK * RECORD_TIME_BYTES;
const CHUNK_BYTES = SPOOL_CHUNK * (RECORD_TIME_BYTES + RECORD_INTS_BYTES);
/** Default memory bound before chunks go to the spill file. */
export const SPOOL_MEMORY = 16 * 1024 * 1024;
/** Records read from the spill file at a time per chunk while merging, and handed to `visit` at a time. */
const MERGE_BLOCK = 2048;

interface Chunk {
  readonly time: Float64Array;
  /** SPOOL_INTS ints per record */
  readonly ints: Int32Array;
}

/** A full or final chunk, its records sorted by time: in memory, or at `at` in the spill file. */
interface Sealed {
  readonly mem?: Chunk;
  readonly at: number;
  readonly count: number;
  readonly first: number;
  readonly last: number;
  /** Equal times replay in rank order, then in the order the chunks came. */
  readonly rank: number;
}

export type SpoolVisit = (time: Float64Array, ints: Int32Array, count: number) => void;

/** `count` records: their times, and SPOOL_INTS ints each. */
export interface SpoolBatch {
  readonly time: Float64Array;
  readonly ints: Int32Array;
  readonly count: number;
}

/**
 * Requests whose verdict waits for the final app tags, as fixed-width records in typed-array
 * chunks. Chunks stay in memory up to a bound, then go to a spill file (when one is given), so
 * memory stays flat in the size of the log. Replayed once, in time order, records of equal
 * time in push order: each chunk is sorted when it is sealed (a sorted log costs one check),
 * and chunks whose times overlap are merged; a log in time order is read back chunk by chunk.
 */
export class Spool {
  private readonly sealed: Sealed[] = [];
  /** Pushed records (rank 0) not sealed yet: `n` of them in `current`. */
  private current: Chunk = newChunk();
  private n = 0;
  /** Adopted records not sealed yet, per rank: each rank fills chunks of its own. */
  private readonly adopting = new Map<number, { chunk: Chunk; n: number }>();
  private file: SpillFile | undefined;
  private fileBytes = 0;
  private inMemory = 0;
  private spilled = 0;
  private readonly maxKept: number;
  length = 0;

  constructor(
    private readonly spill?: SpillFactory,
    memoryBytes = SPOOL_MEMORY,
  ) {
    this.maxKept = Math.max(1, Math.floor(memoryBytes / CHUNK_BYTES));
  }

  push(time: number, app: number, subject: number, mask: number, extra = -1): void {
    const c = this.current;
    const i = this.n;
    const k = i * SPOOL_INTS;
    c.time[i] = time;
    c.ints[k] = app;
    c.ints[k + 1] = subject;
    c.ints[k + 2] = mask;
    c.ints[k + 3] = extra;
    this.length++;
    if (++this.n === SPOOL_CHUNK) this.sealCurrent(false);
  }

  /**
   * Records from elsewhere (another thread's spool), `count` of them in time order. Among
   * records of equal time, those of a lower `rank` (1, 2, …) replay first (pushed records have
   * rank 0), then those that came first. Each rank fills whole chunks of its own however its
   * records come (a few at a time, interleaved with other ranks'), so adopted records take no
   * more memory or spill file than pushed ones.
   */
  adopt(time: Float64Array, ints: Int32Array, count: number, rank: number): void {
    if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`adopted records have a rank of 1 or more, not ${rank}`);
    let p = this.adopting.get(rank);
    if (p === undefined) this.adopting.set(rank, (p = { chunk: newChunk(), n: 0 }));
    for (let from = 0; from < count; ) {
      const n = Math.min(SPOOL_CHUNK - p.n, count - from);
      p.chunk.time.set(time.subarray(from, from + n), p.n);
      p.chunk.ints.set(ints.subarray(from * SPOOL_INTS, (from + n) * SPOOL_INTS), p.n * SPOOL_INTS);
      p.n += n;
      this.length += n;
      from += n;
      if (p.n === SPOOL_CHUNK) {
        if (this.seal(p.chunk, p.n, rank, false)) p.chunk = newChunk();
        p.n = 0;
      }
    }
  }

  /** Chunks spilled to the file so far. */
  get spilledChunks(): number {
    return this.spilled;
  }

  /**
   * Every record, in time order (equal times in push order), a batch at a time:
   * `visit(time, ints, count)` with SPOOL_INTS ints per record. Once only.
   */
  replay(visit: SpoolVisit): void {
    for (const b of this.batches()) visit(b.time, b.ints, b.count);
  }

  /**
   * `replay` as an iterator, for a consumer that pauses between batches (a thread that waits
   * until the records it sent were taken). A batch's arrays are reused by the next one. Once only.
   */
  *batches(): Generator<SpoolBatch, void, undefined> {
    if (this.n > 0) this.sealCurrent(true);
    for (const [rank, p] of [...this.adopting].sort((a, b) => a[0] - b[0])) if (p.n > 0) this.seal(p.chunk, p.n, rank, true);
    this.adopting.clear();
    const chunks = this.sealed;
    let ordered = true;
    for (let i = 1; i < chunks.length; i++) {
      const c = chunks[i]!;
      const p = chunks[i - 1]!;
      if (c.first < p.last || (c.first === p.last && c.rank < p.rank)) ordered = false;
    }
    if (!ordered) {
      yield* this.merge();
      return;
    }
    const scratch = chunks.some((c) => c.mem === undefined) ? newChunk() : undefined;
    for (const c of chunks) {
      const m = c.mem ?? this.load(c, scratch!);
      yield { time: m.time, ints: m.ints, count: c.count };
    }
  }

  /** Drop the chunks and close (delete) the spill file. */
  close(): void {
    this.sealed.length = 0;
    const f = this.file;
    this.file = undefined;
    f?.close();
  }

  private sealCurrent(final: boolean): void {
    if (this.seal(this.current, this.n, 0, final)) this.current = newChunk();
    this.n = 0;
  }

  /**
   * Sort `count` records of `chunk` by time and keep them, in memory or (past the bound, never
   * the final ones) in the file: true when `chunk` itself is kept (the caller needs a new one).
   */
  private seal(chunk: Chunk, count: number, rank: number, final: boolean): boolean {
    const c = sortByTime(chunk, count);
    const first = c.time[0]!;
    const last = c.time[count - 1]!;
    if (final || this.inMemory < this.maxKept || !this.spill) {
      this.sealed.push({ mem: c, at: -1, count, first, last, rank });
      this.inMemory++;
      return c === chunk;
    }
    // the records only (a final or adopted chunk may be partly filled): times, then ints
    this.file ??= this.spill();
    this.file.write(new Uint8Array(c.time.buffer, c.time.byteOffset, count * RECORD_TIME_BYTES));
    this.file.write(new Uint8Array(c.ints.buffer, c.ints.byteOffset, count * RECORD_INTS_BYTES));
    this.sealed.push({ at: this.fileBytes, count, first, last, rank });
    this.fileBytes += count * (RECORD_TIME_BYTES + RECORD_INTS_BYTES);
    this.spilled++;
    return false;
  }

  private load(c: Sealed, into: Chunk): Chunk {
    this.file!.read(c.at, new Uint8Array(into.time.buffer, into.time.byteOffset, c.count * RECORD_TIME_BYTES));
    this.file!.read(c.at + c.count * RECORD_TIME_BYTES, new Uint8Array(into.ints.buffer, into.ints.byteOffset, c.count * RECORD_INTS_BYTES));
    return into;
  }

  /**
   * A k-way merge of the sorted chunks by (time, rank, chunk): chunks are in push order, so
   * equal times keep push order. Spilled chunks are read MERGE_BLOCK records at a time.
   */
  private *merge(): Generator<SpoolBatch, void, undefined> {
    const chunks = this.sealed;
    const k = chunks.length;
    const cursors = chunks.map((c) => new Cursor(c, this.file));
    // a binary min-heap of cursor indices on (current time, rank, index)
    const heap = new Int32Array(k);
    let size = 0;
    const less = (a: number, b: number): boolean => {
      const ta = cursors[a]!.time;
      const tb = cursors[b]!.time;
      return ta < tb || (ta === tb && (chunks[a]!.rank < chunks[b]!.rank || (chunks[a]!.rank === chunks[b]!.rank && a < b)));
    };
    const down = (from: number): void => {
      let i = from;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) return;
        const r = l + 1;
        const m = r < size && less(heap[r]!, heap[l]!) ? r : l;
        if (!less(heap[m]!, heap[i]!)) return;
        const t = heap[i]!;
        heap[i] = heap[m]!;
        heap[m] = t;
        i = m;
      }
    };
    for (let i = 0; i < k; i++) if (cursors[i]!.remaining > 0) heap[size++] = i;
    for (let i = (size >> 1) - 1; i >= 0; i--) down(i);
    const outTime = new Float64Array(MERGE_BLOCK);
    const outInts = new Int32Array(MERGE_BLOCK * SPOOL_INTS);
    let out = 0;
    while (size > 0) {
      const top = heap[0]!;
      const cur = cursors[top]!;
      // take records from the same chunk while they come first (a run, in mostly sorted logs)
      const limit = size > 1 ? cursors[heap[1]!]! : undefined;
      const limit2 = size > 2 ? cursors[heap[2]!]! : undefined;
      do {
        outTime[out] = cur.time;
        cur.copyInts(outInts, out * SPOOL_INTS);
        if (++out === MERGE_BLOCK) {
          yield { time: outTime, ints: outInts, count: out };
          out = 0;
        }
        cur.next();
      } while (cur.remaining > 0 && (limit === undefined || limit.remaining === 0 || less(top, heap[1]!)) && (limit2 === undefined || limit2.remaining === 0 || less(top, heap[2]!)));
      if (cur.remaining === 0) {
        heap[0] = heap[--size]!;
      }
      down(0);
    }
    if (out > 0) yield { time: outTime, ints: outInts, count: out };
  }
}

/** A read position in a sealed chunk; spilled chunks are read a block at a time. */
class Cursor {
  time = 0;
  remaining: number;
  private at = 0;
  private readonly times: Float64Array;
  private readonly ints: Int32Array;
  private base = 0;
  private readonly blockTime?: Uint8Array;
  private readonly blockInts?: Uint8Array;

  constructor(
    private readonly c: Sealed,
    private readonly file: SpillFile | undefined,
  ) {
    this.remaining = c.count;
    if (c.mem) {
      this.times = c.mem.time;
      this.ints = c.mem.ints;
    } else {
      this.times = new Float64Array(MERGE_BLOCK);
      this.ints = new Int32Array(MERGE_BLOCK * SPOOL_INTS);
      this.blockTime = new Uint8Array(this.times.buffer);
      this.blockInts = new Uint8Array(this.ints.buffer);
      this.fill();
    }
    if (this.remaining > 0) this.time = this.times[0]!;
  }

  copyInts(into: Int32Array, to: number): void {
    const from = (this.at - this.base) * SPOOL_INTS;
    into[to] = this.ints[from]!;
    into[to + 1] = this.ints[from + 1]!;
    into[to + 2] = this.ints[from + 2]!;
    into[to + 3] = this.ints[from + 3]!;
  }

  next(): void {
    this.at++;
    if (--this.remaining === 0) return;
    if (this.c.mem === undefined && this.at - this.base === MERGE_BLOCK) this.fill();
    this.time = this.times[this.at - this.base]!;
  }

  /** Read the block starting at record `at` from the spill file. */
  private fill(): void {
    this.base = this.at;
    const n = Math.min(MERGE_BLOCK, this.c.count - this.at);
    this.file!.read(this.c.at + this.at * 8, this.blockTime!.subarray(0, n * 8));
    this.file!.read(this.c.at + this.c.count * RECORD_TIME_BYTES + this.at * RECORD_INTS_BYTES, this.blockInts!.subarray(0, n * RECORD_INTS_BYTES));
  }
}

function newChunk(): Chunk {
  const buf = new ArrayBuffer(CHUNK_BYTES);
  return { time: new Float64Array(buf, 0, SPOOL_CHUNK), ints: new Int32Array(buf, TIME_BYTES, SPOOL_CHUNK * SPOOL_INTS) };
}

/** `c`'s first `count` records in time order, equal times in push order: `c` itself when already so, else a sorted copy. */
function sortByTime(c: Chunk, count: number): Chunk {
  const time = c.time;
  let sorted = true;
  for (let i = 1; i < count; i++) {
    if (time[i]! < time[i - 1]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return c;
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => time[a]! - time[b]! || a - b);
  const out = newChunk();
  for (let i = 0; i < count; i++) {
    const from = order[i]!;
    out.time[i] = time[from]!;
    const a = from * SPOOL_INTS;
    const b = i * SPOOL_INTS;
    out.ints[b] = c.ints[a]!;
    out.ints[b + 1] = c.ints[a + 1]!;
    out.ints[b + 2] = c.ints[a + 2]!;
    out.ints[b + 3] = c.ints[a + 3]!;
  }
  return out;
}
