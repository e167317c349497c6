import { LineIndex, type Span } from "@sanction/diagnostics";

/**
 * A readable tree dump of an AST for golden files: one node per line with its span as
 * `line:col-line:col`, scalar fields inline, child nodes indented. Absent parts (optional,
 * or not recovered after a syntax error) are left out.
 */
export function dumpAst(node: unknown, text: string): string {
  const lines = new LineIndex(text);
  const out: string[] = [];
  const pos = (s: Span) => {
    const a = lines.position(s.start);
    const b = lines.position(s.end);
    return `${a.line}:${a.column}-${b.line}:${b.column}`;
  };
  const isNode = (v: unknown): v is { kind: string; span: Span } => typeof v === "object" && v !== null && "kind" in v && "span" in v;
  const walk = (n: { kind: string; span: Span } & Record<string, unknown>, indent: string, label: string) => {
    const scalars: string[] = [];
    const children: [string, unknown][] = [];
    for (const [k, v] of Object.entries(n)) {
      if (k === "kind" || k === "span") continue;
      if (v === undefined) continue;
      if (isNode(v) || Array.isArray(v)) children.push([k, v]);
      else scalars.push(`${k}=${JSON.stringify(v)}`);
    }
    out.push(`${indent}${label}${n.kind} ${pos(n.span)}${scalars.length ? " " + scalars.join(" ") : ""}`);
    for (const [k, v] of children) {
      if (Array.isArray(v)) {
        if (v.length === 0) continue;
        v.forEach((item, i) => (isNode(item) ? walk(item as never, indent + "  ", `${k}[${i}]: `) : out.push(`${indent}  ${k}[${i}]: ${JSON.stringify(item)}`)));
      } else walk(v as never, indent + "  ", `${k}: `);
    }
  };
  if (isNode(node)) walk(node as never, "", "");
  return out.join("\n") + "\n";
}
