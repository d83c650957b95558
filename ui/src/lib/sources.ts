import type { OpmlImportSummary, Source } from "./bindings";
import { t } from "./i18n.svelte";

export interface SourceStatus {
  kind: "ok" | "error" | "never" | "paused" | "imported";
  label: string;
  detail: string | null;
}

/**
 * How a source's health reads in the table: "OK", "Error: network", "Never fetched", or "Paused"
 * for a source the analyst switched off (its last error, if any, stays visible as detail).
 * A source is failing while it has consecutive failures, or when it has an error
 * and has never succeeded; an old error after a later success is history, not status.
 * A source of imported articles is never fetched: it reads "Imported", whatever its health.
 */
export function sourceStatus(source: Source): SourceStatus {
  const h = source.health;
  if (isImported(source)) return { kind: "imported", label: t("sources.status.imported"), detail: null };
  if (!source.enabled) return { kind: "paused", label: t("sources.status.paused"), detail: h.last_error };
  const failing = h.consecutive_failures > 0 || (h.last_error_code !== null && h.last_success_at === null);
  if (failing) {
    // The backend's error code ("network", "parse") and the HTTP status are shown as they come.
    const code = h.last_error_code ?? (h.last_http_status !== null ? `HTTP ${h.last_http_status}` : t("sources.status.failed"));
    return { kind: "error", label: t("sources.status.error", { code }), detail: h.last_error };
  }
  if (h.last_fetch_at === null) return { kind: "never", label: t("sources.status.never"), detail: null };
  return { kind: "ok", label: t("sources.status.ok"), detail: null };
}

/** A source's display name: its name, or its URL when it has none. */
export function sourceLabel(source: Pick<Source, "name" | "url">): string {
  return source.name.trim() || source.url;
}

export interface SourceGroup {
  /** The folder name, or null for sources filed under no folder. */
  name: string | null;
  sources: Source[];
}

/**
 * The sources by folder, in the order given (the backend sorts by folder, then name):
 * sources without a folder first, then one entry per folder.
 */
export function groupSources(sources: Source[]): SourceGroup[] {
  const groups: SourceGroup[] = [];
  for (const source of sources) {
    const name = source.group?.trim() || null;
    const last = groups.at(-1);
    const existing = last && last.name === name ? last : groups.find((g) => g.name === name);
    if (existing) existing.sources.push(source);
    else groups.push({ name, sources: [source] });
  }
  return groups;
}

/** The distinct folder names, sorted, for the editor's suggestions. */
export function groupNames(sources: Source[]): string[] {
  const names = new Set(sources.map((s) => s.group?.trim() ?? "").filter((g) => g !== ""));
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** "every 30 min", "every hour", "every 2 h", "every day", "every 2 days". */
export function describeInterval(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? t("sources.interval.day") : t("sources.interval.days", { n: minutes / 1440 });
  if (minutes === 60) return t("sources.interval.hour");
  if (minutes % 60 === 0) return t("sources.interval.hours", { n: minutes / 60 });
  return t("sources.interval.minutes", { n: minutes });
}

/** The editor's choice of interval: "30 minutes", "1 hour", "2 days". */
export function intervalLabel(minutes: number): string {
  if (minutes % 1440 === 0) return t("sources.editor.days", { n: minutes / 1440 });
  if (minutes % 60 === 0) return t("sources.editor.hours", { n: minutes / 60 });
  return t("sources.editor.minutes", { n: minutes });
}

/**
 * The note after an OPML import: "Imported 3 sources, 1 already present, 2 warnings: a; b." (the warnings
 * are the backend's, as it sends them).
 */
export function describeOpmlImport(result: Pick<OpmlImportSummary, "added" | "already_present" | "warnings">): string {
  const parts = [t("sources.note.opmlImported", { n: result.added.length })];
  if (result.already_present > 0) parts.push(t("sources.note.alreadyPresent", { n: result.already_present }));
  if (result.warnings.length > 0) parts.push(t("sources.note.warnings", { n: result.warnings.length, list: result.warnings.join("; ") }));
  return `${parts.join(", ")}.`;
}

/** A source holding imported articles (`mediawatch import`, "Import articles…"): never fetched. */
export function isImported(source: Pick<Source, "kind">): boolean {
  return source.kind === "import";
}
