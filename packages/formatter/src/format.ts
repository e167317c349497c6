import { hasErrors, type Diagnostic } from "@sanction/diagnostics";
import { parse } from "@sanction/syntax";
import { attachComments } from "./comments.js";
import { layoutFile } from "./layout-items.js";
import { printFile } from "./print.js";
import { programKey } from "./verify.js";

export interface FormatOptions {
  /**
   * Re-parse the output and keep it only if it has no syntax errors and means the same program
   * with the same comments (default true). Tests turn it off to see the printer's raw output.
   */
  readonly verify?: boolean;
}

export interface FormatResult {
  /** The formatted text, or the input unchanged when it could not be formatted. */
  readonly text: string;
  /** `text !== input`. */
  readonly changed: boolean;
  /** The parser's diagnostics for the input. */
  readonly diagnostics: Diagnostic[];
  /**
   * Why the input was left unchanged: `syntax-errors` (the diagnostics say where), or
   * `internal-error` (a formatter bug; `message` says what), or undefined when formatted.
   */
  readonly skipped?: "syntax-errors" | "internal-error";
  readonly message?: string;
}

/**
 * Print a policy file in the one canonical layout. A file with syntax errors is returned
 * unchanged (a formatter must never lose text); so is any file the formatter cannot print
 * faithfully. Never throws.
 */
export function format(text: string, file: string, options: FormatOptions = {}): FormatResult {
  const { ast, diagnostics, tokens } = parse(text, file);
  if (hasErrors(diagnostics)) return { text, changed: false, diagnostics, skipped: "syntax-errors" };
  let out: string;
  try {
    const layout = layoutFile(ast, tokens);
    const comments = attachComments(text, tokens, ast.comments, layout.dropped);
    out = printFile(layout, tokens, comments);
  } catch (e) {
    return unchanged(text, diagnostics, `formatter failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (options.verify ?? true) {
    const again = parse(out, file);
    if (hasErrors(again.diagnostics)) return unchanged(text, diagnostics, "formatted text would not parse; file left unchanged");
    if (programKey(again.ast) !== programKey(ast)) return unchanged(text, diagnostics, "formatted text would mean something else; file left unchanged");
  }
  return { text: out, changed: out !== text, diagnostics };
}

function unchanged(text: string, diagnostics: Diagnostic[], message: string): FormatResult {
  return { text, changed: false, diagnostics, skipped: "internal-error", message };
}
