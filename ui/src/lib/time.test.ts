import { describe, expect, it } from "vitest";
import { afterEach } from "vitest";
import { i18n } from "./i18n.svelte";
import { absoluteTime, relativeTime, shortDate } from "./time";

const NOW = Date.parse("2025-03-10T12:00:00Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe("relativeTime", () => {
  it("says just now for the last few seconds", () => {
    expect(relativeTime(ago(0), NOW)).toBe("just now");
    expect(relativeTime(ago(30_000), NOW)).toBe("just now");
  });

  it("counts minutes", () => {
    expect(relativeTime(ago(50_000), NOW)).toBe("1 min ago");
    expect(relativeTime(ago(3 * 60_000), NOW)).toBe("3 min ago");
    expect(relativeTime(ago(59 * 60_000), NOW)).toBe("59 min ago");
  });

  it("counts hours", () => {
    expect(relativeTime(ago(60 * 60_000), NOW)).toBe("1 h ago");
    expect(relativeTime(ago(23 * 3_600_000 + 59 * 60_000), NOW)).toBe("23 h ago");
  });

  it("counts days", () => {
    expect(relativeTime(ago(24 * 3_600_000), NOW)).toBe("1 day ago");
    expect(relativeTime(ago(5 * 24 * 3_600_000), NOW)).toBe("5 days ago");
  });

  it("shows the date for anything older than 30 days", () => {
    expect(relativeTime("2024-12-01T08:00:00Z", NOW)).toBe("Dec 1, 2024");
  });

  it("handles future times (clock skew)", () => {
    expect(relativeTime(new Date(NOW + 4 * 60_000).toISOString(), NOW)).toBe("in 4 min");
  });

  it("accepts RFC 3339 offsets", () => {
    expect(relativeTime("2025-03-10T14:57:00+03:00", NOW)).toBe("3 min ago");
  });

  it("returns unparseable input unchanged", () => {
    expect(relativeTime("not a date", NOW)).toBe("not a date");
  });
});

describe("absoluteTime", () => {
  it("formats a valid time and passes through an invalid one", () => {
    expect(absoluteTime("2025-03-10T12:00:00Z")).toMatch(/2025/);
    expect(absoluteTime("garbage")).toBe("garbage");
  });
});

describe("in Russian", () => {
  afterEach(() => i18n.set("system"));

  it("counts with Russian plural forms and formats dates the Russian way", () => {
    i18n.set("ru");
    expect(relativeTime(ago(30_000), NOW)).toBe("только что");
    expect(relativeTime(ago(3 * 60_000), NOW)).toBe("3 мин назад");
    expect(relativeTime(ago(2 * 3_600_000), NOW)).toBe("2 ч назад");
    expect(relativeTime(ago(1 * 24 * 3_600_000), NOW)).toBe("1 день назад");
    expect(relativeTime(ago(3 * 24 * 3_600_000), NOW)).toBe("3 дня назад");
    expect(relativeTime(ago(5 * 24 * 3_600_000), NOW)).toBe("5 дней назад");
    expect(relativeTime(new Date(NOW + 4 * 60_000).toISOString(), NOW)).toBe("через 4 мин");
    expect(relativeTime("2024-12-01T08:00:00Z", NOW)).toBe("1 дек. 2024 г.");
    expect(shortDate(new Date("2025-03-10T12:00:00Z"), "UTC")).toBe("10 мар.");
    expect(absoluteTime("2025-03-10T12:00:00Z")).toMatch(/10 мар\. 2025/);
  });

  it("switches back", () => {
    i18n.set("en");
    expect(relativeTime(ago(3 * 60_000), NOW)).toBe("3 min ago");
    expect(shortDate(new Date("2025-03-10T12:00:00Z"), "UTC")).toBe("Mar 10");
  });
});
