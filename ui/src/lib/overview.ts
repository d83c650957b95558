/** The Overview's pure parts: the analyst's last visit, and the topic cards' sparklines. */
import { t } from "./i18n.svelte";

export const VISIT_KEY = "mediawatch.overview.visitedAt";
/** A first visit counts the last day as new. */
const FIRST_VISIT_WINDOW_MS = 24 * 3600_000;

/** Since when a card counts mentions as new: the last visit kept, else a day before now. A stored time in
 * the future (a clock set back) or unreadable counts as no visit. */
export function visitSince(stored: string | null, now: Date): string {
  const t = stored === null ? Number.NaN : Date.parse(stored);
  if (Number.isNaN(t) || t > now.getTime()) return new Date(now.getTime() - FIRST_VISIT_WINDOW_MS).toISOString();
  return new Date(t).toISOString();
}

/** The points of a sparkline of daily counts in a box of width × height (a flat line at the bottom for none). */
export function sparkPoints(counts: readonly number[], width: number, height: number, pad = 2): string {
  if (counts.length === 0) return "";
  const max = Math.max(...counts);
  const step = counts.length > 1 ? (width - 2 * pad) / (counts.length - 1) : 0;
  const y = (n: number) => (max === 0 ? height - pad : height - pad - (n / max) * (height - 2 * pad));
  return counts.map((n, i) => `${(pad + i * step).toFixed(1)},${y(n).toFixed(1)}`).join(" ");
}

/** "412 mentions in 30 days, most on one day 57" (in the interface's language). */
export function sparkLabel(counts: readonly number[]): string {
  const total = counts.reduce((a, b) => a + b, 0);
  const max = counts.length ? Math.max(...counts) : 0;
  return t("overview.sparkline", { n: counts.length, mentions: t("common.mentions", { n: total }), max });
}

/** What a fetch cycle did, as the Overview's status line says it. */
export interface CycleCounts {
  started_at: string;
  finished_at: string;
  sources: number;
  new_articles: number;
  not_modified: number;
  errors: number;
  new_mentions: number;
  alerts_fired: number;
  cancelled: boolean;
}

/** A duration: "0.4 s", "8 s", "2 min 5 s". */
export function cycleDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return t("overview.cycle.seconds", { s: Math.round(s * 10) / 10 });
  if (s < 60) return t("overview.cycle.seconds", { s: Math.round(s) });
  return t("overview.cycle.minutes", { m: Math.floor(s / 60), s: String(Math.round(s % 60)) });
}

/**
 * "12 new articles from 40 sources, 3 unchanged, 1 error · 4 new mentions · 1 alert fired · took 8 s": the
 * last cycle's line on the Overview.
 */
export function describeCycle(c: CycleCounts): string {
  let fetched = t("app.fetch.result", {
    articles: t("common.newArticles", { n: c.new_articles }),
    sources: t("app.fetch.fromSources", { n: c.sources }),
  });
  if (c.not_modified > 0) fetched += t("app.fetch.unchanged", { n: c.not_modified });
  if (c.errors > 0) fetched += `, ${t("common.errors", { n: c.errors })}`;
  const parts = [fetched, t("overview.cycle.mentions", { n: c.new_mentions })];
  if (c.alerts_fired > 0) parts.push(t("overview.cycle.alerts", { n: c.alerts_fired }));
  parts.push(t("overview.cycle.took", { duration: cycleDuration(Date.parse(c.finished_at) - Date.parse(c.started_at)) }));
  return parts.join(" · ") + (c.cancelled ? t("app.fetch.cancelled") : "");
}
