import type { Filter } from "@sanction/semantics";
import type { AttributeValue } from "@sanction/catalog";

/** What a filter can read about an app, resolved once per app. */
export interface AppFacts {
  readonly name: string;
  readonly vendor: string;
  readonly category: string;
  /** Undefined when the app is not scored (insufficient data). */
  readonly score: number | undefined;
  readonly hq: string | undefined;
  readonly tags: ReadonlySet<string>;
  /** Domain patterns as declared (`*.dropbox.com`, `www.example.com`). */
  readonly domains: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/**
 * Evaluate a filter against one app. Two-valued on purpose, and documented in the language
 * reference: a comparison with an unknown value is false, `not` is plain negation, a bare
 * boolean attribute means "known to be true", and `lacks_any` (compliance templates) holds
 * when any listed attestation is not known to be true.
 */
export function evalFilter(f: Filter, app: AppFacts): boolean {
  switch (f.kind) {
    case "and":
      return f.args.every((a) => evalFilter(a, app));
    case "or":
      return f.args.some((a) => evalFilter(a, app));
    case "not":
      return !evalFilter(f.arg, app);
    case "truthy":
      return read(app, f.attribute) === true;
    case "lacks_any":
      return f.attributes.some((a) => read(app, a) !== true);
    case "range": {
      const v = read(app, f.attribute);
      return typeof v === "number" && v >= f.from && v <= f.to;
    }
    case "in": {
      if (f.attribute === "domain") return app.domains.some((d) => f.values.some((x) => sameDomain(d, String(x))));
      const v = read(app, f.attribute);
      return v !== undefined && f.values.some((x) => equal(v, x));
    }
    case "contains":
      return app.tags.has(f.value);
    case "matches": {
      const re = globToRegExp(f.pattern);
      if (f.attribute === "domain") return app.domains.some((d) => re.test(d.replace(/^\*\./, "")));
      const v = read(app, f.attribute);
      return typeof v === "string" && re.test(v);
    }
    case "compare": {
      if (f.attribute === "domain") {
        const hit = app.domains.some((d) => sameDomain(d, String(f.value)));
        return f.op === "==" ? hit : f.op === "!=" ? !hit : false;
      }
      const v = read(app, f.attribute);
      if (v === undefined) return false;
      switch (f.op) {
        case "==":
          return equal(v, f.value);
        case "!=":
          return !equal(v, f.value);
        default:
          return ordered(v, f.op, f.value);
      }
    }
  }
}

function read(app: AppFacts, attribute: string): string | number | boolean | undefined {
  switch (attribute) {
    case "name":
      return app.name;
    case "vendor":
      return app.vendor;
    case "category":
      return app.category;
    case "score":
      return app.score;
    case "hq":
      return app.hq;
    default: {
      const v = app.attributes[attribute];
      return v && v.known ? v.value : undefined;
    }
  }
}

function equal(a: string | number | boolean, b: string | number | boolean): boolean {
  return typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function ordered(a: string | number | boolean, op: string, b: string | number | boolean): boolean {
  if (typeof a === "boolean" || typeof b === "boolean" || typeof a !== typeof b) {
    // Dates compare as strings (ISO), years as numbers; a year against a date compares years.
    if (typeof a === "number" && typeof b === "string") return ordered(a, op, Number(b.slice(0, 4)));
    if (typeof a === "string" && typeof b === "number") return ordered(Number(a.slice(0, 4)), op, b);
    return false;
  }
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    default:
      return false;
  }
}

/** `app.domain == "dropbox.com"` holds for an app declaring `dropbox.com` or `*.dropbox.com`. */
function sameDomain(pattern: string, value: string): boolean {
  return pattern.replace(/^\*\./, "") === value.replace(/^\*\./, "");
}

const globCache = new Map<string, RegExp>();
/** Case-insensitive glob with `*` (any run) and `?` (one character), anchored. */
export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, "i");
    globCache.set(glob, re);
  }
  return re;
}

/** Readable form of a filter for explanations: `app.category == cloud_storage and app.score in 0..2`. */
export function filterToString(f: Filter | undefined): string {
  if (!f) return "every app";
  const v = (x: string | number | boolean) => (typeof x === "string" && !/^[a-z_][a-z0-9_]*$/.test(x) ? JSON.stringify(x) : String(x));
  switch (f.kind) {
    case "and":
    case "or":
      return f.args.map((a) => (a.kind === "and" || a.kind === "or" ? `(${filterToString(a)})` : filterToString(a))).join(` ${f.kind} `);
    case "not":
      return `not ${f.arg.kind === "and" || f.arg.kind === "or" ? `(${filterToString(f.arg)})` : filterToString(f.arg)}`;
    case "truthy":
      return `app.${f.attribute}`;
    case "lacks_any":
      return `not all of ${f.attributes.map((a) => `app.${a}`).join(", ")}`;
    case "range":
      return `app.${f.attribute} in ${f.from}..${f.to}`;
    case "in":
      return `app.${f.attribute} in [${f.values.map(v).join(", ")}]`;
    case "contains":
      return `app.${f.attribute} contains ${f.value}`;
    case "matches":
      return `app.${f.attribute} matches ${JSON.stringify(f.pattern)}`;
    case "compare":
      return `app.${f.attribute} ${f.op} ${v(f.value)}`;
  }
}
