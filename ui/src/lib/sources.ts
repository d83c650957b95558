import type { Source } from "./bindings";

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
  if (isImported(source)) return { kind: "imported", label: "Imported", detail: null };
  if (!source.enabled) return { kind: "paused", label: "Paused", detail: h.last_error };
  const failing = h.consecutive_failures > 0 || (h.last_error_code !== null && h.last_success_at === null);
  if (failing) {
    const code = h.last_error_code ?? (h.last_http_status !== null ? `HTTP ${h.last_http_status}` : "failed");
    return { kind: "error", label: `Error: ${code}`, detail: h.last_error };
  }
  if (h.last_fetch_at === null) return { kind: "never", label: "Never fetched", detail: null };
  return { kind: "ok", label: "OK", detail: null };
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
  if (minutes % 1440 === 0) return minutes === 1440 ? "every day" : `every ${minutes / 1440} days`;
  if (minutes === 60) return "every hour";
  if (minutes % 60 === 0) return `every ${minutes / 60} h`;
  return `every ${minutes} min`;
}

/** A source holding imported articles (`mediawatch import`, "Import articles…"): never fetched. */
export function isImported(source: Pick<Source, "kind">): boolean {
  return source.kind === "import";
}
