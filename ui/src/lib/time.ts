const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function parse(iso: string): number | null {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** "just now", "3 min ago", "2 h ago", "5 days ago", "in 4 min"; older than 30 days: the date. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = parse(iso);
  if (t === null) return iso;
  const diff = now - t;
  const abs = Math.abs(diff);
  const future = diff < 0;
  const phrase = (n: number, unit: string) => (future ? `in ${n} ${unit}` : `${n} ${unit} ago`);

  if (abs < 45_000) return "just now";
  if (abs < HOUR) return phrase(Math.max(1, Math.round(abs / MINUTE)), "min");
  if (abs < DAY) return phrase(Math.floor(abs / HOUR), "h");
  if (abs < 30 * DAY) {
    const days = Math.floor(abs / DAY);
    return phrase(days, days === 1 ? "day" : "days");
  }
  return new Date(t).toISOString().slice(0, 10);
}

const absoluteFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "short",
});

/** Local absolute date and time, for title attributes and detail views. */
export function absoluteTime(iso: string): string {
  const t = parse(iso);
  return t === null ? iso : absoluteFormat.format(new Date(t));
}
