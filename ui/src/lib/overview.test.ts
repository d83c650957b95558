import { afterEach, describe, expect, it } from "vitest";
import { i18n } from "./i18n.svelte";
import { cycleDuration, describeCycle, sparkLabel, sparkPoints, visitSince } from "./overview";

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

describe("describeCycle", () => {
  afterEach(() => i18n.set("system"));
  const cycle = {
    started_at: "2026-12-08T10:00:00Z",
    finished_at: "2026-12-08T10:00:08.400Z",
    sources: 40,
    new_articles: 12,
    not_modified: 3,
    errors: 1,
    new_mentions: 4,
    alerts_fired: 1,
    cancelled: false,
  };

  it("says what the last cycle did", () => {
    expect(describeCycle(cycle)).toBe("12 new articles from 40 sources, 3 unchanged, 1 error · 4 new mentions · 1 alert fired · took 8.4 s");
    expect(
      describeCycle({ ...cycle, sources: 1, new_articles: 0, not_modified: 0, errors: 0, new_mentions: 0, alerts_fired: 0, cancelled: true, finished_at: "2026-12-08T10:02:05Z" }),
    ).toBe("0 new articles from 1 source · 0 new mentions · took 2 min 5 s (cancelled)");
  });

  it("says it in Russian", () => {
    i18n.set("ru");
    expect(describeCycle(cycle)).toBe(
      "12 новых статей из 40 источников, без изменений: 3, 1 ошибка · 4 новых упоминания · 1 оповещение · заняло 8,4 с",
    );
    expect(cycleDuration(125_000)).toBe("2 мин 5 с");
  });
});
