/*
 * Editor features as plain data. Positions are 0-based lines and UTF-16 characters (the
 * convention of LSP and of JavaScript strings); files are absolute paths. No editor protocol
 * types appear here: the language server converts these one to one.
 */

export interface Position {
  readonly line: number;
  readonly character: number;
}
export interface Range {
  readonly start: Position;
  readonly end: Position;
}
export interface Location {
  readonly file: string;
  readonly range: Range;
}

export type DiagnosticSeverity = "error" | "warning" | "info" | "hint";

export interface EditData {
  readonly range: Range;
  readonly newText: string;
}
/** Edits per file (absolute path). */
export type WorkspaceEditData = Record<string, EditData[]>;

export interface FixData {
  readonly title: string;
  readonly edit: WorkspaceEditData;
}

export interface IdeDiagnostic {
  readonly range: Range;
  readonly severity: DiagnosticSeverity;
  readonly code: string;
  readonly message: string;
  readonly related?: readonly { readonly location: Location; readonly message: string }[];
  readonly fixes?: readonly FixData[];
}

export type CompletionKind = "keyword" | "app" | "category" | "attribute" | "group" | "template" | "parameter" | "unit" | "value" | "policy" | "action" | "field";

export interface CompletionData {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** Replaces `range` (defaults to the word before the cursor). */
  readonly insertText?: string;
  readonly range?: Range;
  readonly sortText?: string;
}
export interface CompletionList {
  readonly items: readonly CompletionData[];
  /** More items exist than were returned (long catalog lists): ask again as the user types. */
  readonly incomplete: boolean;
}

export interface HoverData {
  readonly markdown: string;
  readonly range?: Range;
}

export type SymbolKindData = "group" | "app" | "override" | "policy" | "test" | "decision" | "import" | "score";
export interface SymbolData {
  readonly name: string;
  readonly kind: SymbolKindData;
  readonly detail?: string;
  readonly file: string;
  readonly range: Range;
  readonly selectionRange: Range;
}

export interface FoldingData {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: "comment" | "region";
}

export const SEMANTIC_TOKEN_TYPES = ["keyword", "string", "number", "comment", "operator", "property", "variable", "function", "enumMember", "type"] as const;
export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];
export const SEMANTIC_TOKEN_MODIFIERS = ["declaration", "readonly"] as const;
export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];
export interface SemanticTokenData {
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly type: SemanticTokenType;
  readonly modifiers: readonly SemanticTokenModifier[];
}

export interface SignatureData {
  readonly label: string;
  readonly documentation?: string;
  readonly parameters: readonly { readonly label: string; readonly documentation?: string }[];
  readonly activeParameter: number;
}

export interface CodeActionData {
  readonly title: string;
  readonly kind: "quickfix" | "refactor.rewrite";
  readonly edit: WorkspaceEditData;
  /** The diagnostic this action fixes, if any. */
  readonly diagnostic?: IdeDiagnostic;
  readonly preferred?: boolean;
}

export interface CodeLensData {
  readonly range: Range;
  readonly title: string;
  readonly command?: { readonly id: string; readonly arguments: readonly unknown[] };
}

export interface InlayHintData {
  readonly position: Position;
  readonly label: string;
  readonly tooltip?: string;
}

/** Commands the code lenses carry; the language server and the VS Code extension know them. */
export const SIMULATE_POLICY_COMMAND = "sanction.simulatePolicy";
