import { afterEach, describe, expect, it } from "vitest";
import type { Analysis, AnalysisQuery } from "./api";
import {
  analysisQuery,
  busiestSeries,
  barWidth,
  bucketLabel,
  bucketPeriod,
  chartData,
  languageLabel,
  parseView,
  periodRange,
  pointHref,
  shares,
  sliceHref,
  PERIODS,
  viewHref,
} from "./analysis";
import { i18n, t } from "./i18n.svelte";
import { parseHash } from "./route";

function analysis(partial: Partial<Analysis> = {}): Analysis {
  return {
    timezone: "UTC",
    interval: "day",
    buckets: ["2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"],
    series: [
      { topic_id: 1, topic: "BRICS", counts: [1, 0, 3], total: 4 },
      { topic_id: 2, topic: "SCO", counts: [2, 2, 8], total: 12 },
    ],
    articles: 14,
    sources: [{ id: 7, label: "TASS", articles: 9 }],
    languages: [{ id: null, label: "ru", articles: 9 }],
    stories: [],
    ...partial,
  };
}

const query: AnalysisQuery = {
  topics: [],
  since: "2026-03-01T00:00:00.000Z",
  until: "2026-03-03T15:00:00.000Z",
  interval: "day",
  timezone: "UTC",
};

describe("the view in the URL", () => {
  it("reads back what it wrote, topics in order and repeated keys kept", () => {
    const view = { period: "7d", interval: "day", topics: ["Belt & Road", "SCO"] } as const;
    const hash = viewHref({ ...view, topics: [...view.topics] });
    expect(parseView(hash.slice(hash.indexOf("?") + 1))).toEqual(view);
    expect(parseHash(hash).page).toBe("analysis");
  });

  it("falls back to 30 days by day, every topic, for anything unknown", () => {
    expect(parseView("period=1000y&by=minute&topic=")).toEqual({ period: "30d", interval: "day", topics: [] });
    expect(parseView("period=7d")).toEqual({ period: "7d", interval: "hour", topics: [] });
    expect(viewHref({ period: "7d", interval: "hour", topics: [] })).toBe("#/analysis?period=7d");
  });
});

describe("the period", () => {
  it("begins at the local midnight of the first day, today included", () => {
    const now = new Date(2026, 2, 10, 15, 30);
    const { since, until } = periodRange("7d", now);
    expect(since).toEqual(new Date(2026, 2, 4, 0, 0));
    expect(until).toBe(now);
    expect(periodRange("24h", now).since).toEqual(new Date(2026, 2, 9, 15, 30));
  });

  it("is sent as instants with the zone whose days the backend counts", () => {
    const q = analysisQuery({ period: "30d", interval: "day", topics: ["SCO"] }, new Date(Date.UTC(2026, 2, 31, 12)), "Asia/Shanghai");
    expect(q.topics).toEqual(["SCO"]);
    expect(q.timezone).toBe("Asia/Shanghai");
    expect(Date.parse(q.until) - Date.parse(q.since)).toBeGreaterThan(29 * 86400_000);
  });
});

describe("chart data and links", () => {
  it("gives uPlot seconds and one row per topic", () => {
    const [xs, ...rows] = chartData(analysis());
    expect(xs).toEqual([1772323200, 1772409600, 1772496000]);
    expect(rows).toEqual([
      [1, 0, 3],
      [2, 2, 8],
    ]);
  });

  it("opens a point's mentions: its topic in its bucket, the last bucket ending with the period", () => {
    const a = analysis();
    expect(bucketPeriod(a, query, 0)).toEqual({ since: a.buckets[0], until: a.buckets[1] });
    expect(bucketPeriod(a, query, 2)).toEqual({ since: a.buckets[2], until: query.until });
    const route = parseHash(pointHref(a, query, 1, 2));
    expect(route).toEqual({ page: "mentions", params: { topic: "SCO", since: a.buckets[2], until: query.until } });
  });

  it("opens a bar's mentions over the period, with the topic only when there is one", () => {
    const two = parseHash(sliceHref(analysis(), query, "source", { id: 7, label: "TASS", articles: 9 }));
    expect(two.params).toEqual({ since: query.since, until: query.until, source: "7" });
    const one = analysis({ series: [{ topic_id: 1, topic: "BRICS", counts: [1, 0, 3], total: 4 }] });
    const lang = parseHash(sliceHref(one, query, "lang", { id: null, label: "ru", articles: 3 }));
    expect(lang.params).toEqual({ since: query.since, until: query.until, topic: "BRICS", lang: "ru" });
  });
});

describe("share of voice and bars", () => {
  it("shares the mentions between topics, largest first", () => {
    expect(shares(analysis()).map((s) => [s.topic, s.percent])).toEqual([
      ["SCO", 75],
      ["BRICS", 25],
    ]);
    expect(shares(analysis({ series: [{ topic_id: 1, topic: "A", counts: [0], total: 0 }] }))[0].percent).toBe(0);
  });

  it("draws a sliver for a small count and nothing for none", () => {
    expect(barWidth(1, 10_000)).toBe(1);
    expect(barWidth(0, 10)).toBe(0);
    expect(barWidth(5, 10)).toBe(50);
  });

  it("names languages, and says when one is unknown", () => {
    expect(languageLabel("ru")).toBe("Russian (ru)");
    expect(languageLabel("")).toBe("Unknown");
    expect(languageLabel("de")).toBe("German (de)");
    expect(languageLabel("zh")).toBe("Chinese (zh)");
    expect(languageLabel("qqq")).toBe("qqq");
  });
});

describe("labels", () => {
  it("names the periods", () => {
    expect(PERIODS.map((p) => t(p.label))).toEqual(["Last 24 hours", "Last 7 days", "Last 30 days", "Last 90 days", "Last 12 months"]);
  });

  it("labels a bucket by its day, or its day and hour, on the local clock", () => {
    const at = new Date(2026, 2, 4, 14, 0).toISOString();
    expect(bucketLabel(at, "day")).toBe("Mar 4");
    expect(bucketLabel(at, "hour")).toBe("Mar 4, 02:00 PM");
  });
});

describe("in Russian", () => {
  afterEach(() => i18n.set("system"));

  it("names languages, periods and buckets in Russian", () => {
    i18n.set("ru");
    expect(languageLabel("ru")).toBe("Русский (ru)");
    expect(languageLabel("de")).toBe("Немецкий (de)");
    expect(languageLabel("")).toBe("Не определён");
    expect(t(PERIODS[1].label)).toBe("Последние 7 дней");
    const at = new Date(2026, 2, 4, 14, 0).toISOString();
    expect(bucketLabel(at, "day")).toBe("4 мар.");
    expect(bucketLabel(at, "hour")).toBe("4 мар., 14:00");
  });

  it("counts flagged articles and outlets with the Russian plurals", () => {
    i18n.set("ru");
    expect(t("analysis.flaggedArticles", { n: 1 })).toBe("1 отмеченная статья");
    expect(t("analysis.flaggedArticles", { n: 3 })).toBe("3 отмеченные статьи");
    expect(t("analysis.flaggedArticles", { n: 11 })).toBe("11 отмеченных статей");
    const articles = t("common.articles", { n: 5 });
    expect(t("analysis.stories.fromOutlets", { n: 21, articles })).toBe("5 статей из 21 издания");
    expect(t("analysis.stories.fromOutlets", { n: 3, articles })).toBe("5 статей из 3 изданий");
  });
});

describe("the chart of every topic", () => {
  it("draws the busiest topics only, in their order, and keeps the rest of the figures", () => {
    const series = [3, 9, 1, 9, 5].map((total, i) => ({ topic_id: i + 1, topic: `T${i + 1}`, counts: [total], total }));
    const a = analysis({ series });
    const top = busiestSeries(a, 3);
    expect(top.series.map((s) => s.topic)).toEqual(["T2", "T4", "T5"]);
    expect(top.articles).toBe(a.articles);
    expect(busiestSeries(a, 5)).toBe(a);
  });
});
