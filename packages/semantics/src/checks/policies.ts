import type * as A from "@sanction/syntax";
import { span } from "@sanction/diagnostics";
import type { CheckContext } from "../context.js";
import type { Action, Filter, Mode, Policy, Severity, Threshold } from "../model.js";
import { BYTE_METRICS, METRICS, findTemplate, templateParameters, TEMPLATES, type Metric, type Template, type ThresholdParam } from "../templates.js";
import { checkExpr } from "./expressions.js";
import { checkScope, ALL_DEVICES } from "./scope.js";
import { checkActions } from "./actions.js";
import { describeValue } from "../values.js";

const SEVERITIES: readonly Severity[] = ["informational", "low", "medium", "high"];
const MODES: readonly Mode[] = ["audit", "enforce"];
const DAY = 86400;

export function checkPolicy(ctx: CheckContext, p: A.PolicyDecl): Policy | undefined {
  const name = p.name?.value;
  let template: Template | undefined;
  if (p.template) {
    template = findTemplate(p.template.text);
    if (!template) ctx.unknown("SAN303", p.template.span, "template", p.template.text, TEMPLATES.map((t) => t.name));
  }
  const seen = new Map<string, A.PolicyClause>();
  const once = (key: string, c: A.PolicyClause, label: string): boolean => {
    const prev = seen.get(key);
    if (prev) {
      ctx.report("SAN502", c.span, `\`${label}\` is already set in this policy`, { related: [{ span: prev.span, message: "first set here" }] });
      return false;
    }
    seen.set(key, c);
    return true;
  };

  let severity: Severity | undefined;
  let mode: Mode = "enforce";
  let filter: Filter | undefined;
  let scope = ALL_DEVICES;
  let firstSeenWithin = template?.firstSeenWithin;
  let firstSeenWritten = false;
  let actions: Action[] | undefined;
  let thenClause: A.ThenClause | undefined;
  const written: Threshold[] = [];

  for (const c of p.clauses) {
    switch (c.kind) {
      case "Severity":
        if (!once("severity", c, "severity") || !c.level) break;
        if ((SEVERITIES as readonly string[]).includes(c.level.text)) severity = c.level.text as Severity;
        else ctx.unknown("SAN308", c.level.span, "severity", c.level.text, SEVERITIES);
        break;
      case "Mode":
        if (!once("mode", c, "mode") || !c.mode) break;
        if ((MODES as readonly string[]).includes(c.mode.text)) mode = c.mode.text as Mode;
        else ctx.unknown("SAN308", c.mode.span, "mode", c.mode.text, MODES);
        break;
      case "When":
        if (!once("when", c, "when")) break;
        filter = checkExpr(ctx, c.expr);
        break;
      case "Scope":
        if (!once("scope", c, "scope")) break;
        scope = checkScope(ctx, c.scope);
        break;
      case "FirstSeen": {
        if (!once("first", c, "first seen within")) break;
        firstSeenWritten = true;
        const v = c.within;
        if (!v) break;
        if (v.kind !== "Duration" || v.seconds % DAY !== 0 || v.seconds === 0) {
          ctx.report("SAN403", v.span, `\`first seen within\` takes a number of days or weeks, such as 7d or 2w${v.kind === "Duration" ? "" : `, not ${describeValue(v)}`}`);
          break;
        }
        firstSeenWithin = v.seconds;
        break;
      }
      case "Then":
        if (!once("then", c, "then")) break;
        thenClause = c;
        actions = checkActions(ctx, c);
        break;
      case "Threshold": {
        const th = checkThreshold(ctx, c, template);
        if (th) {
          const dup = written.find((w) => w.param === th.param && sameDirection(w.op, th.op));
          if (dup) ctx.report("SAN502", c.span, `a \`${th.param} ${th.op}\` threshold is already set in this policy`, { related: [{ span: dup.span, message: "first set here" }] });
          else written.push(th);
        }
        break;
      }
    }
  }

  if (template && firstSeenWritten && template.firstSeenWithin === undefined) {
    const c = seen.get("first")!;
    ctx.report("SAN501", c.span, `template ${template.name} is not about new apps and has no \`first seen within\` parameter`);
  }

  // Template defaults for every parameter the policy does not set itself.
  const thresholds: Threshold[] = [...written];
  if (template) {
    for (const d of template.thresholds) {
      if (!written.some((w) => w.param === d.param)) {
        thresholds.push({ param: d.param, op: d.op, value: d.value, fromTemplate: true, span: p.template!.span });
      }
    }
    const tFilter = templateFilter(template, p.template!.span);
    filter = tFilter && filter ? { kind: "and", args: [tFilter, filter] } : (tFilter ?? filter);
  }
  checkSatisfiable(ctx, thresholds);

  const nameSpan = p.name?.span ?? span(p.span.file, p.span.start, p.span.start);
  if (!thenClause) {
    ctx.report("SAN503", nameSpan, `policy ${name ? `"${name}" ` : ""}has no \`then\` actions: add e.g. \`then alert\``);
  }
  if (!p.template && filter === undefined && thresholds.length === 0 && firstSeenWithin === undefined && p.clauses.every((c) => c.kind !== "When")) {
    ctx.report("SAN504", nameSpan, `policy ${name ? `"${name}" ` : ""}has no \`when\` filter and no threshold, so it applies to every app`);
  }
  if (actions?.some((a) => a.kind === "alert") && severity === undefined && !template) {
    const indent = " ".repeat(2);
    const insertAt = p.clauses[0]?.span.start ?? p.span.end - 1;
    ctx.report("SAN507", nameSpan, `policy ${name ? `"${name}" ` : ""}alerts but sets no severity; it defaults to medium`, {
      fixes: [{ title: "add `severity medium`", edits: [{ span: span(p.span.file, insertAt, insertAt), newText: p.clauses[0] ? `severity medium\n${indent}` : `${indent}severity medium\n` }] }],
    });
  }
  if (!name || !actions) return undefined;
  const metrics = [...new Set(thresholds.map((t) => t.param).filter((x): x is Metric => x !== "score"))].sort();
  return {
    name,
    ...(template ? { template: template.name } : {}),
    severity: severity ?? template?.defaultSeverity ?? "medium",
    filter,
    thresholds: thresholds.sort((a, b) => (a.param < b.param ? -1 : a.param > b.param ? 1 : a.op < b.op ? -1 : 1)),
    metrics,
    ...(firstSeenWithin !== undefined ? { firstSeenWithin } : {}),
    scope,
    mode,
    actions,
    span: p.span,
  };
}

function sameDirection(a: string, b: string): boolean {
  return a[0] === b[0];
}

function templateFilter(t: Template, at: A.Name["span"]): Filter | undefined {
  const parts: Filter[] = [];
  if (t.category) parts.push({ kind: "compare", attribute: "category", op: "==", value: t.category, span: at });
  if (t.requires) parts.push({ kind: "lacks_any", attributes: t.requires, span: at });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { kind: "and", args: parts };
}

function checkThreshold(ctx: CheckContext, c: A.ThresholdClause, template: Template | undefined): Threshold | undefined {
  const metric = c.metric.text;
  const known: readonly string[] = [...METRICS, "score"];
  if (!known.includes(metric)) {
    if (template) {
      ctx.unknown("SAN501", c.metric.span, `parameter of template ${template.name}:`, metric, templateParameters(template));
    } else {
      ctx.unknown("SAN308", c.metric.span, "clause or usage metric", metric, [...METRICS, "severity", "when", "scope", "mode", "then"]);
    }
    return undefined;
  }
  if (!template && metric === "score") {
    ctx.report("SAN308", c.metric.span, "`score` is a template parameter; in other policies filter with `when app.score < N`");
    return undefined;
  }
  if (!c.op) return undefined;
  const op = c.op.op;
  if (op !== ">" && op !== ">=" && op !== "<" && op !== "<=") {
    ctx.report("SAN401", c.op.span, `thresholds compare with >, >=, < or <=, not \`${op}\``);
    return undefined;
  }
  if (c.per && c.per.text !== "day") {
    ctx.report("SAN403", c.per.span, `usage thresholds are per day (all thresholds hold on the same day); write \`per day\``, {
      fixes: [{ title: "change to day", edits: [{ span: c.per.span, newText: "day" }] }],
    });
  }
  const v = c.value;
  if (!v) return undefined;
  const param = metric as ThresholdParam;
  let value: number;
  if (param === "score") {
    if (v.kind !== "Number") {
      ctx.report("SAN401", v.span, `score is a number from 0 to 10, not ${describeValue(v)}`);
      return undefined;
    }
    if (v.value < 0 || v.value > 10) {
      ctx.report("SAN408", v.span, `score ranges over 0..10; ${v.raw} is outside it`);
      return undefined;
    }
    value = v.value;
  } else if (BYTE_METRICS.has(param as Metric)) {
    if (v.kind !== "Size") {
      const fix = v.kind === "Number" ? [{ title: `use ${v.raw}MB`, edits: [{ span: v.span, newText: `${v.raw}MB` }] }] : [];
      ctx.report("SAN403", v.span, `${metric} is measured in bytes: give a size unit, such as 50MB${v.kind === "Number" ? "" : `, not ${describeValue(v)}`}`, { fixes: fix });
      return undefined;
    }
    value = v.bytes;
  } else {
    if (v.kind !== "Number" || !Number.isInteger(v.value)) {
      const fix = v.kind === "Size" ? [{ title: `remove the unit`, edits: [{ span: v.span, newText: String(Number.parseFloat(v.raw)) }] }] : [];
      ctx.report("SAN403", v.span, `${metric} is a count: write a whole number without a unit${v.kind === "Number" ? "" : `, not ${describeValue(v)}`}`, { fixes: fix });
      return undefined;
    }
    value = v.value;
  }
  return { param, op, value, fromTemplate: false, span: c.span };
}

/** Warn when lower and upper bounds on one metric exclude each other (`users > 100`, `users < 50`). */
function checkSatisfiable(ctx: CheckContext, thresholds: readonly Threshold[]): void {
  for (const lo of thresholds) {
    if (lo.op[0] !== ">") continue;
    for (const hi of thresholds) {
      if (hi.param !== lo.param || hi.op[0] !== "<") continue;
      const empty = lo.value > hi.value || (lo.value === hi.value && (lo.op === ">" || hi.op === "<"));
      if (empty) {
        ctx.report("SAN508", hi.span, `no day can have ${lo.param} ${lo.op} ${lo.value} and ${hi.param} ${hi.op} ${hi.value}: the policy never matches`, {
          related: [{ span: lo.span, message: "the other bound" }],
        });
      }
    }
  }
}
