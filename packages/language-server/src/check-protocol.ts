import type { IdeDiagnostic } from "@sanction/ide";

/** Messages between the server and its check worker (plain data, structured-cloned). */
export type ToChecker =
  | { readonly type: "init"; readonly root: string; readonly trafficSamples?: string[]; readonly catalogFiles?: string[]; readonly debounceMs: number }
  | { readonly type: "open"; readonly file: string; readonly text: string; readonly version: number }
  | { readonly type: "close"; readonly file: string }
  | { readonly type: "configure"; readonly trafficSamples: string[]; readonly catalogFiles: string[]; readonly debounceMs: number }
  | { readonly type: "disk" };

/** One check's diagnostics: file → the editor version checked (undefined: not open) and its diagnostics. */
export type FromChecker =
  | { readonly type: "diagnostics"; readonly files: readonly (readonly [file: string, version: number | undefined, diagnostics: IdeDiagnostic[]])[] }
  | { readonly type: "failed"; readonly message: string };

/** `workerData.role` of the check worker (the bundled server starts itself as its worker). */
export const CHECK_WORKER_ROLE = "sanction-check-worker";
