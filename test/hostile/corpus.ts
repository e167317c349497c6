import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { TrafficFormat } from "@sanction/traffic";

/*
 * The hostile corpus (corpus/), loaded. Entries are JSON so that control characters stay
 * visible in review; two names too long to read comfortably are built here.
 */

export const CORPUS = path.join(__dirname, "corpus");

const json = <T>(rel: string): T => JSON.parse(readFileSync(path.join(CORPUS, rel), "utf8")) as T;

export interface HostEntry {
  readonly value: string;
  readonly why: string;
  /** What a traffic reader makes of the name; null: the line is rejected. */
  readonly readsAs: string | null;
  /** An IP literal: read as the destination address, with no host name. */
  readonly address?: boolean;
}

export interface TextEntry {
  readonly value: string;
  readonly why: string;
}

/** A name of exactly `length` characters: 63-character labels, then a shorter last one. */
export function longName(length: number): string {
  const labels: string[] = [];
  let left = length;
  while (left > 0) {
    const n = Math.min(63, left);
    labels.push("a".repeat(n));
    left -= n + 1;
  }
  const name = labels.join(".");
  return name.length === length ? name : name.slice(0, length - 1) + "b";
}

const SPECIAL: Record<string, string> = { LONG_NAME: longName(254), MAX_NAME: longName(253), LONG_LABEL: "a".repeat(64) };
const expand = (s: string): string => s.replace(/\b(LONG_NAME|MAX_NAME|LONG_LABEL)\b/, (m) => SPECIAL[m]!);

export const HOSTNAMES: readonly HostEntry[] = json<{ entries: HostEntry[] }>("hostnames.json").entries.map((e) => ({
  ...e,
  value: expand(e.value),
  readsAs: e.readsAs === null ? null : expand(e.readsAs),
}));

/** Host names no reader may accept and no writer may write. */
export const BAD_HOSTS: readonly HostEntry[] = HOSTNAMES.filter((h) => h.readsAs === null);

/*
 * Where a reader still takes a value the corpus says it must reject: each a known, reported gap,
 * named here so that the rest of the corpus is held to the strict rule. Empty now; add an entry
 * only with the reason, and remove it when the reader is fixed.
 */
export const READER_GAPS: ReadonlySet<string> = new Set([]);

/** Host names a reader normalises; `readsAs` is the canonical name (or IP address). */
export const NORMALISED_HOSTS: readonly HostEntry[] = HOSTNAMES.filter((h) => h.readsAs !== null);

export const USERS: readonly TextEntry[] = json<{ entries: TextEntry[] }>("users.json").entries;
export const NAMES: readonly TextEntry[] = json<{ entries: TextEntry[] }>("names.json").entries;

export interface LogTemplate {
  readonly format: TrafficFormat;
  readonly encode: "raw" | "json" | "csv";
  readonly exact: boolean;
  readonly header: readonly string[];
  readonly line: string;
}

const templates = json<{ formats: LogTemplate[]; urlFormats: LogTemplate[] }>("logs/templates.json");
export const LOG_TEMPLATES: readonly LogTemplate[] = templates.formats;
/** Lines that carry a full URL, `{URL}`, from which the reader takes the host. */
export const URL_TEMPLATES: readonly LogTemplate[] = templates.urlFormats;

export const URLS: readonly HostEntry[] = json<{ entries: HostEntry[] }>("urls.json").entries;

/** `value` written as the template's field encoding. */
export function encodeField(encode: LogTemplate["encode"], value: string): string {
  if (encode === "json") return JSON.stringify(value).slice(1, -1);
  if (encode === "csv") return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
  return value;
}

/** One line of `t` with the host (or URL) and user filled in (default user: an ordinary one). */
export function fillTemplate(t: LogTemplate, host: string, user = "ann"): string {
  return t.line
    .replace(/\{(HOST|URL)\}/g, () => encodeField(t.encode, host))
    .replace(/\{USER\}/g, () => encodeField(t.encode, user));
}
