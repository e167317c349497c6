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
      this.strings.push(s);
      this.map.set(s, v);
    }
    return v;
  }

  get size(): number {
    return this.strings.length;
  }
}
