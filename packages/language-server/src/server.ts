import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DiagnosticSeverity,
  CompletionItemKind,
  SymbolKind,
  FoldingRangeKind,
  CodeActionKind,
  InlayHint,
  MarkupKind,
  ResponseError,
  ErrorCodes,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceEdit,
  type TextEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  WorkspaceSession,
  Simulator,
  completion,
  hover,
  signatureHelp,
  definition,
  references,
  prepareRename,
  rename,
  documentSymbols,
  workspaceSymbols,
  foldingRanges,
  semanticTokens,
  formatting,
  codeActions,
  INDICATOR_TARGETS,
  SEMANTIC_TOKEN_TYPES,
  SEMANTIC_TOKEN_MODIFIERS,
  type IdeDiagnostic,
  type IndicatorPreview,
  type WorkspaceEditData,
  type CompletionKind,
  type SymbolKindData,
} from "@sanction/ide";
import { renderHtml } from "@sanction/reports";
import type { FromChecker, ToChecker } from "./check-protocol.js";
import { dropCheckWorker, takeCheckWorker } from "./check-worker-start.js";

export interface ServerSettings {
  readonly trafficSamples?: string[];
  readonly catalogFiles?: string[];
  /** Quiet period after a burst of edits before diagnostics are re-published (ms). */
  readonly debounceMs?: number;
  /** Compute diagnostics on a worker thread (default true); false checks on the server's thread. */
  readonly checkWorker?: boolean;
}

export const DEFAULT_DEBOUNCE_MS = 150;
/**
 * Open files of at least this many characters (about 18,000 lines) may be read from their last
 * parse by read-only features of other files while they are being edited (see
 * `WorkspaceSession.relaxed`).
 */
export const STALE_AFTER_CHARS = 500_000;
/** Quiet time after the last edit of such a file before the server's thread re-reads it (ms). */
export const REFRESH_LARGE_AFTER_MS = 1500;

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  app: CompletionItemKind.Module,
  category: CompletionItemKind.EnumMember,
  attribute: CompletionItemKind.Property,
  group: CompletionItemKind.Variable,
  template: CompletionItemKind.Function,
  parameter: CompletionItemKind.Field,
  unit: CompletionItemKind.Unit,
  value: CompletionItemKind.Value,
  policy: CompletionItemKind.Reference,
  action: CompletionItemKind.Function,
  field: CompletionItemKind.Field,
};
const SYMBOL_KINDS: Record<SymbolKindData, SymbolKind> = {
  group: SymbolKind.Namespace,
  app: SymbolKind.Module,
  override: SymbolKind.Module,
  policy: SymbolKind.Function,
  test: SymbolKind.Method,
  decision: SymbolKind.Event,
  import: SymbolKind.File,
  score: SymbolKind.Object,
};
const SEVERITIES = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

/** Start the server on a connection (stdio when none is given). Returns the connection. */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  let ws: WorkspaceSession | undefined;
  let sim: Simulator | undefined;
  let settings: ServerSettings = {};
  const uriOf = new Map<string, string>(); // path → uri (open documents)
  let rootUri = "";

  const toPath = (uri: string): string => {
    if (uri.startsWith("file:")) {
      try {
        return fileURLToPath(uri);
      } catch {
        /* fall through */
      }
    }
    return path.join(ws?.root ?? process.cwd(), ".untitled", encodeURIComponent(uri) + ".sanction");
  };
  const toUri = (p: string): string => uriOf.get(p) ?? pathToFileURL(p).href;
  const session = (): WorkspaceSession => {
    if (!ws) throw new Error("the server is not initialized");
    return ws;
  };

  const log = (msg: string) => connection.console.error(msg);
  /** Every request is answered: a failure is logged to the client and an empty answer sent. */
  function safe<P, R>(name: string, fallback: R, fn: (p: P) => R | Promise<R>): (p: P) => Promise<R> {
    return async (p: P) => {
      try {
        return await fn(p);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        log(`sanction: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  }

  const toEdit = (e: WorkspaceEditData): WorkspaceEdit => ({
    changes: Object.fromEntries(Object.entries(e).map(([f, edits]) => [toUri(f), edits.map((x): TextEdit => ({ range: x.range, newText: x.newText }))])),
  });
  const toLspDiagnostic = (d: IdeDiagnostic): LspDiagnostic => ({
    range: d.range,
    severity: SEVERITIES[d.severity],
    code: d.code,
    source: "sanction",
    message: d.message,
    ...(d.related ? { relatedInformation: d.related.map((r) => ({ location: { uri: toUri(r.location.file), range: r.location.range }, message: r.message })) } : {}),
    ...(d.fixes ? { data: { fixes: d.fixes.map((f) => f.title) } } : {}),
  });

  // ---- diagnostics: published as the user types, at most once per quiet period ------------
  const published = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let lastPublish = 0;
  /** Publish one check's result: file → the version checked and its diagnostics. */
  const publishResult = (all: Map<string, { version: number | undefined; list: readonly IdeDiagnostic[] }>) => {
    for (const f of published.keys()) if (!all.has(f)) all.set(f, { version: documents.get(toUri(f))?.version, list: [] });
    for (const [f, { version, list }] of all) {
      const lsp = list.map(toLspDiagnostic);
      const key = `${version}|${JSON.stringify(lsp)}`;
      if (published.get(f) === key) continue;
      // A clean file nobody has open needs no message; an open one gets its (empty) result
      // for the version checked, so the editor knows the check is done.
      if (lsp.length === 0 && !published.has(f) && version === undefined) continue;
      published.set(f, key);
      void connection.sendDiagnostics({ uri: toUri(f), ...(version !== undefined ? { version } : {}), diagnostics: lsp });
    }
  };
  const publish = () => {
    timer = undefined;
    lastPublish = Date.now();
    try {
      const all = session().allDiagnostics();
      publishResult(new Map([...all].map(([f, list]) => [f, { version: documents.get(toUri(f))?.version, list }])));
    } catch (e) {
      log(`sanction: diagnostics failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
  /**
   * The first edit after a quiet period is checked at once (checking takes milliseconds); edits
   * that follow within the debounce window are coalesced into one publication at its end.
   */
  let checker: Worker | undefined;
  const toChecker = (m: ToChecker) => checker?.postMessage(m);
  const schedule = () => {
    if (checker) return; // the worker checks after each message it receives
    if (timer) return;
    const wait = Math.max(0, (settings.debounceMs ?? DEFAULT_DEBOUNCE_MS) - (Date.now() - lastPublish));
    timer = setTimeout(publish, wait);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    rootUri = folder ?? "";
    const root = folder && folder.startsWith("file:") ? fileURLToPath(folder) : (params.rootPath ?? process.cwd());
    settings = (params.initializationOptions ?? {}) as ServerSettings;
    const files = { ...(settings.trafficSamples ? { trafficSamples: settings.trafficSamples } : {}), ...(settings.catalogFiles ? { catalogFiles: settings.catalogFiles } : {}) };
    ws = new WorkspaceSession({ root, ...files, staleAfterChars: STALE_AFTER_CHARS });
    sim = new Simulator(ws);
    if (settings.checkWorker === false) dropCheckWorker();
    else {
      try {
        checker = takeCheckWorker();
      } catch (e) {
        log(`sanction: no check worker, diagnostics are computed in-process: ${String(e)}`);
      }
      if (checker) {
        const w = checker;
        w.unref();
        w.on("message", (m: FromChecker) => {
          if (m.type === "failed") return log(`sanction: diagnostics failed: ${m.message}`);
          publishResult(new Map(m.files.map(([f, version, list]) => [f, { version, list }])));
        });
        // A worker that dies takes no diagnostics with it: the server checks in-process from then on.
        const fallBack = (why: string) => {
          if (checker !== w) return;
          checker = undefined;
          log(`sanction: check worker stopped (${why}); diagnostics are computed in-process`);
          schedule();
        };
        w.on("error", (e) => fallBack(e instanceof Error ? e.message : String(e)));
        w.on("exit", (code) => fallBack(`exit code ${code}`));
        toChecker({ type: "init", root, ...files, debounceMs: settings.debounceMs ?? DEFAULT_DEBOUNCE_MS });
      }
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [".", '"', " ", "(", ","], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        semanticTokensProvider: { legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] }, full: true },
        signatureHelpProvider: { triggerCharacters: ["(", ",", " "], retriggerCharacters: [","] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
      },
      serverInfo: { name: "sanction-language-server", version: "0.1.0" },
    };
  });

  connection.onInitialized(() => {
    // Diagnostics of the whole workspace, open or not.
    schedule();
  });

  connection.onDidChangeConfiguration(
    safe("configuration", undefined, (p) => {
      const s = (p.settings as { sanction?: ServerSettings } | undefined)?.sanction;
      if (!s) return;
      settings = { ...settings, ...s };
      session().configure({ trafficSamples: s.trafficSamples ?? [], catalogFiles: s.catalogFiles ?? [] });
      toChecker({ type: "configure", trafficSamples: s.trafficSamples ?? [], catalogFiles: s.catalogFiles ?? [], debounceMs: settings.debounceMs ?? DEFAULT_DEBOUNCE_MS });
      schedule();
      void connection.sendRequest("workspace/codeLens/refresh").catch(() => undefined);
      void connection.sendRequest("workspace/inlayHint/refresh").catch(() => undefined);
    }),
  );
  connection.onDidChangeWatchedFiles(
    safe("watched files", undefined, () => {
      session().invalidateDisk();
      toChecker({ type: "disk" });
      schedule();
    }),
  );

  /**
   * A large open file is parsed and checked on the server's thread when it opens and when its
   * edits pause, so features of other files find a recent parse to read (`relaxed`) instead of
   * re-parsing it while the user types.
   */
  const refreshTimers = new Map<string, NodeJS.Timeout>();
  const refreshLarge = (p: string, text: string, delayMs: number) => {
    if (text.length < STALE_AFTER_CHARS) return;
    clearTimeout(refreshTimers.get(p));
    const t = setTimeout(
      safe("refresh", undefined, () => {
        refreshTimers.delete(p);
        if (!session().isOpen(p)) return;
        session().file(p);
        session().relaxed(() => session().effectiveCatalog());
      }),
      delayMs,
    );
    t.unref();
    refreshTimers.set(p, t);
  };

  // TextDocuments announces an opened document twice (open, then content change): each version
  // is taken once.
  const synced = new Map<string, number>();
  const sync = (uri: string, text: string, version: number, opened: boolean) => {
    const p = toPath(uri);
    if (!opened && synced.get(p) === version) return;
    synced.set(p, version);
    uriOf.set(p, uri);
    session().changeDocument(p, text, version);
    toChecker({ type: "open", file: p, text, version });
    refreshLarge(p, text, opened ? 0 : REFRESH_LARGE_AFTER_MS);
    schedule();
  };
  documents.onDidOpen((e) => {
    try {
      sync(e.document.uri, e.document.getText(), e.document.version, true);
    } catch (err) {
      log(`sanction: open failed: ${String(err)}`);
    }
  });
  documents.onDidChangeContent((e) => {
    try {
      sync(e.document.uri, e.document.getText(), e.document.version, false);
    } catch (err) {
      log(`sanction: change failed: ${String(err)}`);
    }
  });
  documents.onDidClose((e) => {
    try {
      const p = toPath(e.document.uri);
      synced.delete(p);
      clearTimeout(refreshTimers.get(p));
      refreshTimers.delete(p);
      session().closeDocument(p);
      toChecker({ type: "close", file: p });
      schedule();
    } catch (err) {
      log(`sanction: close failed: ${String(err)}`);
    }
  });

  const file = (uri: string) => toPath(uri);

  connection.onCompletion(
    safe("completion", { isIncomplete: false, items: [] }, (p) => {
      const r = session().relaxed(() => completion(session(), file(p.textDocument.uri), p.position));
      return {
        isIncomplete: r.incomplete,
        items: r.items.map((c) => ({
          label: c.label,
          kind: COMPLETION_KINDS[c.kind],
          ...(c.detail ? { detail: c.detail } : {}),
          ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
          ...(c.sortText ? { sortText: c.sortText } : {}),
          ...(c.range ? { textEdit: { range: c.range, newText: c.insertText ?? c.label } } : c.insertText ? { insertText: c.insertText } : {}),
        })),
      };
    }),
  );
  connection.onHover(
    safe("hover", null, (p) => {
      const h = session().relaxed(() => hover(session(), file(p.textDocument.uri), p.position));
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, ...(h.range ? { range: h.range } : {}) } : null;
    }),
  );
  connection.onSignatureHelp(
    safe("signature help", null, (p) => {
      const s = session().relaxed(() => signatureHelp(session(), file(p.textDocument.uri), p.position));
      return s
        ? {
            signatures: [{ label: s.label, ...(s.documentation ? { documentation: s.documentation } : {}), parameters: s.parameters.map((x) => ({ label: x.label, ...(x.documentation ? { documentation: x.documentation } : {}) })) }],
            activeSignature: 0,
            activeParameter: s.activeParameter,
          }
        : null;
    }),
  );
  const offsetOf = (uri: string, pos: { line: number; character: number }) => session().file(file(uri))?.pos.offset(pos) ?? 0;
  connection.onDefinition(safe("definition", [], (p) => definition(session(), file(p.textDocument.uri), offsetOf(p.textDocument.uri, p.position)).map((l) => ({ uri: toUri(l.file), range: l.range }))));
  connection.onReferences(
    safe("references", [], (p) => references(session(), file(p.textDocument.uri), offsetOf(p.textDocument.uri, p.position), p.context.includeDeclaration).map((l) => ({ uri: toUri(l.file), range: l.range }))),
  );
  connection.onPrepareRename(
    safe("prepare rename", null, (p) => {
      const r = prepareRename(session(), file(p.textDocument.uri), offsetOf(p.textDocument.uri, p.position));
      return "error" in r ? null : { range: r.range, placeholder: r.placeholder };
    }),
  );
  connection.onRenameRequest(
    safe("rename", null, (p) => {
      const r = rename(session(), file(p.textDocument.uri), offsetOf(p.textDocument.uri, p.position), p.newName);
      if ("error" in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
      return toEdit(r.edit);
    }),
  );
  connection.onDocumentSymbol(
    safe("document symbols", [], (p) =>
      session().relaxed(() => documentSymbols(session(), file(p.textDocument.uri))).map((s) => ({ name: s.name, kind: SYMBOL_KINDS[s.kind], range: s.range, selectionRange: s.selectionRange, ...(s.detail ? { detail: s.detail } : {}) })),
    ),
  );
  connection.onWorkspaceSymbol(safe("workspace symbols", [], (p) => workspaceSymbols(session(), p.query).map((s) => ({ name: s.name, kind: SYMBOL_KINDS[s.kind], location: { uri: toUri(s.file), range: s.range } }))));
  connection.onFoldingRanges(
    safe("folding", [], (p) => session().relaxed(() => foldingRanges(session(), file(p.textDocument.uri))).map((f) => ({ startLine: f.startLine, endLine: f.endLine, ...(f.kind ? { kind: f.kind === "comment" ? FoldingRangeKind.Comment : FoldingRangeKind.Region } : {}) }))),
  );
  connection.onDocumentFormatting(safe("formatting", [], (p) => formatting(session(), file(p.textDocument.uri))));
  connection.languages.semanticTokens.on(
    safe("semantic tokens", { data: [] }, (p) => {
      const toks = session().relaxed(() => semanticTokens(session(), file(p.textDocument.uri)));
      const data: number[] = [];
      let line = 0;
      let ch = 0;
      for (const t of toks) {
        const dl = t.line - line;
        data.push(dl, dl === 0 ? t.character - ch : t.character, t.length, SEMANTIC_TOKEN_TYPES.indexOf(t.type), t.modifiers.reduce((m, x) => m | (1 << SEMANTIC_TOKEN_MODIFIERS.indexOf(x)), 0));
        line = t.line;
        ch = t.character;
      }
      return { data };
    }),
  );
  connection.onCodeAction(
    safe("code actions", [], (p) =>
      codeActions(session(), file(p.textDocument.uri), p.range).map((a) => ({
        title: a.title,
        kind: a.kind === "quickfix" ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
        edit: toEdit(a.edit),
        ...(a.diagnostic ? { diagnostics: [toLspDiagnostic(a.diagnostic)] } : {}),
        ...(a.preferred ? { isPreferred: true } : {}),
      })),
    ),
  );
  connection.onCodeLens(safe("code lenses", [], async (p) => (await sim!.codeLenses(file(p.textDocument.uri))).map((l) => ({ range: l.range, ...(l.command ? { command: { title: l.title, command: l.command.id, arguments: [...l.command.arguments] } } : { command: { title: l.title, command: "" } }) }))));
  connection.languages.inlayHint.on(
    safe("inlay hints", [] as InlayHint[], async (p) => (await sim!.inlayHints(file(p.textDocument.uri), p.range)).map((h) => ({ position: h.position, label: h.label, paddingLeft: true, ...(h.tooltip ? { tooltip: h.tooltip } : {}) }))),
  );

  // ---- custom requests for the editor's commands ---------------------------------------------
  /** Memory of the server process (worker included), for users and tests watching its footprint. */
  connection.onRequest("sanction/stats", () => {
    const m = process.memoryUsage();
    return { rssBytes: m.rss, peakRssBytes: process.resourceUsage().maxRSS * 1024, heapUsedBytes: m.heapUsed, checkWorker: checker !== undefined };
  });

  connection.onRequest(
    "sanction/simulate",
    safe("simulate", { error: "internal error (see the output log)" } as { error: string } | { html: string; summary: string }, async (p: { policy?: string; file?: string }) => {
      const r = await sim!.report({ ...(p?.policy ? { policy: p.policy } : {}), ...(p?.file ? { file: p.file } : {}) });
      if ("error" in r) return r;
      const t = r.totals;
      return { html: renderHtml(r), summary: `${t.records} records: ${r.apps.length} apps, ${r.alerts.length} alerts` };
    }),
  );
  connection.onRequest(
    "sanction/plan",
    safe("plan", { error: "internal error (see the output log)" } as { error: string } | { json: string }, () => {
      const r = sim!.planJson();
      return typeof r === "string" ? { json: r } : r;
    }),
  );
  connection.onRequest(
    "sanction/indicators",
    safe(
      "indicators",
      { error: "internal error (see the output log)" } as { error: string } | { text: string; files: IndicatorPreview["files"]; notes: readonly string[]; targets: readonly string[] },
      async (p: { target?: string }) => {
        // What `sanction indicators --target T` writes, from the same generator; `text` is the first file.
        const r = await sim!.indicators(p?.target ?? "mde-json");
        if ("error" in r) return r;
        return { text: r.files[0]?.content ?? "", files: r.files, notes: r.notes, targets: INDICATOR_TARGETS };
      },
    ),
  );

  documents.listen(connection);
  connection.listen();
  void rootUri;
  return connection;
}

/** `sanction-language-server --stdio`, `sanction lsp --stdio`. */
export function runStdioServer(): void {
  process.on("uncaughtException", (e) => process.stderr.write(`sanction language server: uncaught ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  process.on("unhandledRejection", (e) => process.stderr.write(`sanction language server: unhandled ${String(e)}\n`));
  startServer(createConnection(ProposedFeatures.all));
}
