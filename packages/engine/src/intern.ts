/**
 * Strings (user names, device names, source IPs) to small integer ids, one map lookup each.
 * The aggregation counts distinct ids instead of holding a set of strings per app per day, and
 * the warn-bypass state and group masks are keyed by ids as well.
 */
export class StringIds {
  private readonly map = new Map<string, number>();
  /** id → string */
  readonly strings: string[] = [];

  id(s: string): number {
    let v = this.map.get(s);
    if (v === undefined) {
      v = this.strings.length;
      const own = ownString(s);
      this.strings.push(own);
      this.map.set(own, v);
    }
    return v;
  }

  get size(): number {
    return this.strings.length;
  }
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
