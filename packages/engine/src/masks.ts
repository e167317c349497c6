import type { Plan } from "@sanction/compiler";
import { GroupResolver, type ScopeSpec, type Selector } from "./groups.js";
import type { StringIds } from "./intern.js";
import type { EngineRecord } from "./record.js";

/** Index of the single-valued selectors in the per-id caches. */
const DEVICE = 0;
const USER = 1;
const IP = 2;
const SINGLE: readonly Selector[] = ["device.name", "user", "ip"];

/**
 * The set of groups a record belongs to, as a small integer (a mask id): records are
 * counted per mask id, and scopes are checked once per mask id. Membership of a user, device
 * or source IP is cached by its interned id in a typed array, so a record costs a few array
 * reads and, when its groups differ from the previous record's, one map lookup.
 */
export class GroupMasks {
  readonly resolver: GroupResolver;
  /** mask id → the names of its groups, in plan order */
  readonly names: (readonly string[])[] = [];
  private readonly idOf = new Map<number | string, number>();
  private readonly none: boolean;
  /** One 31-bit word, and the single-valued selectors cached by id. */
  private readonly oneWord: boolean;
  private readonly uses: readonly boolean[];
  private readonly usesTags: boolean;
  private readonly usesUserGroups: boolean;
  private readonly noTags: number;
  private readonly noUserGroups: number;
  /** Per single-valued selector: the bits of a record without that attribute (logs often lack the device). */
  private readonly absent: readonly number[];
  /** Per selector: bits by string id, -1 while not computed. */
  private readonly byId: Float64Array[] = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
  private lastBits = -1;
  private lastId = -1;
  private readonly scopes = new Map<ScopeSpec, Int8Array>();

  constructor(
    groups: Plan["groups"],
    private readonly ids: StringIds,
  ) {
    this.resolver = new GroupResolver(groups);
    this.none = groups.length === 0;
    this.oneWord = this.resolver.words === 1;
    const sel = this.resolver.selectors;
    this.uses = SINGLE.map((s) => sel.has(s));
    this.usesTags = sel.has("device.tag");
    this.usesUserGroups = sel.has("user.group");
    this.noTags = this.usesTags ? this.resolver.bitsFor("device.tag", NONE)[0]! : 0;
    this.noUserGroups = this.usesUserGroups ? this.resolver.bitsFor("user.group", NONE)[0]! : 0;
    this.absent = SINGLE.map((s) => this.resolver.bitsFor(s, undefined)[0]!);
    if (this.none) this.names.push([]);
  }

  /** The mask id of a record whose user, device and source IP are `user`, `device`, `ip` (ids; -1 when absent or empty). */
  maskOf(r: EngineRecord, user: number, device: number, ip: number): number {
    if (this.none) return 0;
    if (!this.oneWord) return this.slow(r);
    let bits = 0;
    if (this.uses[DEVICE]) bits |= this.single(DEVICE, r.device, device);
    if (this.uses[USER]) bits |= this.single(USER, r.user, user);
    if (this.uses[IP]) bits |= this.single(IP, r.srcIp, ip);
    // logs rarely carry device tags or user groups: their absence is worked out once
    if (this.usesTags) bits |= r.deviceTags === undefined ? this.noTags : this.resolver.bitsFor("device.tag", r.deviceTags)[0]!;
    if (this.usesUserGroups) bits |= r.userGroups === undefined ? this.noUserGroups : this.resolver.bitsFor("user.group", r.userGroups)[0]!;
    if (bits === this.lastBits) return this.lastId;
    let id = this.idOf.get(bits);
    if (id === undefined) id = this.add(bits, this.resolver.groupNames.filter((_, i) => (bits & (1 << i)) !== 0));
    this.lastBits = bits;
    this.lastId = id;
    return id;
  }

  /** Is a record of mask `mask` inside a policy's or decision's scope? */
  inScope(mask: number, scope: ScopeSpec): boolean {
    if (scope.include === undefined && scope.exclude.length === 0) return true;
    let known = this.scopes.get(scope);
    if (!known || known.length <= mask) {
      const grown = new Int8Array(Math.max(16, this.names.length * 2));
      if (known) grown.set(known);
      this.scopes.set(scope, (known = grown));
    }
    let v = known[mask]!;
    if (v === 0) {
      const mine = this.names[mask]!;
      const ok = (scope.include === undefined || scope.include.some((g) => mine.includes(g))) && !scope.exclude.some((g) => mine.includes(g));
      known[mask] = v = ok ? 1 : 2;
    }
    return v === 1;
  }

  get count(): number {
    return this.names.length;
  }

  /** The mask id of a set of groups given by name (another thread's mask): an existing one, or a new one. */
  idOfNames(names: readonly string[]): number {
    const key = `names:${names.join("\u0000")}`;
    const known = this.idOf.get(key);
    if (known !== undefined) return known;
    const mine = this.names.findIndex((n) => n.length === names.length && n.every((g, i) => g === names[i]));
    if (mine >= 0) {
      this.idOf.set(key, mine);
      return mine;
    }
    return this.add(key, [...names]);
  }

  /** One attribute's bits: absent, by id, or (an empty string, not interned) by value. */
  private single(sel: number, value: string | undefined, id: number): number {
    if (value === undefined) return this.absent[sel]!;
    if (id < 0) return this.resolver.bitsFor(SINGLE[sel]!, value)[0]!;
    let cache = this.byId[sel]!;
    if (id >= cache.length) {
      const grown = new Float64Array(Math.max(id + 1, this.ids.size, cache.length * 2)).fill(-1);
      grown.set(cache);
      this.byId[sel] = cache = grown;
    }
    let bits = cache[id]!;
    if (bits < 0) cache[id] = bits = this.resolver.bitsFor(SINGLE[sel]!, value)[0]!;
    return bits;
  }

  /** More than 31 groups: the resolver's word arrays, keyed as text. */
  private slow(r: EngineRecord): number {
    const m = this.resolver.mask(r);
    const key = m.join(",");
    const id = this.idOf.get(key);
    if (id !== undefined) return id;
    return this.add(key, this.resolver.groupNames.filter((_, i) => (m[(i / 31) | 0]! & (1 << i % 31)) !== 0));
  }

  private add(key: number | string, names: readonly string[]): number {
    const id = this.names.length;
    this.names.push(names);
    this.idOf.set(key, id);
    return id;
  }
}

const NONE: readonly string[] = [];
