import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

/*
 * The Sanction extension: starts the bundled language server (dist/server.cjs) and adds the
 * commands that show what policies do to traffic. Everything language-specific happens in the
 * server; this file only imports `vscode` and the language client.
 */

let client: LanguageClient | undefined;

/** The targets of `sanction indicators`; the server answers with the same generator the CLI runs. */
const INDICATOR_TARGETS = ["chrome", "dnsmasq", "firefox", "hosts", "mde-csv", "mde-json", "rpz", "squid", "stix", "unbound"];

function settings() {
  const c = vscode.workspace.getConfiguration("sanction");
  return { trafficSamples: c.get<string[]>("trafficSamples", []), catalogFiles: c.get<string[]>("catalogFiles", []) };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const custom = vscode.workspace.getConfiguration("sanction").get<string>("server.path", "");
  const module = custom || context.asAbsolutePath(path.join("dist", "server.cjs"));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "sanction" },
      { scheme: "untitled", language: "sanction" },
    ],
    initializationOptions: settings(),
    synchronize: { configurationSection: "sanction", fileEvents: vscode.workspace.createFileSystemWatcher("**/*.sanction") },
  };
  client = new LanguageClient("sanction", "Sanction", serverOptions, clientOptions);

  const showReport = async (title: string, params: { file?: string; policy?: string }) => {
    if (!client) return;
    const r = await client.sendRequest<{ html: string; summary: string } | { error: string }>("sanction/simulate", params);
    if ("error" in r) {
      void vscode.window.showErrorMessage(`Sanction: ${r.error}`);
      return;
    }
    // The report carries its own Content-Security-Policy (hashes of its inline script and style).
    const panel = vscode.window.createWebviewPanel("sanctionReport", title, vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [] });
    panel.webview.html = r.html;
    void vscode.window.setStatusBarMessage(`Sanction: ${r.summary}`, 10_000);
  };
  const openText = async (content: string, language: string) => {
    const doc = await vscode.workspace.openTextDocument({ content, language });
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand("sanction.simulateFile", async () => {
      const doc = vscode.window.activeTextEditor?.document;
      await showReport(`Simulation: ${doc ? path.basename(doc.uri.fsPath) : "workspace"}`, doc?.uri.scheme === "file" ? { file: doc.uri.fsPath } : {});
    }),
    vscode.commands.registerCommand("sanction.simulatePolicy", async (_file?: string, policy?: string) => {
      await showReport(`Simulation: ${policy ?? "workspace"}`, policy ? { policy } : {});
    }),
    vscode.commands.registerCommand("sanction.generateIndicators", async () => {
      const target = await vscode.window.showQuickPick(INDICATOR_TARGETS, { placeHolder: "Indicator target" });
      if (!target || !client) return;
      const r = await client.sendRequest<{ files: { name: string; content: string }[]; notes: string[] } | { error: string }>("sanction/indicators", { target });
      if ("error" in r) {
        void vscode.window.showErrorMessage(`Sanction: ${r.error}`);
        return;
      }
      // Defender's targets write several import batches: one tab each.
      for (const f of r.files) await openText(f.content, f.name.endsWith(".json") ? "json" : "plaintext");
      if (r.notes.length) void vscode.window.showInformationMessage(`Sanction: ${r.notes.length} note(s): ${r.notes.slice(0, 3).join("; ")}`);
    }),
    vscode.commands.registerCommand("sanction.showPlan", async () => {
      if (!client) return;
      const r = await client.sendRequest<{ json: string } | { error: string }>("sanction/plan", {});
      if ("error" in r) void vscode.window.showErrorMessage(`Sanction: ${r.error}`);
      else await openText(r.json, "json");
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
