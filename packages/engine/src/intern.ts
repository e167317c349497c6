/**
 * Strings (user names, device names, source IPs) to small integer ids, one lookup each.
 * The aggregation counts distinct ids instead of holding a set of strings per app per day, and
 * the warn-bypass state and group masks are keyed by ids as well.
 *
 * IPv4 addresses written the one canonical way (`10.0.0.5`: four decimal octets, no leading
 * zeros) are looked up by their 32-bit value in a table of their own. A DNS log names tens of
 * thousands of client addresses, each line a new string object whose hash a `Map` computes again
 * and whose characters it compares with the key's, two loads from anywhere in the heap; the
 * value is read from the characters in one pass and its table is two typed arrays. The value
 * and the string determine each other, so an address gets the same id either way.
 */
export class StringIds {
  private readonly map = new Map<string, number>();
  /** id → string */
  readonly strings: string[] = [];
  /** IPv4 values (as int32) and their ids + 1 (0: an empty slot), open addressing. */
  private v4Keys = new Int32Array(1 << 12);
  private v4Ids = new Int32Array(1 << 12);
  private v4Size = 0;

  id(s: string): number {
    const v = ipv4Value(s);
    if (v >= 0) return this.v4Id(v | 0, s);
    let id = this.map.get(s);
    if (id === undefined) {
      id = this.strings.length;
      const own = ownString(s);
      this.strings.push(own);
      this.map.set(own, id);
    }
    return id;
  }

  get size(): number {
    return this.strings.length;
  }

  private v4Id(key: number, s: string): number {
    const keys = this.v4Keys;
    const ids = this.v4Ids;
    const mask = keys.length - 1;
    let i = mix(key) & mask;
    for (;;) {
      const id = ids[i]! - 1;
      if (id < 0) break;
      if (keys[i] === key) return id;
      i = (i + 1) & mask;
    }
    const id = this.strings.length;
    this.strings.push(ownString(s));
    keys[i] = key;
    ids[i] = id + 1;
    if (++this.v4Size * 2 > keys.length) this.growV4();
    return id;
  }

  private growV4(): void {
    const oldKeys = this.v4Keys;
    const oldIds = this.v4Ids;
    const keys = (this.v4Keys = new Int32Array(oldKeys.length * 2));
    const ids = (this.v4Ids = new Int32Array(oldKeys.length * 2));
    const mask = keys.length - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      if (oldIds[j] === 0) continue;
      let i = mix(oldKeys[j]!) & mask;
      while (ids[i] !== 0) i = (i + 1) & mask;
      keys[i] = oldKeys[j]!;
      ids[i] = oldIds[j]!;
    }
  }
}

function mix(k: number): number {
  let h = Math.imul(k, 0x9e3779b1);
  h ^= h >>> 16;
  return h;
}

/**
 * The 32-bit value of a canonical dotted-quad IPv4 address (0 to 2^32 − 1), or -1 for any other
 * text (a name, IPv6, leading zeros, an octet over 255), which is interned as a string.
 */
export function ipv4Value(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || (digits === 1 && octet === 0)) return -1; // a leading zero
      octet = octet * 10 + d;
      if (++digits > 3 || octet > 255) return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/**
 * `s` in its own memory. A log reader slices a record's fields out of the text of a whole block
 * of lines (64 KiB), and V8 keeps a slice of 13 characters or more as a view of its parent:
 * a user name kept for the whole run would keep its block alive with it, so a log where new
 * users keep appearing would hold most of itself in memory. Kept strings are copied once.
 */
export function ownString(s: string): string {
  return (" " + s).slice(1);
}
