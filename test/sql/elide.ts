/**
 * A query with its long inline tables shortened for a golden file: in every run of row lines
 * (VALUES rows, datatable rows, ClickHouse arrays) more than 6 long, the first 4 are kept and
 * the rest counted; lines over 400 characters are cut at 300. The full text is what the tests execute or check.
 */
export function elide(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  const isRow = (l: string) => /^\s+[("'\[0-9-]/.test(l) && /,\s*$|[)\]"']$/.test(l) && !/\||SELECT/.test(l);
  for (let i = 0; i < lines.length; ) {
    if (!isRow(lines[i]!)) {
      out.push(lines[i++]!);
      continue;
    }
    let j = i;
    while (j < lines.length && isRow(lines[j]!)) j++;
    if (j - i > 6) {
      out.push(...lines.slice(i, i + 4), `    … ${j - i - 4} more rows …`);
    } else out.push(...lines.slice(i, j));
    i = j;
  }
  // very long lines (IN lists of thousands of apps) keep their start
  return out.map((l) => (l.length > 400 ? `${l.slice(0, 300)} … (${l.length - 300} more characters)` : l)).join("\n");
}
