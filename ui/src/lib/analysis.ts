/** The Analysis page's pure parts: its state in the URL, the period it asks for, the chart's data and the
 * links from every point and bar to the mentions behind it. */
import type { Key } from "../i18n/catalogues";
import type { Analysis, AnalysisQuery, Interval, Slice } from "./api";
import { i18n, t } from "./i18n.svelte";
import { href } from "./route";
import { shortDate, shortTime } from "./time";

/** The periods the page offers, each with its catalogue message (translated where it is shown). */
export const PERIODS = [
  { key: "24h", label: "analysis.periods.24h", days: 1, interval: "hour" },
  { key: "7d", label: "analysis.periods.7d", days: 7, interval: "hour" },
  { key: "30d", label: "analysis.periods.30d", days: 30, interval: "day" },
  { key: "90d", label: "analysis.periods.90d", days: 90, interval: "day" },
  { key: "365d", label: "analysis.periods.365d", days: 365, interval: "day" },
] as const satisfies readonly { key: string; label: Key; days: number; interval: Interval }[];

export type PeriodKey = (typeof PERIODS)[number]["key"];
export const DEFAULT_PERIOD: PeriodKey = "30d";

/** What the page shows, as its URL holds it: `#/analysis?period=30d&topic=A&topic=B` (no topic: every topic). */
export interface AnalysisView {
  period: PeriodKey;
  interval: Interval;
  topics: string[];
}

function periodOf(key: string | null): (typeof PERIODS)[number] {
  return PERIODS.find((p) => p.key === key) ?? PERIODS.find((p) => p.key === DEFAULT_PERIOD)!;
}

/** The view in a hash's query string (repeated `topic` keys kept); anything unknown falls back to the defaults. */
export function parseView(query: string): AnalysisView {
  const q = new URLSearchParams(query);
  const period = periodOf(q.get("period"));
  const by = q.get("by");
  const interval: Interval = by === "hour" || by === "day" ? by : period.interval;
  const topics = [...new Set(q.getAll("topic").filter((t) => t.trim() !== ""))];
  return { period: period.key, interval, topics };
}

/** The hash of a view; the interval only when it is not the period's own. */
export function viewHref(view: AnalysisView): string {
  const q = new URLSearchParams({ period: view.period });
  if (view.interval !== periodOf(view.period).interval) q.set("by", view.interval);
  for (const t of view.topics) q.append("topic", t);
  return `#/analysis?${q}`;
}

/** The period on the local clock: the last 24 hours, or from the local midnight that begins the first of
 * the last N days (today included) until now. */
export function periodRange(key: PeriodKey, now: Date): { since: Date; until: Date } {
  const p = periodOf(key);
  if (p.days === 1) return { since: new Date(now.getTime() - 24 * 3600_000), until: now };
  const since = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (p.days - 1));
  return { since, until: now };
}

export function analysisQuery(view: AnalysisView, now: Date, zone: string): AnalysisQuery {
  const { since, until } = periodRange(view.period, now);
  return {
    topics: view.topics,
    since: since.toISOString(),
    until: until.toISOString(),
    interval: view.interval,
    timezone: zone,
  };
}

/** uPlot's data: the buckets' starts in seconds, then one row of counts per topic. */
export function chartData(a: Analysis): [number[], ...number[][]] {
  const xs = a.buckets.map((b) => Date.parse(b) / 1000);
  return [xs, ...a.series.map((s) => s.counts)];
}

/** Bucket `i` as a period: its start, and the next bucket's start (the period's end for the last). */
export function bucketPeriod(a: Analysis, query: AnalysisQuery, i: number): { since: string; until: string } {
  return { since: a.buckets[i], until: a.buckets[i + 1] ?? query.until };
}

/** The mentions behind a chart point: the topic in that bucket. */
export function pointHref(a: Analysis, query: AnalysisQuery, series: number, bucket: number): string {
  const { since, until } = bucketPeriod(a, query, bucket);
  return href("mentions", { topic: a.series[series].topic, since, until });
}

/** The mentions behind a bar of the sources or languages: the whole period, the topic when there is one. */
export function sliceHref(a: Analysis, query: AnalysisQuery, kind: "source" | "lang", slice: Slice): string {
  const params: Record<string, string> = { since: query.since, until: query.until };
  if (a.series.length === 1) params.topic = a.series[0].topic;
  if (kind === "source" && slice.id !== null) params.source = String(slice.id);
  if (kind === "lang") params.lang = slice.label;
  return href("mentions", params);
}

export interface Share {
  topic: string;
  topicId: number;
  total: number;
  /** Of all the topics' mentions, 0–100, one decimal. */
  percent: number;
}

/** Share of voice: each topic's mentions of the period against all of theirs, largest first. */
export function shares(a: Analysis): Share[] {
  const all = a.series.reduce((n, s) => n + s.total, 0);
  return a.series
    .map((s) => ({
      topic: s.topic,
      topicId: s.topic_id,
      total: s.total,
      percent: all === 0 ? 0 : Math.round((s.total / all) * 1000) / 10,
    }))
    .sort((x, y) => y.total - x.total || x.topic.localeCompare(y.topic));
}

/** A bar's width in percent of the largest bar (at least a sliver for a count above zero). */
export function barWidth(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.max(1, Math.round((n / max) * 100));
}

const languageNames = new Map<string, Intl.DisplayNames | null>();

/** The interface locale's names of languages (null where the runtime has none). */
function displayNames(locale: string): Intl.DisplayNames | null {
  if (!languageNames.has(locale)) {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale], { type: "language" });
    } catch {
      names = null;
    }
    languageNames.set(locale, names);
  }
  return languageNames.get(locale) ?? null;
}

/**
 * A language code named in the interface's language: "Russian (ru)", "Русский (ru)"; "Unknown" for an
 * article whose language was not read; the code itself when the runtime does not know it.
 */
export function languageLabel(code: string): string {
  if (code === "") return t("analysis.unknownLanguage");
  const locale = i18n.locale;
  let name: string | undefined;
  try {
    name = displayNames(locale)?.of(code);
  } catch {
    name = undefined;
  }
  if (!name || name === code) return code;
  // Russian names languages in lower case ("русский"); as a label it starts with a capital.
  const label = name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
  return t("analysis.language", { name: label, code });
}

/** A bucket's label: a day ("Mar 4") or an hour ("Mar 4, 02:00 PM"), in the local zone and the interface's locale. */
export function bucketLabel(iso: string, interval: Interval): string {
  const d = new Date(iso);
  const day = shortDate(d);
  if (interval === "day") return day;
  return t("analysis.chart.bucketHour", { day, time: shortTime(d) });
}

/** How many topics' lines the volume chart draws when none are chosen. */
export const MAX_LINES = 8;

/** The analysis with only the `n` busiest topics' series (the chart of "every topic" stays readable); the
 * other figures are left as they are. */
export function busiestSeries(a: Analysis, n: number = MAX_LINES): Analysis {
  if (a.series.length <= n) return a;
  const keep = new Set(
    [...a.series]
      .sort((x, y) => y.total - x.total || x.topic.localeCompare(y.topic))
      .slice(0, n)
      .map((s) => s.topic_id),
  );
  return { ...a, series: a.series.filter((s) => keep.has(s.topic_id)) };
}
