/**
 * What a simulation carries from one run to the next (`--state FILE`): when each app was
 * first seen (so "new app" means new since the first run, not new in this log), and when each
 * policy last alerted on each app (one alert per app per policy per 90 days).
 */
export interface EngineState {
  readonly format: "sanction-state";
  readonly version: 1;
  /** app id → epoch ms first seen */
  readonly firstSeen: Record<string, number>;
  /** policy name → app id → epoch ms of the last alert */
  readonly lastAlert: Record<string, Record<string, number>>;
}

export function emptyState(): EngineState {
  return { format: "sanction-state", version: 1, firstSeen: {}, lastAlert: {} };
}

export function parseState(json: string): EngineState {
  const s = JSON.parse(json) as Partial<EngineState>;
  if (s.format !== "sanction-state" || s.version !== 1) throw new Error('not a sanction state file (expected format "sanction-state", version 1)');
  return { format: "sanction-state", version: 1, firstSeen: { ...(s.firstSeen ?? {}) }, lastAlert: { ...(s.lastAlert ?? {}) } };
}

/** Keys sorted so the file is byte-identical for the same content. */
export function serializeState(s: EngineState): string {
  const sortObj = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const lastAlert = sortObj(Object.fromEntries(Object.entries(s.lastAlert).map(([k, v]) => [k, sortObj(v)])));
  return JSON.stringify({ format: s.format, version: s.version, firstSeen: sortObj(s.firstSeen), lastAlert }, null, 2) + "\n";
}
