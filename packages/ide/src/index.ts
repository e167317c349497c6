export * from "./types.js";
export { WorkspaceSession, DEFAULT_MAX_DIAGNOSTICS_PER_FILE, type WorkspaceOptions, type FileState, type Checked } from "./workspace.js";
export { completion, hover, signatureHelp, appCard, templateCard, policySummary } from "./language.js";
export { definition, references, prepareRename, rename, documentSymbols, workspaceSymbols, foldingRanges, semanticTokens, occurrences, type Occurrence } from "./symbols.js";
export { formatting, codeActions, expandTemplate } from "./actions.js";
export { Simulator, sampleFiles, defaultAsOf, INDICATOR_TARGETS, type IndicatorPreview, type SimulationOutcome } from "./simulation.js";
export { Positions } from "./util.js";
