import type { Source } from "./bindings";

export interface SourceStatus {
  kind: "ok" | "error" | "never";
  label: string;
  detail: string | null;
}

/**
 * How a source's health reads in the table: "OK", "Error: network", or "Never fetched".
 * A source is failing while it has consecutive failures, or when it has an error
 * and has never succeeded; an old error after a later success is history, not status.
 */
export function sourceStatus(source: Source): SourceStatus {
  const h = source.health;
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
