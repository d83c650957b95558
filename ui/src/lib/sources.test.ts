import { afterEach, describe, expect, it } from "vitest";
import type { Source, SourceHealth } from "./bindings";
import { i18n } from "./i18n.svelte";
import {
  describeInterval,
  describeOpmlImport,
  groupNames,
  groupSources,
  intervalLabel,
  isImported,
  sourceLabel,
  sourceStatus,
} from "./sources";

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

describe("intervalLabel", () => {
  it("names the editor's choices", () => {
    expect(intervalLabel(5)).toBe("5 minutes");
    expect(intervalLabel(60)).toBe("1 hour");
    expect(intervalLabel(360)).toBe("6 hours");
    expect(intervalLabel(1440)).toBe("1 day");
    expect(intervalLabel(2880)).toBe("2 days");
  });
});

describe("describeOpmlImport", () => {
  it("counts what was added, what was there, and the warnings", () => {
    const added = [source({}), source({})];
    expect(describeOpmlImport({ added, already_present: 0, warnings: [] })).toBe("Imported 2 sources.");
    expect(describeOpmlImport({ added: added.slice(1), already_present: 3, warnings: ["no URL", "bad outline"] })).toBe(
      "Imported 1 source, 3 already present, 2 warnings: no URL; bad outline.",
    );
    expect(describeOpmlImport({ added: [], already_present: 1, warnings: ["no URL"] })).toBe(
      "Imported 0 sources, 1 already present, 1 warning: no URL.",
    );
  });
});

describe("in Russian", () => {
  afterEach(() => i18n.set("system"));

  it("agrees the counts", () => {
    i18n.set("ru");
    expect(describeInterval(30)).toBe("раз в 30 мин");
    expect(describeInterval(60)).toBe("раз в час");
    expect(describeInterval(2880)).toBe("раз в 2 дня");
    expect(describeInterval(7200)).toBe("раз в 5 дней");
    expect(intervalLabel(15)).toBe("15 минут");
    expect(intervalLabel(120)).toBe("2 часа");
    expect(intervalLabel(1440)).toBe("1 день");
    const added = [source({}), source({})];
    expect(describeOpmlImport({ added, already_present: 5, warnings: ["no URL"] })).toBe(
      "Импортировано 2 источника, 5 уже были в списке, 1 предупреждение: no URL.",
    );
    expect(describeOpmlImport({ added: added.slice(1), already_present: 0, warnings: [] })).toBe("Импортирован 1 источник.");
  });

  it("reads the status", () => {
    i18n.set("ru");
    expect(sourceStatus(source({ last_fetch_at: "2025-03-10T11:00:00Z", last_http_status: 503, consecutive_failures: 1 })).label).toBe(
      "Ошибка: HTTP 503",
    );
    expect(sourceStatus(source({})).label).toBe("Ещё не загружался");
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
