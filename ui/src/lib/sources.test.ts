import { describe, expect, it } from "vitest";
import type { Source, SourceHealth } from "./bindings";
import { describeInterval, groupNames, groupSources, isImported, sourceLabel, sourceStatus } from "./sources";

function source(health: Partial<SourceHealth>, name = "Feed"): Source {
  return {
    id: 1,
    url: "https://example.org/feed.xml",
    name,
    group: null,
    enabled: true,
    interval_minutes: 30,
    full_text: "auto",
    kind: "feed",
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

describe("paused sources", () => {
  it("read as paused whatever their health, keeping the last error as detail", () => {
    const s = { ...source({ consecutive_failures: 2, last_error_code: "network", last_error: "refused" }), enabled: false };
    expect(sourceStatus(s)).toEqual({ kind: "paused", label: "Paused", detail: "refused" });
  });
});

describe("groupSources", () => {
  const withGroup = (id: number, group: string | null) => ({ ...source({}), id, group });

  it("keeps the order and puts each folder's sources together", () => {
    const groups = groupSources([withGroup(1, null), withGroup(2, "Agencies"), withGroup(3, "Agencies"), withGroup(4, "Russia")]);
    expect(groups.map((g) => [g.name, g.sources.map((s) => s.id)])).toEqual([
      [null, [1]],
      ["Agencies", [2, 3]],
      ["Russia", [4]],
    ]);
  });

  it("treats a blank folder as none and merges a folder seen again", () => {
    const groups = groupSources([withGroup(1, "A"), withGroup(2, "  "), withGroup(3, "A")]);
    expect(groups.map((g) => [g.name, g.sources.map((s) => s.id)])).toEqual([
      ["A", [1, 3]],
      [null, [2]],
    ]);
  });

  it("lists distinct folder names sorted", () => {
    expect(groupNames([withGroup(1, "Russia"), withGroup(2, null), withGroup(3, "Agencies"), withGroup(4, "Russia")])).toEqual([
      "Agencies",
      "Russia",
    ]);
  });
});

describe("describeInterval", () => {
  it("reads minutes, hours and days", () => {
    expect(describeInterval(15)).toBe("every 15 min");
    expect(describeInterval(90)).toBe("every 90 min");
    expect(describeInterval(60)).toBe("every hour");
    expect(describeInterval(120)).toBe("every 2 h");
    expect(describeInterval(1440)).toBe("every day");
    expect(describeInterval(2880)).toBe("every 2 days");
  });
});

describe("imported sources", () => {
  it("read as imported whatever their health", () => {
    const s = { ...source({ consecutive_failures: 3, last_error_code: "network" }), kind: "import" as const };
    expect(isImported(s)).toBe(true);
    expect(sourceStatus(s)).toEqual({ kind: "imported", label: "Imported", detail: null });
    expect(isImported(source({}))).toBe(false);
  });
});
