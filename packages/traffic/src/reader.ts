import { isAscii, isUtf8 } from "node:buffer";
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { Readable, pipeline } from "node:stream";
import { TextDecoder } from "node:util";
import { createGunzip } from "node:zlib";
import { csvUnterminated } from "./csv-split.js";
import { DETECT_LINES, detectFormat } from "./detect.js";
import { BYTES_PARSERS, PARSERS, RANGE_PARSERS, type BytesLineParser, type LineParser, type RangeLineParser } from "./parse.js";
import { createParseState, primeState, type ParseState } from "./state.js";
import type { LineResult, ReadOptions, ReadSummary, RejectedLine, TrafficFormat, TrafficRecord } from "./types.js";
import { sampleOf } from "./util.js";

/** Bytes read from the file at a time (and the most decompressed at a time). */
const CHUNK = 1 << 20;
/**
 * Bytes parsed at a time: 64 KiB, about 500 Squid lines, a batch handed out between blocks when
 * it is full. A block's records live until the engine has taken them; parsed a megabyte (7,500
 * lines) at a time, the young-generation collections found most of them alive, copied them and
 * promoted many, and the run spent about 1.6 times as long collecting (--trace-gc, a million
 * Squid lines). Reading stays a megabyte at a time: each read is a trip to the thread pool.
 */
const PARSE_BLOCK = 1 << 16;
/** Records handed out per batch, at least: small, for the same reason. */
const BATCH = 256;
/** Bytes of the start of a file looked at to detect its format. */
const HEAD = 64 * 1024;
const DEFAULT_MAX_LINE = 1 << 20;
/** Physical lines a quoted CSV field may span before the record is given up. */
const MAX_CSV_LINES = 1000;

interface Counters {
  lines: number;
  records: number;
  rejected: number;
  skipped: number;
}

/**
 * Reads one traffic log: `for await (const batch of reader)` gives arrays of records, in file
 * order; summary() gives the counts so far (final once iteration ends). Memory stays flat
 * whatever the file size: the file is read in 1 MiB chunks, and a line longer than maxLineBytes
 * is rejected without being held. Gzip is recognised by its magic bytes. Iterating again reads
 * the file again.
 *
 * I/O errors (missing file, permission) are thrown. Problems with the data never are: bad lines
 * are rejected (onReject) and counted; a truncated or corrupt gzip stream or an unrecognised
 * format ends the read with summary().error set, after everything readable was delivered.
 */
export class TrafficReader implements AsyncIterable<TrafficRecord[]> {
  private counts: Counters = { lines: 0, records: 0, rejected: 0, skipped: 0 };
  private format: TrafficFormat | undefined;
  private bytes = 0;
  private error: string | undefined;

  constructor(
    readonly path: string,
    readonly options: ReadOptions = {},
  ) {
    this.format = options.format;
  }

  summary(): ReadSummary {
    const s: ReadSummary = { file: this.path, format: this.format, ...this.counts, bytes: this.bytes };
    if (this.error !== undefined) s.error = this.error;
    return s;
  }

  /**
   * A reader over bytes that arrive as a stream (standard input, a pipe): read once, in order,
   * gzip recognised by its magic bytes; `name` stands for the file in messages and the summary.
   * Without a file's modification time, years missing from timestamps are placed at or before now.
   */
  static fromStream(name: string, chunks: AsyncIterable<Uint8Array>, options: ReadOptions = {}): TrafficReader {
    const reader = new TrafficReader(name, options);
    reader.stream = chunks;
    return reader;
  }

  private stream: AsyncIterable<Uint8Array> | undefined;
  private streamUsed = false;
  private range: ByteRange | undefined;

  /**
   * A reader over bytes [start, end) of an uncompressed file, a range given by splitRanges: the
   * format is detected (and Zeek or CSV headers learnt) from the head of the whole file, line
   * numbers count from the range's first line (add the lines of the ranges before it), and the
   * summary counts the range's lines only.
   */
  static range(path: string, range: ByteRange, options: ReadOptions = {}): TrafficReader {
    const reader = new TrafficReader(path, options);
    reader.range = range;
    return reader;
  }

  /**
   * Cut a file into at most \`parts\` line-aligned byte ranges for readers in parallel (each
   * range ends just after a line break, so no line is read twice or cut), or undefined when the
   * file cannot be read in pieces: compressed, UTF-16, not a regular file, or in a format whose
   * lines depend on the lines before them (CSV quotes and headers, Zeek TSV headers, year-less
   * syslog stamps, a JSON array).
   */
  static async splitRanges(path: string, parts: number, options: Pick<ReadOptions, "format" | "csv"> = {}, weights?: readonly number[]): Promise<ByteRange[] | undefined> {
    if (parts < 2 || options.csv !== undefined) return undefined;
    const fh = await open(path, "r");
    try {
      const st = await fh.stat();
      if (!st.isFile() || st.size < parts * CHUNK) return undefined;
      const head = await readAt(fh, 0, Math.min(HEAD, st.size));
      if ((head[0] === 0x1f && head[1] === 0x8b) || (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return undefined;
      const format = options.format ?? detectFormat(headLines(head, head.length === st.size));
      if (format === undefined || !SPLITTABLE.has(format)) return undefined;
      if (format === "mde-json" && firstNonSpace(head) === 0x5b) return undefined;
      // where the k-th range starts, as a fraction of the file (equal parts unless weighted)
      const total = weights?.slice(0, parts).reduce((a, b) => a + b, 0);
      const share = (k: number) => (weights && total ? weights.slice(0, k).reduce((a, b) => a + b, 0) / total : k / parts);
      const cuts = [0];
      for (let k = 1; k < parts; k++) {
        const from = Math.max(Math.floor(st.size * share(k)), cuts[cuts.length - 1]!);
        // the range ends after the first line break at or after the cut
        let pos = from;
        let found = -1;
        while (found < 0 && pos < st.size && pos - from <= DEFAULT_MAX_LINE) {
          const buf = await readAt(fh, pos, Math.min(64 * 1024, st.size - pos));
          if (buf.length === 0) break;
          const nl = buf.indexOf(10);
          if (nl >= 0) found = pos + nl + 1;
          pos += buf.length;
        }
        if (found < 0 || found >= st.size) break;
        if (found > cuts[cuts.length - 1]!) cuts.push(found);
      }
      if (cuts.length < 2) return undefined;
      return cuts.map((start, i) => ({ start, end: i + 1 < cuts.length ? cuts[i + 1]! : st.size }));
    } finally {
      await fh.close();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TrafficRecord[]> {
    this.counts = { lines: 0, records: 0, rejected: 0, skipped: 0 };
    this.bytes = 0;
    this.error = undefined;
    this.format = this.options.format;
    let input: Opened;
    if (this.stream !== undefined) {
      if (this.streamUsed) throw new Error(`${this.path}: a stream can be read only once`);
      this.streamUsed = true;
      input = await openStream(this.stream);
    } else input = await openFile(this.path, this.range);
    const { gzip, mtime } = input;
    // a range after the first: the format and headers come from the head of the whole file
    const fileHead = this.range !== undefined && this.range.start > 0 ? await readFileHead(this.path) : undefined;
    let raw: Readable | undefined;
    let source: AsyncIterable<Buffer> = input.chunks;
    if (gzip) {
      raw = Readable.from(input.chunks);
      const gunzip = createGunzip({ chunkSize: 256 * 1024 });
      pipeline(raw, gunzip, () => {
        /* errors surface through the iteration below */
      });
      source = gunzip;
    }
    const it = utf16ToUtf8(source)[Symbol.asyncIterator]();
    let engine: Engine | undefined;
    let batch: TrafficRecord[] = [];
    let failure: unknown;
    try {
      // the head of the file: enough to detect the format
      const head: Buffer[] = [];
      let headBytes = 0;
      let eof = false;
      try {
        while (headBytes < HEAD && countNewlines(head) < DETECT_LINES) {
          const r = await it.next();
          if (r.done) {
            eof = true;
            break;
          }
          head.push(r.value);
          headBytes += r.value.length;
        }
      } catch (e) {
        failure = e;
      }
      const headBuf = Buffer.concat(head);
      engine = fileHead !== undefined ? this.startEngine(fileHead.head, fileHead.complete, mtime) : this.startEngine(headBuf, eof || failure !== undefined, mtime);
      if (engine === undefined) {
        if (failure !== undefined) {
          if (!gzip || isIoError(failure)) throw failure;
          this.error = gzipError(failure, 0);
        }
        if (this.error === undefined && input.shrank() !== undefined) this.error = input.shrank();
        return;
      }
      this.bytes += headBuf.length;
      engine.push(headBuf, batch);
      if (failure === undefined && !eof) {
        try {
          for (;;) {
            if (batch.length >= BATCH) {
              yield batch;
              batch = [];
            }
            const r = await it.next();
            if (r.done) break;
            const chunk = r.value;
            this.bytes += chunk.length;
            for (let at = 0; at < chunk.length; at += PARSE_BLOCK) {
              if (batch.length >= BATCH) {
                yield batch;
                batch = [];
              }
              engine.push(chunk.subarray(at, Math.min(at + PARSE_BLOCK, chunk.length)), batch);
            }
          }
        } catch (e) {
          failure = e;
        }
      }
      if (failure !== undefined) {
        if (!gzip || isIoError(failure)) throw failure;
        this.error = gzipError(failure, this.counts.lines);
      }
      engine.end(batch, failure !== undefined ? "a truncated gzip stream" : input.shrank() !== undefined ? "a file truncated while it was read" : undefined);
      if (this.error === undefined && input.shrank() !== undefined) this.error = `${input.shrank()}; the ${this.counts.lines} lines read before were used`;
      if (batch.length > 0) yield batch;
    } finally {
      raw?.destroy();
      await input.close();
    }
  }

  /** Detect the format from the head of the file and make the engine that parses it. */
  private startEngine(head: Buffer, complete: boolean, mtime: number): Engine | undefined {
    const headText = head.toString("utf8");
    const firstLines = headLines(head, complete);
    let format = this.options.format;
    if (format === undefined) {
      if (this.options.csv !== undefined) format = "csv";
      else format = detectFormat(firstLines);
    }
    if (format === undefined) {
      if (headText.trim().length > 0) this.error = "unrecognised log format; pass a format";
      return undefined;
    }
    this.format = format;
    const state = createParseState(format, { year: this.options.year, utcOffsetMinutes: this.options.utcOffsetMinutes, csv: this.options.csv, notAfter: mtime });
    primeState(state, firstLines);
    const maxLine = this.options.maxLineBytes ?? DEFAULT_MAX_LINE;
    if (format === "mde-json" && firstNonSpace(head) === 0x5b) return new JsonArrayEngine(this.path, state, this.counts, this.options.onReject, maxLine);
    return new LineEngine(this.path, format, state, this.counts, this.options.onReject, maxLine);
  }
}

/** A part of a file: bytes [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Formats whose every line parses on its own, so a file in them can be read in ranges. */
const SPLITTABLE: ReadonlySet<TrafficFormat> = new Set(["squid-native", "squid-common", "zeek-json", "mde-json", "bind"]);

/** The first lines of a file's head, for format detection (whole lines only unless complete). */
function headLines(head: Buffer, complete: boolean): string[] {
  const headText = head.toString("utf8");
  let end = headText.length;
  if (!complete) {
    // whole lines only, unless the head has no line break at all (one-line JSON array)
    const nl = headText.lastIndexOf("\n");
    if (nl >= 0) end = nl;
  }
  return headText.slice(0, end).split("\n", DETECT_LINES);
}

async function readFileHead(path: string): Promise<{ head: Buffer; complete: boolean }> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    return { head: await readAt(fh, 0, Math.min(HEAD, size)), complete: size <= HEAD };
  } finally {
    await fh.close();
  }
}

/** Stream the records of a traffic log in batches; see TrafficReader. */
export function readTraffic(path: string, opts?: ReadOptions): TrafficReader {
  return new TrafficReader(path, opts);
}

/** Bytes to read, and what is known about them before reading. */
interface Opened {
  readonly chunks: AsyncIterable<Buffer>;
  readonly gzip: boolean;
  /** Modification time (ms) for the year of timestamps without one. */
  readonly mtime: number;
  /** Set once the input turned out shorter than it was when opened (truncated while read). */
  shrank(): string | undefined;
  close(): Promise<void>;
}

/**
 * A file as it is when opened: its size then is where the read ends, so a log still being
 * written to is read up to that point (and the line being written then, once finished) instead
 * of being chased forever. A file that shrinks under the read (truncated, rotated by
 * copy-and-truncate) ends the read where the data stopped, and says so.
 */
async function openFile(path: string, range?: ByteRange): Promise<Opened> {
  const fh = await open(path, "r");
  let size: number;
  let mtime: number;
  let gzip: boolean;
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path} is a directory`), { code: "EISDIR" });
    // a named pipe or a device (`--traffic /dev/stdin`, `<(zcat log.gz)`) has no size: read it to its end
    if (!st.isFile()) return openStream(fh.createReadStream({ highWaterMark: CHUNK }), () => fh.close().catch(() => undefined));
    size = range !== undefined && range.end < st.size ? range.end : st.size;
    mtime = st.mtimeMs;
    const magic = Buffer.alloc(2);
    const { bytesRead } = await fh.read(magic, 0, 2, 0);
    gzip = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (e) {
    await fh.close();
    throw e;
  }
  let shrank: string | undefined;
  async function* chunks(): AsyncGenerator<Buffer> {
    let pos = range?.start ?? 0;
    let last = 10;
    // one read ahead, so the disk works while the previous chunk is parsed
    let next = pos < size ? readAt(fh, pos, Math.min(CHUNK, size - pos)) : undefined;
    while (next !== undefined) {
      const buf = await next;
      if (buf.length === 0) {
        shrank = `the file was truncated while it was read (${size} bytes when opened, ${pos} read)`;
        return;
      }
      pos += buf.length;
      next = pos < size ? readAt(fh, pos, Math.min(CHUNK, size - pos)) : undefined;
      last = buf[buf.length - 1]!;
      yield buf;
    }
    // the line being written when the read began: take it once its writer has finished it
    if (gzip || last === 10) return;
    const started = pos;
    while (pos - started <= DEFAULT_MAX_LINE) {
      const buf = await readAt(fh, pos, 64 * 1024);
      if (buf.length === 0) return;
      const nl = buf.indexOf(10);
      if (nl >= 0) {
        yield buf.subarray(0, nl + 1);
        return;
      }
      pos += buf.length;
      yield buf;
    }
  }
  return { chunks: chunks(), gzip, mtime, shrank: () => shrank, close: () => fh.close().catch(() => undefined) };
}

function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  const p = fh.read(buf, 0, length, position).then(({ bytesRead }) => buf.subarray(0, bytesRead));
  // a read still in flight when the consumer stops is not an unhandled rejection
  p.catch(() => undefined);
  return p;
}

/** A stream (standard input, a pipe): gzip is recognised from its first two bytes. */
async function openStream(src: AsyncIterable<Uint8Array>, release?: () => Promise<unknown>): Promise<Opened> {
  const it = src[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 2) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    head.push(b);
    headBytes += b.length;
  }
  const first = Buffer.concat(head);
  const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  async function* chunks(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    }
  }
  return {
    chunks: chunks(),
    gzip,
    mtime: Date.now(),
    shrank: () => undefined,
    close: async () => {
      await it.return?.();
      await release?.();
    },
  };
}

/**
 * Logs saved as UTF-16 (PowerShell's Out-File, some Windows exports), recognised by their byte
 * order mark, are transcoded to UTF-8 on the way in; anything else passes through untouched.
 */
async function* utf16ToUtf8(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let decoder: TextDecoder | undefined;
  let first = true;
  for await (const chunk of src) {
    if (first) {
      first = false;
      if (chunk[0] === 0xff && chunk[1] === 0xfe) decoder = new TextDecoder("utf-16le");
      else if (chunk[0] === 0xfe && chunk[1] === 0xff) decoder = new TextDecoder("utf-16be");
    }
    if (decoder === undefined) yield chunk;
    else {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield Buffer.from(text, "utf8");
    }
  }
  if (decoder !== undefined) {
    const text = decoder.decode();
    if (text.length > 0) yield Buffer.from(text, "utf8");
  }
}

function gzipError(e: unknown, lines: number): string {
  return `truncated or corrupt gzip stream (${e instanceof Error ? e.message : String(e)}) after ${lines} lines`;
}

function isIoError(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && !code.startsWith("Z_") && code !== "ERR_STREAM_PREMATURE_CLOSE";
}

function countNewlines(bufs: readonly Buffer[]): number {
  let n = 0;
  for (const b of bufs) {
    let i = -1;
    while ((i = b.indexOf(10, i + 1)) >= 0) if (++n >= DETECT_LINES) return n;
  }
  return n;
}

function firstNonSpace(b: Buffer): number {
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

interface Engine {
  push(chunk: Buffer, out: TrafficRecord[]): void;
  /** No more input; `truncated`: why the input stopped early (corrupt compressed stream, file cut while read). */
  end(out: TrafficRecord[], truncated: string | undefined): void;
}

/** A parser that threw: the line is rejected with the reason, the run goes on. */
function internalError(e: unknown): LineResult {
  return { reason: "internal parser error: " + (e instanceof Error ? e.message : String(e)) };
}

/** What both engines share: counting, rejecting, calling the parser. */
abstract class Base {
  constructor(
    protected readonly file: string,
    protected readonly state: ParseState,
    protected readonly counts: Counters,
    protected readonly onReject: ((r: RejectedLine) => void) | undefined,
    protected readonly maxLine: number,
  ) {}

  protected rejectLine(n: number, reason: string, text: string): void {
    this.counts.rejected++;
    if (this.onReject !== undefined) this.onReject({ file: this.file, line: n, reason, sample: sampleOf(text) });
  }

  protected parse(parser: LineParser, text: string, n: number, out: TrafficRecord[]): void {
    let r;
    try {
      r = parser(text, this.state, n);
    } catch (e) {
      r = internalError(e);
    }
    this.take(r, n, text, out);
  }

  /** A parser's answer for line `n`: a record, a skip, or a rejection with `text` as its sample (a string, or a function making it). */
  protected take(r: LineResult, n: number, text: string | (() => string), out: TrafficRecord[]): void {
    if (r === "skip") this.counts.skipped++;
    else if ((r as { reason?: string }).reason !== undefined) this.rejectLine(n, (r as { reason: string }).reason, typeof text === "string" ? text : text());
    else {
      this.counts.records++;
      out.push(r as TrafficRecord);
    }
  }
}

/**
 * Splits bytes into lines, decodes them in large blocks, and parses each line; a format with a
 * bytes parser (BYTES_PARSERS) reads its ASCII blocks from the bytes instead.
 */
class LineEngine extends Base implements Engine {
  private readonly parser: LineParser;
  private readonly bytesParser: BytesLineParser | undefined;
  private readonly rangeParser: RangeLineParser | undefined;
  private carry: Buffer | undefined;
  /** Inside a line longer than maxLine: its first bytes (for the sample) and its length so far. */
  private overlong: { head: Buffer; bytes: number } | undefined;
  private readonly csvDelim: number;
  private readonly joinCsv: boolean;
  private pending: string[] | undefined;
  private pendingText = "";
  private pendingStart = 0;
  private hasNul = false;

  constructor(file: string, format: TrafficFormat, state: ParseState, counts: Counters, onReject: ((r: RejectedLine) => void) | undefined, maxLine: number) {
    super(file, state, counts, onReject, maxLine);
    this.parser = PARSERS[format];
    this.bytesParser = BYTES_PARSERS[format];
    this.rangeParser = RANGE_PARSERS[format];
    this.joinCsv = format === "csv" || format === "mde-csv";
    this.csvDelim = state.csvDelimiter.charCodeAt(0);
  }

  push(chunk: Buffer, out: TrafficRecord[]): void {
    let buf = chunk;
    let start = 0;
    if (this.overlong !== undefined) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        this.overlong.bytes += buf.length;
        return;
      }
      this.overlong.bytes += nl;
      this.finishOverlong();
      start = nl + 1;
    } else if (this.carry !== undefined) {
      // the line cut at the end of the last chunk: joined with its end only, not the whole chunk
      const nl = chunk.indexOf(10);
      if (nl < 0) buf = Buffer.concat([this.carry, chunk]);
      else {
        const line = Buffer.concat([this.carry, chunk.subarray(0, nl + 1)]);
        this.block(line, 0, line.length, out);
        start = nl + 1;
      }
      this.carry = undefined;
    }
    const last = buf.lastIndexOf(10);
    if (last >= start) {
      this.block(buf, start, last + 1, out);
      start = last + 1;
    }
    if (start < buf.length) {
      const rest = buf.subarray(start);
      if (rest.length > this.maxLine) this.overlong = { head: Buffer.from(rest.subarray(0, 800)), bytes: rest.length };
      else this.carry = rest;
    }
  }

  end(out: TrafficRecord[], truncated: string | undefined): void {
    if (this.overlong !== undefined) this.finishOverlong();
    if (this.carry !== undefined && this.carry.length > 0) {
      const last = this.carry;
      this.carry = undefined;
      if (truncated !== undefined) {
        const n = ++this.counts.lines;
        this.rejectLine(n, `incomplete line at the end of ${truncated}`, last.toString("utf8"));
      } else {
        const withNl = Buffer.concat([last, Buffer.from("\n")]);
        this.block(withNl, 0, withNl.length, out);
      }
    }
    if (this.pending !== undefined) this.giveUpPending(out, "unterminated quoted field at the end of the file");
  }

  private finishOverlong(): void {
    const o = this.overlong!;
    this.overlong = undefined;
    const n = ++this.counts.lines;
    this.rejectLine(n, `line longer than ${this.maxLine} bytes (${o.bytes} bytes)`, o.head.toString("utf8"));
  }

  /** Lines in buf[s, e), which ends with a line break. */
  private block(buf: Buffer, s: number, e: number, out: TrafficRecord[]): void {
    const sub = buf.subarray(s, e);
    this.hasNul = sub.indexOf(0) >= 0;
    let text: string;
    const ascii = isAscii(sub);
    if (ascii && !this.hasNul && this.bytesParser !== undefined) {
      this.bytesBlock(this.bytesParser, buf, s, e, out);
      return;
    }
    if (ascii) text = buf.toString("latin1", s, e);
    else if (isUtf8(sub)) text = buf.toString("utf8", s, e);
    else {
      this.slowBlock(sub, out);
      return;
    }
    if (this.rangeParser !== undefined && !this.hasNul) {
      this.rangeBlock(this.rangeParser, text, out);
      return;
    }
    const len = text.length;
    let pos = 0;
    while (pos < len) {
      const nl = text.indexOf("\n", pos);
      this.line(text.slice(pos, nl), out);
      pos = nl + 1;
    }
  }

  /**
   * A decoded block without NUL, line by line through the format's range parser, each line read
   * where it is in `text`; the file's first line (a byte-order mark) and overlong lines go
   * through `line`, as `block` would send them.
   */
  private rangeBlock(parser: RangeLineParser, text: string, out: TrafficRecord[]): void {
    const len = text.length;
    let pos = 0;
    while (pos < len) {
      const nl = text.indexOf("\n", pos);
      const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      const n = this.counts.lines + 1;
      if (n === 1 || end - pos > this.maxLine) this.line(text.slice(pos, nl), out);
      else {
        this.counts.lines = n;
        let r: LineResult;
        try {
          r = parser(text, pos, end, this.state, n);
        } catch (err) {
          r = internalError(err);
        }
        const from = pos;
        this.take(r, n, () => text.slice(from, end), out);
      }
      pos = nl + 1;
    }
  }

  /**
   * An ASCII block without NUL, line by line from the bytes through the format's bytes parser;
   * a line it leaves (a header, an overlong line) is decoded and read as text, as `block` would.
   */
  private bytesBlock(parser: BytesLineParser, buf: Buffer, s: number, e: number, out: TrafficRecord[]): void {
    let pos = s;
    while (pos < e) {
      const nl = buf.indexOf(10, pos);
      const end = nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl;
      let r: LineResult | undefined;
      const n = this.counts.lines + 1;
      if (end - pos <= this.maxLine) {
        try {
          r = parser(buf, pos, end, this.state, n);
        } catch (err) {
          r = internalError(err);
        }
      }
      if (r === undefined) this.line(buf.toString("latin1", pos, nl), out);
      else {
        this.counts.lines = n;
        const from = pos;
        this.take(r, n, () => buf.toString("latin1", from, end), out);
      }
      pos = nl + 1;
    }
  }

  /** A block with invalid UTF-8 somewhere: check line by line. */
  private slowBlock(sub: Buffer, out: TrafficRecord[]): void {
    let pos = 0;
    while (pos < sub.length) {
      const nl = sub.indexOf(10, pos);
      const lineBytes = sub.subarray(pos, nl);
      pos = nl + 1;
      if (isUtf8(lineBytes)) this.line(lineBytes.toString("utf8"), out);
      else {
        const n = ++this.counts.lines;
        this.rejectLine(n, "invalid UTF-8", lineBytes.toString("utf8"));
      }
    }
  }

  private line(raw: string, out: TrafficRecord[]): void {
    const n = ++this.counts.lines;
    let line = raw;
    const len = line.length;
    if (len > 0 && line.charCodeAt(len - 1) === 13) line = line.slice(0, len - 1);
    if (n === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (this.hasNul && line.indexOf("\0") >= 0) {
      this.rejectLine(n, "NUL bytes in the line", line);
      return;
    }
    if (line.length > this.maxLine) {
      this.rejectLine(n, `line longer than ${this.maxLine} bytes (${line.length} characters)`, line);
      return;
    }
    if (this.joinCsv) this.csvLine(line, n, out);
    else this.parse(this.parser, line, n, out);
  }

  /** CSV records may span lines inside quoted fields: join them before parsing. */
  private csvLine(line: string, n: number, out: TrafficRecord[]): void {
    if (this.pending !== undefined) {
      this.pending.push(line);
      this.pendingText += "\n" + line;
      if (!csvUnterminated(this.pendingText, this.csvDelim)) {
        const text = this.pendingText;
        this.pending = undefined;
        this.pendingText = "";
        this.parse(this.parser, text, this.pendingStart, out);
      } else if (this.pending.length >= MAX_CSV_LINES || this.pendingText.length > this.maxLine) {
        this.giveUpPending(out, `unterminated quoted field (no closing quote in ${this.pending.length} lines)`);
      }
      return;
    }
    if (line.indexOf('"') >= 0 && csvUnterminated(line, this.csvDelim)) {
      this.pending = [line];
      this.pendingText = line;
      this.pendingStart = n;
      return;
    }
    this.parse(this.parser, line, n, out);
  }

  /** Reject the line that opened an unclosed quote, and read the lines after it on their own. */
  private giveUpPending(out: TrafficRecord[], reason: string): void {
    const lines = this.pending!;
    const start = this.pendingStart;
    this.pending = undefined;
    this.pendingText = "";
    this.rejectLine(start, reason, lines[0]!);
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (this.pending !== undefined) this.csvLine(line, start + i, out);
      else if (line.indexOf('"') >= 0 && csvUnterminated(line, this.csvDelim)) {
        this.pending = [line];
        this.pendingText = line;
        this.pendingStart = start + i;
      } else this.parse(this.parser, line, start + i, out);
    }
  }
}

/**
 * Streams the elements of a JSON array (`[{…},{…}]`, pretty-printed or not) by scanning bytes
 * for the end of each top-level element, then parses each element on its own; `line` is the
 * 1-based element index.
 */
class JsonArrayEngine extends Base implements Engine {
  private readonly parser: LineParser;
  private carry: Buffer | undefined;
  /** Where scanning resumes in carry+chunk. */
  private resume = 0;
  private inArray = false;
  private inElement = false;
  private inString = false;
  private depth = 0;
  /** The element is a bare value (not an object or array): it ends at `,` or `]`. */
  private scalar = false;
  /** Inside an element larger than maxLine: its first bytes and size; its bytes are not kept. */
  private dropping: { head: Buffer; bytes: number } | undefined;

  constructor(file: string, state: ParseState, counts: Counters, onReject: ((r: RejectedLine) => void) | undefined, maxLine: number) {
    super(file, state, counts, onReject, maxLine);
    this.parser = PARSERS["mde-json"];
  }

  push(chunk: Buffer, out: TrafficRecord[]): void {
    let buf = chunk;
    if (this.carry !== undefined) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    let i = this.resume;
    let elemStart = this.inElement ? 0 : -1;
    const n = buf.length;
    while (i < n) {
      if (this.inElement) {
        if (this.inString) {
          const q = buf.indexOf(34, i);
          if (q < 0) {
            i = n;
            break;
          }
          let bs = 0;
          for (let k = q - 1; k >= 0 && buf[k] === 92; k--) bs++;
          i = q + 1;
          if ((bs & 1) === 0) this.inString = false;
          continue;
        }
        const c = buf[i]!;
        if (c === 34) this.inString = true;
        else if (this.scalar) {
          if (c === 44 || c === 93) {
            this.emit(buf, elemStart, i, out);
            this.inElement = false;
            if (c === 93) this.inArray = false;
          }
        } else if (c === 123 || c === 91) this.depth++;
        else if (c === 125 || c === 93) {
          if (--this.depth === 0) {
            this.emit(buf, elemStart, i + 1, out);
            this.inElement = false;
          }
        }
        i++;
        continue;
      }
      const c = buf[i]!;
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 44 || (c === 0xef && i + 2 < n && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf)) {
        i += c === 0xef ? 3 : 1;
        continue;
      }
      if (!this.inArray && c === 91) {
        this.inArray = true;
        i++;
        continue;
      }
      if (this.inArray && c === 93) {
        this.inArray = false;
        i++;
        continue;
      }
      this.inElement = true;
      this.scalar = c !== 123 && c !== 91;
      this.inString = c === 34;
      this.depth = this.scalar ? 0 : 1;
      elemStart = i;
      i++;
    }
    if (this.inElement) {
      const size = n - elemStart + (this.dropping?.bytes ?? 0);
      if (this.dropping !== undefined || size > this.maxLine) {
        if (this.dropping === undefined) this.dropping = { head: Buffer.from(buf.subarray(elemStart, elemStart + 800)), bytes: 0 };
        this.dropping.bytes += n - elemStart;
        this.resume = 0;
        // keep the trailing backslashes so that an escape split across chunks is still seen
        let k = n;
        while (k > elemStart && buf[k - 1] === 92) k--;
        this.carry = Buffer.from(buf.subarray(k));
        this.resume = this.carry.length;
        this.dropping.bytes -= this.carry.length;
      } else {
        this.carry = buf.subarray(elemStart);
        this.resume = n - elemStart;
      }
    } else this.resume = 0;
  }

  private emit(buf: Buffer, s: number, e: number, out: TrafficRecord[]): void {
    const n = ++this.counts.lines;
    if (this.dropping !== undefined) {
      const d = this.dropping;
      this.dropping = undefined;
      this.rejectLine(n, `record longer than ${this.maxLine} bytes (${d.bytes + e - s} bytes)`, d.head.toString("utf8"));
      return;
    }
    if (e - s > this.maxLine) {
      this.rejectLine(n, `record longer than ${this.maxLine} bytes (${e - s} bytes)`, buf.toString("utf8", s, s + 800));
      return;
    }
    const sub = buf.subarray(s, e);
    let text: string;
    if (isAscii(sub)) text = buf.toString("latin1", s, e);
    else if (isUtf8(sub)) text = buf.toString("utf8", s, e);
    else {
      this.rejectLine(n, "invalid UTF-8", sub.toString("utf8"));
      return;
    }
    this.parse(this.parser, text, n, out);
  }

  end(_out: TrafficRecord[], truncated: string | undefined): void {
    if (this.inElement) {
      const n = ++this.counts.lines;
      const head = this.dropping?.head ?? this.carry ?? Buffer.alloc(0);
      this.dropping = undefined;
      this.rejectLine(n, truncated !== undefined ? `incomplete record at the end of ${truncated}` : "unterminated record at the end of the file", head.toString("utf8"));
      this.inElement = false;
    }
    this.carry = undefined;
  }
}
