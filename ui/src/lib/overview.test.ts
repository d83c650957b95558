import { afterEach, describe, expect, it } from "vitest";
import { i18n } from "./i18n.svelte";
import { sparkLabel, sparkPoints, visitSince } from "./overview";

describe("the last visit", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  it("is the stored time, else a day ago", () => {
    expect(visitSince("2026-03-09T08:00:00.000Z", now)).toBe("2026-03-09T08:00:00.000Z");
    expect(visitSince(null, now)).toBe("2026-03-09T12:00:00.000Z");
    expect(visitSince("garbage", now)).toBe("2026-03-09T12:00:00.000Z");
    expect(visitSince("2027-01-01T00:00:00Z", now)).toBe("2026-03-09T12:00:00.000Z");
  });
});

describe("sparklines", () => {
  it("spans the box, the busiest day at the top", () => {
    expect(sparkPoints([0, 5, 10], 104, 24)).toBe("2.0,22.0 52.0,12.0 102.0,2.0");
    expect(sparkPoints([0, 0], 10, 10)).toBe("2.0,8.0 8.0,8.0");
    expect(sparkPoints([], 10, 10)).toBe("");
  });

  it("says what it draws", () => {
    expect(sparkLabel([1, 0, 3])).toBe("4 mentions in 3 days, most on one day 3");
    expect(sparkLabel([1])).toBe("1 mention in 1 day, most on one day 1");
    expect(sparkLabel(Array<number>(30).fill(50))).toBe("1,500 mentions in 30 days, most on one day 50");
  });

  describe("in Russian", () => {
    afterEach(() => i18n.set("system"));

    it("says it with the Russian plurals", () => {
      i18n.set("ru");
      expect(sparkLabel([1, 0, 3])).toBe("4 упоминания за 3 дня, больше всего за день — 3");
      expect(sparkLabel([1])).toBe("1 упоминание за 1 день, больше всего за день — 1");
      expect(sparkLabel(Array<number>(30).fill(50))).toBe("1\u00a0500 упоминаний за 30 дней, больше всего за день — 50");
    });
  });
});
