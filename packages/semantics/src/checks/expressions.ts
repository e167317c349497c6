import type * as A from "@sanction/syntax";
import { cover } from "@sanction/diagnostics";
import type { CheckContext } from "../context.js";
import type { Filter, FilterValue } from "../model.js";
import { describeValue, checkDomain, checkDate } from "../values.js";
import { describeType, resolveField, type FieldType } from "./attributes.js";

/** Type-check a `when` expression and lower it to a Filter; undefined where it is broken. */
export function checkExpr(ctx: CheckContext, e: A.Expr | undefined): Filter | undefined {
  if (!e) return undefined;
  switch (e.kind) {
    case "Logical": {
      // Flatten `a and b and c` so explanations list the conditions side by side. The chain is
      // walked with a loop, not recursion: a generated filter may have 100,000 conditions.
      const operands: (A.Expr | undefined)[] = [];
      let cur: A.Expr | undefined = e;
      while (cur?.kind === "Logical" && cur.op === e.op) {
        operands.push(cur.right);
        cur = cur.left;
      }
      operands.push(cur);
      operands.reverse();
      const args: Filter[] = [];
      let broken = false;
      for (const x of operands) {
        const f = checkExpr(ctx, x);
        if (!f) broken = true;
        else if (f.kind === e.op) for (const a of (f as { args: readonly Filter[] }).args) args.push(a);
        else args.push(f);
      }
      return broken ? undefined : { kind: e.op, args };
    }
    case "Not": {
      const inner = checkExpr(ctx, e.operand);
      return inner && { kind: "not", arg: inner };
    }
    case "Paren":
      return checkExpr(ctx, e.inner);
    case "Compare":
      return checkCompare(ctx, e);
  }
}

function checkCompare(ctx: CheckContext, e: A.CompareExpr): Filter | undefined {
  const field = resolveField(e.path.text, ctx.catalog);
  if ("error" in field) {
    if (field.error === "not-app") {
      const fixed = "app." + e.path.text;
      const known = resolveField(fixed, ctx.catalog);
      if (!("error" in known)) {
        ctx.report("SAN305", e.path.span, `filters read app attributes as \`app.${e.path.text}\``, {
          fixes: [{ title: `change to ${fixed}`, edits: [{ span: e.path.span, newText: fixed }] }],
        });
        return undefined;
      }
    }
    ctx.unknown("SAN305", e.path.span, "attribute", e.path.text, field.candidates);
    return undefined;
  }
  const { id, type } = field;
  const at = e.span;
  if (!e.op) {
    if (type.kind !== "boolean") {
      ctx.report("SAN401", e.path.span, `\`${e.path.text}\` is ${describeType(type)}, not a condition: compare it, e.g. \`${e.path.text} == …\``);
      return undefined;
    }
    return { kind: "truthy", attribute: id, span: at };
  }
  const op = e.op.op;
  const v = e.value;
  if (!v) return undefined;
  const bad = (msg: string) => {
    ctx.report("SAN401", cover(e.op!.span, v.span), msg);
    return undefined;
  };
  switch (op) {
    case "in": {
      if (v.kind === "Range") {
        if (type.kind !== "number") return bad(`a range needs a number, but \`${e.path.text}\` is ${describeType(type)}`);
        const from = v.from?.value;
        const to = v.to?.value;
        if (from === undefined || to === undefined) return undefined;
        if (from > to) {
          ctx.report("SAN402", v.span, `impossible range ${v.from!.raw}..${v.to!.raw}: the start is greater than the end`, {
            fixes: [{ title: `swap to ${v.to!.raw}..${v.from!.raw}`, edits: [{ span: v.span, newText: `${v.to!.raw}..${v.from!.raw}` }] }],
          });
          return undefined;
        }
        if ((type.min !== undefined && to < type.min) || (type.max !== undefined && from > type.max)) {
          ctx.report("SAN402", v.span, `range ${from}..${to} lies outside ${type.min ?? "-∞"}..${type.max ?? "∞"}, so no app matches`);
          return undefined;
        }
        return { kind: "range", attribute: id, from, to, span: at };
      }
      const items = v.kind === "List" ? v.items : [v];
      const values: FilterValue[] = [];
      for (const item of items) {
        const cv = coerce(ctx, item, type, e.path.text);
        if (cv === undefined) return undefined;
        values.push(cv);
      }
      if (type.kind === "boolean" || type.kind === "tags") return bad(`\`in\` does not apply to ${describeType(type)}`);
      return { kind: "in", attribute: id, values, span: at };
    }
    case "contains": {
      if (type.kind !== "tags") return bad(`\`contains\` applies to app.tags, not to ${describeType(type)}`);
      const t = v.kind === "Name" ? v.text : v.kind === "String" ? v.value : undefined;
      if (t === undefined) return bad(`a tag is a name such as unsanctioned, not ${describeValue(v)}`);
      return { kind: "contains", attribute: id, value: t, span: at };
    }
    case "matches": {
      if (type.kind !== "string" && type.kind !== "domain") return bad(`\`matches\` applies to strings and domains, not to ${describeType(type)}`);
      if (v.kind !== "String") return bad(`\`matches\` takes a quoted pattern such as "*.example.com", not ${describeValue(v)}`);
      return { kind: "matches", attribute: id, pattern: v.value, span: at };
    }
    default: {
      if (type.kind === "tags") return bad(`app.tags is a set: write \`app.tags contains NAME\``);
      const ordered = op === "<" || op === "<=" || op === ">" || op === ">=";
      if (ordered && type.kind !== "number" && type.kind !== "date") return bad(`\`${op}\` needs a number or a date, but \`${e.path.text}\` is ${describeType(type)}`);
      const cv = coerce(ctx, v, type, e.path.text);
      if (cv === undefined) return undefined;
      if (type.kind === "number" && typeof cv === "number") {
        if ((type.min !== undefined && cv < type.min) || (type.max !== undefined && cv > type.max)) {
          ctx.report("SAN408", v.span, `${e.path.text} ranges over ${type.min ?? "-∞"}..${type.max ?? "∞"}; ${cv} is outside it`);
          return undefined;
        }
      }
      return { kind: "compare", attribute: id, op: op as "==" | "!=" | "<" | "<=" | ">" | ">=", value: cv, span: at };
    }
  }
}

/** A literal as a value of `type`, or undefined after reporting why it does not fit. */
function coerce(ctx: CheckContext, v: A.Value, type: FieldType, path: string): FilterValue | undefined {
  const mismatch = (hint = "") => {
    ctx.report("SAN401", v.span, `\`${path}\` is ${describeType(type)}, but this is ${describeValue(v)}${hint}`);
    return undefined;
  };
  switch (type.kind) {
    case "number":
      return v.kind === "Number" ? v.value : mismatch();
    case "boolean":
      return v.kind === "Bool" ? v.value : mismatch(" (write true or false)");
    case "string":
      if (v.kind === "String") return v.value;
      return v.kind === "Name" ? mismatch(` (quote it: "${v.text}")`) : mismatch();
    case "date":
      if (v.kind !== "Date") return mismatch();
      {
        const d = checkDate(v.raw);
        if (!d.ok) {
          ctx.report("SAN407", v.span, d.message);
          return undefined;
        }
        return d.value;
      }
    case "domain": {
      const raw = v.kind === "String" ? v.value : v.kind === "Name" ? v.text : undefined;
      if (raw === undefined) return mismatch();
      const d = checkDomain(raw);
      if (!d.ok) {
        ctx.report(raw.includes("*") ? "SAN409" : "SAN404", v.span, d.message);
        return undefined;
      }
      return (d.value.subtree ? "*." : "") + d.value.host;
    }
    case "category": {
      const raw = v.kind === "Name" && !v.dotted ? v.text : v.kind === "String" ? v.value : undefined;
      if (raw === undefined) return mismatch(" (write a category such as cloud_storage)");
      if (!ctx.catalog.findCategory(raw)) {
        const byLabel = ctx.catalog.categories.find((c) => c.label.toLowerCase() === raw.toLowerCase());
        if (byLabel) {
          ctx.report("SAN304", v.span, `categories are written by id: \`${byLabel.id}\``, {
            fixes: [{ title: `change to ${byLabel.id}`, edits: [{ span: v.span, newText: byLabel.id }] }],
          });
        } else {
          ctx.unknown("SAN304", v.span, "category", raw, ctx.catalog.categories.map((c) => c.id));
        }
        return undefined;
      }
      return raw;
    }
    case "enum": {
      const raw = v.kind === "Name" ? v.text : v.kind === "String" ? v.value : undefined;
      if (raw === undefined) return mismatch();
      if (!type.values.includes(raw)) {
        ctx.unknown("SAN401", v.span, `value for ${path}:`, raw, type.values);
        return undefined;
      }
      return raw;
    }
    case "tags":
      return mismatch();
  }
}
