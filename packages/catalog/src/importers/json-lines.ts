/**
 * A strict JSON parser (RFC 8259) that keeps the 1-based line each value starts on, so that
 * importers can report a bad entry of a JSON list by its line. `JSON.parse` gives no
 * positions. Depth is bounded so that a hostile file cannot overflow the stack.
 */

export type JsonNode =
  | { readonly kind: "object"; readonly line: number; readonly entries: readonly { readonly key: string; readonly value: JsonNode }[] }
  | { readonly kind: "array"; readonly line: number; readonly items: readonly JsonNode[] }
  | { readonly kind: "string"; readonly line: number; readonly value: string }
  | { readonly kind: "number"; readonly line: number; readonly value: number }
  | { readonly kind: "boolean"; readonly line: number; readonly value: boolean }
  | { readonly kind: "null"; readonly line: number };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 256;

export function parseJsonWithLines(text: string): JsonNode {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(i >= text.length ? `invalid JSON: unexpected end of file, ${what}` : `invalid JSON: ${what}`, line);
  };
  const ws = () => {
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === "\n") line++;
      else if (c !== " " && c !== "\t" && c !== "\r") break;
    }
  };
  const expect = (s: string) => {
    if (text.startsWith(s, i)) i += s.length;
    else fail(`expected ${s}`);
  };

  const string = (): string => {
    expect('"');
    let out = "";
    let start = i;
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail("control character in a string");
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail("invalid escape in a string");
        start = i;
        continue;
      }
      i++;
    }
  };

  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail("nested too deeply");
    ws();
    const at = line;
    const c = text[i];
    if (c === "{") {
      i++;
      const entries: { key: string; value: JsonNode }[] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { kind: "object", line: at, entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a property name in double quotes");
        const key = string();
        ws();
        expect(":");
        entries.push({ key, value: value(depth + 1) });
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return { kind: "object", line: at, entries };
        }
        fail("expected , or } in an object");
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "array", line: at, items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return { kind: "array", line: at, items };
        }
        fail("expected , or ] in an array");
      }
    }
    if (c === '"') return { kind: "string", line: at, value: string() };
    if (text.startsWith("true", i)) {
      i += 4;
      return { kind: "boolean", line: at, value: true };
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return { kind: "boolean", line: at, value: false };
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return { kind: "null", line: at };
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m) {
      i += m[0].length;
      return { kind: "number", line: at, value: Number(m[0]) };
    }
    return fail("expected a value");
  };

  const root = value(0);
  ws();
  if (i < text.length) fail("unexpected text after the JSON value");
  return root;
}

/** The value of `key` in an object node. */
export function member(node: JsonNode, key: string): JsonNode | undefined {
  return node.kind === "object" ? node.entries.find((e) => e.key === key)?.value : undefined;
}

/** A short description of a node's type for messages: `a number`, `an object`. */
export function describeNode(node: JsonNode): string {
  return node.kind === "object" || node.kind === "array" ? `an ${node.kind === "object" ? "object" : "array"}` : node.kind === "null" ? "null" : `a ${node.kind}`;
}
