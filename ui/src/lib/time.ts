import { i18n, t } from "./i18n.svelte";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function parse(iso: string): number | null {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A cached `Intl.DateTimeFormat` of the interface's locale. */
function format(name: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${i18n.locale}|${name}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(i18n.locale, options)));
  return f;
}

/**
 * "just now", "3 min ago", "2 h ago", "5 days ago", "in 4 min" (in the interface's language); older than 30
 * days: the date.
 */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const at = parse(iso);
  if (at === null) return iso;
  const diff = now - at;
  const abs = Math.abs(diff);
  const when = diff < 0 ? "in" : "ago";

  if (abs < 45_000) return t("time.justNow");
  if (abs < HOUR) return t(`time.${when}.minutes`, { n: Math.max(1, Math.round(abs / MINUTE)) });
  if (abs < DAY) return t(`time.${when}.hours`, { n: Math.floor(abs / HOUR) });
  if (abs < 30 * DAY) return t(`time.${when}.days`, { n: Math.floor(abs / DAY) });
  return format("date", { dateStyle: "medium" }).format(new Date(at));
}

/** Local absolute date and time, for title attributes and detail views. */
export function absoluteTime(iso: string): string {
  const at = parse(iso);
  return at === null ? iso : format("dateTime", { dateStyle: "medium", timeStyle: "short" }).format(new Date(at));
}

/** A day and month ("Mar 10", "10 мар."), for chart axes and table rows; in `timeZone` when given. */
export function shortDate(at: Date, timeZone?: string): string {
  return format(`shortDate|${timeZone ?? ""}`, { month: "short", day: "numeric", timeZone }).format(at);
}

/** Hours and minutes of the locale ("14:05", "2:05 PM"). */
export function shortTime(at: Date, timeZone?: string): string {
  return format(`shortTime|${timeZone ?? ""}`, { hour: "2-digit", minute: "2-digit", timeZone }).format(at);
}
