import { describe, expect, it } from "vitest";
import type { Source, SourceHealth } from "./bindings";
import { sourceLabel, sourceStatus } from "./sources";

function source(health: Partial<SourceHealth>, name = "Feed"): Source {
  return {
    id: 1,
    url: "https://example.org/feed.xml",
    name,
    group: null,
    enabled: true,
    interval_minutes: 30,
    full_text: "auto",
    created_at: "2025-03-10T10:00:00Z",
    article_count: 0,
    health: {
      last_fetch_at: null,
      last_success_at: null,
      last_error_code: null,
      last_error: null,
      last_http_status: null,
      consecutive_failures: 0,
      next_fetch_at: null,
      ...health,
    },
  };
}

describe("sourceStatus", () => {
  it("reports never-fetched sources", () => {
    expect(sourceStatus(source({})).kind).toBe("never");
  });

  it("reports OK after a success", () => {
    const s = sourceStatus(source({ last_fetch_at: "2025-03-10T11:00:00Z", last_success_at: "2025-03-10T11:00:00Z" }));
    expect(s).toEqual({ kind: "ok", label: "OK", detail: null });
  });

  it("reports the error code and message while failing", () => {
    const s = sourceStatus(
      source({
        last_fetch_at: "2025-03-10T11:00:00Z",
        last_error_code: "network",
        last_error: "connection refused",
        consecutive_failures: 2,
      }),
    );
    expect(s).toEqual({ kind: "error", label: "Error: network", detail: "connection refused" });
  });

  it("treats an old error after a later success as history", () => {
    const s = sourceStatus(
      source({
        last_fetch_at: "2025-03-10T11:00:00Z",
        last_success_at: "2025-03-10T11:00:00Z",
        last_error_code: "parse",
        last_error: "bad xml",
      }),
    );
    expect(s.kind).toBe("ok");
  });

  it("falls back to the HTTP status when there is no code", () => {
    const s = sourceStatus(source({ last_fetch_at: "2025-03-10T11:00:00Z", last_http_status: 503, consecutive_failures: 1 }));
    expect(s.label).toBe("Error: HTTP 503");
  });
});

describe("sourceLabel", () => {
  it("uses the URL when the name is blank", () => {
    expect(sourceLabel({ name: "  ", url: "https://x.test/rss" })).toBe("https://x.test/rss");
    expect(sourceLabel({ name: "Reuters", url: "https://x.test/rss" })).toBe("Reuters");
  });
});
