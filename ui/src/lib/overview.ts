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
