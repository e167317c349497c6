import { spawnSync } from "node:child_process";
import { ensureDebianPackages } from "../support/debian.js";

/*
 * The programs that read Sanction's text outputs in real use, driven here on hostile output:
 * cmark-gfm (the Markdown engine behind GitHub comments) and xmllint (a strict XML parser,
 * standing in for a CI system's JUnit reader). Debian packages, installed on demand.
 */

/** Markdown → HTML as GitHub renders a comment: tables, autolinks, strikethrough, raw HTML kept. */
export function cmarkGfm(markdown: string): string {
  ensureDebianPackages(["cmark-gfm"]);
  const r = spawnSync("cmark-gfm", ["--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tasklist"], { input: markdown, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cmark-gfm failed: ${r.stderr}`);
  return r.stdout;
}

/** Start tags of an HTML fragment, with their attribute text. */
export function startTags(html: string): { tag: string; attrs: string }[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)].map((m) => ({ tag: m[1]!.toLowerCase(), attrs: m[2]! }));
}

/** Text of an HTML fragment with tags removed and the entities cmark writes decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, "&");
}

/**
 * Rows of every table in cmark's HTML: for each table, the number of cells of its header and of
 * each body row (a broken table shows as rows of different widths, or as no table at all).
 */
export function tableShapes(html: string): { head: number; rows: number[] }[] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) => {
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(t[1]!)?.[1] ?? "";
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(t[1]!)?.[1] ?? "";
    return {
      head: (head.match(/<th[ >]/g) ?? []).length,
      rows: [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => (r[1]!.match(/<td[ >]/g) ?? []).length),
    };
  });
}

/** `xmllint --noout`: the file is well-formed XML (empty result) or the parser's complaint. */
export function xmlProblems(file: string): string {
  ensureDebianPackages(["libxml2-utils"]);
  const r = spawnSync("xmllint", ["--noout", file], { encoding: "utf8" });
  return r.status === 0 ? "" : r.stderr || `xmllint exited ${r.status}`;
}

/** Values of an XPath over a file (`//testcase/@name`), one per match, as xmllint decodes them. */
export function xpathValues(file: string, expr: string): string[] {
  ensureDebianPackages(["libxml2-utils"]);
  // string() of each match, separated by a character that cannot occur in XML text.
  const r = spawnSync("xmllint", ["--xpath", `${expr}`, file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`xmllint --xpath ${expr}: ${r.stderr}`);
  return [...r.stdout.matchAll(/ ?[\w:-]+="([^"]*)"/g)].map((m) =>
    m[1]!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&amp;/g, "&"),
  );
}

/**
 * RFC 4180 as a spreadsheet reads it, written here independently of the writer: fields split
 * on commas, records on CRLF (a bare LF is accepted); a quoted field may hold commas, line
 * breaks and doubled quotes; a quote inside an unquoted field, or text after a closing quote,
 * is an error (thrown).
 */
export function readRfc4180(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < n && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") throw new Error(`text after a closing quote at ${i}`);
    } else {
      while (i < n && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') throw new Error(`quote in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ",") {
      i++;
      if (i === n) row.push("");
      continue;
    }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") i++;
    rows.push(row);
    row = [];
  }
  if (row.length) rows.push(row);
  return rows;
}
