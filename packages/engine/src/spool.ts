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

/** Records per chunk: 20 bytes each (time, app, subject, group mask), so 1.25 MiB a chunk. */
export const SPOOL_CHUNK = 1 << 16;
const CHUNK_BYTES = SPOOL_CHUNK * 20;
/** Default memory bound before chunks go to the spill file. */
export const SPOOL_MEMORY = 16 * 1024 * 1024;

interface Chunk {
  readonly time: Float64Array;
  /** app, subject, mask per record */
  readonly ints: Int32Array;
}

/**
 * Requests whose verdict waits for the final app tags, in input order, as fixed-width
 * records in typed-array chunks. Chunks stay in memory up to a bound, then go to a spill file
 * (when one is given), so memory stays flat in the size of the log. Replayed once, in order.
 */
export class Spool {
  private readonly kept: Chunk[] = [];
  private current: OwnChunk = newChunk();
  private n = 0;
  private file: SpillFile | undefined;
  private spilled = 0;
  private readonly maxKept: number;
  length = 0;

  constructor(
    private readonly spill?: SpillFactory,
    memoryBytes = SPOOL_MEMORY,
  ) {
    this.maxKept = Math.max(1, Math.floor(memoryBytes / CHUNK_BYTES));
  }

  push(time: number, app: number, subject: number, mask: number): void {
    const c = this.current;
    const i = this.n;
    c.time[i] = time;
    c.ints[i * 3] = app;
    c.ints[i * 3 + 1] = subject;
    c.ints[i * 3 + 2] = mask;
    this.length++;
    if (++this.n === SPOOL_CHUNK) this.flush();
  }

  /** Chunks spilled to the file so far. */
  get spilledChunks(): number {
    return this.spilled;
  }

  /** Every record, in push order, chunk by chunk: `visit(time, ints, count)`. */
  replay(visit: (time: Float64Array, ints: Int32Array, count: number) => void): void {
    for (const c of this.kept) visit(c.time, c.ints, SPOOL_CHUNK);
    if (this.spilled > 0) {
      const buf = new Uint8Array(CHUNK_BYTES);
      const c: Chunk = { time: new Float64Array(buf.buffer, 0, SPOOL_CHUNK), ints: new Int32Array(buf.buffer, SPOOL_CHUNK * 8, SPOOL_CHUNK * 3) };
      for (let k = 0; k < this.spilled; k++) {
        this.file!.read(k * CHUNK_BYTES, buf);
        visit(c.time, c.ints, SPOOL_CHUNK);
      }
    }
    if (this.n > 0) visit(this.current.time, this.current.ints, this.n);
  }

  /** Drop the chunks and close (delete) the spill file. */
  close(): void {
    this.kept.length = 0;
    const f = this.file;
    this.file = undefined;
    f?.close();
  }

  private flush(): void {
    if (this.kept.length < this.maxKept || !this.spill) {
      this.kept.push(this.current);
      this.current = newChunk();
    } else {
      // one buffer holds both columns, written in one call and read back the same way
      this.file ??= this.spill();
      this.file.write(this.current.bytes());
      this.spilled++;
    }
    this.n = 0;
  }
}

type OwnChunk = Chunk & { bytes(): Uint8Array };

function newChunk(): OwnChunk {
  const buf = new ArrayBuffer(CHUNK_BYTES);
  return { time: new Float64Array(buf, 0, SPOOL_CHUNK), ints: new Int32Array(buf, SPOOL_CHUNK * 8, SPOOL_CHUNK * 3), bytes: () => new Uint8Array(buf) };
}
