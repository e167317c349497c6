import { LineIndex } from "./line-index.js";

/** A source text and its path as shown to the user (relative to the workspace when possible). */
export class SourceFile {
  private index: LineIndex | undefined;
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  get lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text));
  }
}

/** Looks up the text of a file named in a span; used by renderers to print line:column and snippets. */
export type SourceLookup = (file: string) => SourceFile | undefined;

export function sourceMap(files: Iterable<SourceFile>): SourceLookup {
  const map = new Map<string, SourceFile>();
  for (const f of files) map.set(f.path, f);
  return (file) => map.get(file);
}
