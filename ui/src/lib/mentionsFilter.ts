/** The Mentions page's filter beyond the topic, as its URL holds it: `#/mentions?topic=SCO&since=…&until=…&source=7&lang=ru`. */
import { i18n, t } from "./i18n.svelte";
import { href } from "./route";
import { absoluteTime } from "./time";

export interface MentionsFilter {
  /** An instant (RFC 3339): mentions published (else fetched) at or after it. */
  since?: string;
  /** An instant: before it. */
  until?: string;
  source?: number;
  /** A language code; "" for articles whose language is unknown. */
  lang?: string;
  /** Only articles not read yet. */
  unread?: boolean;
}

const instant = (v: string | undefined): string | undefined =>
  v !== undefined && !Number.isNaN(Date.parse(v)) ? new Date(Date.parse(v)).toISOString() : undefined;

/** The filter in a route's parameters; what does not parse is left out rather than sent. */
export function parseFilter(params: Record<string, string>): MentionsFilter {
  const f: MentionsFilter = {};
  const since = instant(params.since);
  const until = instant(params.until);
  if (since) f.since = since;
  if (until) f.until = until;
  const source = Number(params.source);
  if (params.source !== undefined && Number.isInteger(source) && source > 0) f.source = source;
  if (params.lang !== undefined && /^[a-z-]{0,12}$/i.test(params.lang)) f.lang = params.lang;
  if (params.unread === "1") f.unread = true;
  return f;
}

/** The hash of the Mentions page with this topic (null: every topic) and filter. */
export function mentionsHref(topic: string | null, f: MentionsFilter): string {
  const params: Record<string, string> = {};
  if (topic) params.topic = topic;
  if (f.since) params.since = f.since;
  if (f.until) params.until = f.until;
  if (f.source !== undefined) params.source = String(f.source);
  if (f.lang !== undefined) params.lang = f.lang;
  if (f.unread) params.unread = "1";
  return href("mentions", params);
}

export interface FilterChip {
  key: "period" | "source" | "lang" | "unread";
  label: string;
  /** The filter without this part. */
  without: MentionsFilter;
}

/**
 * A language code as the chip names it, in the interface's language: "Russian (ru)", "русский (ru)";
 * "Unknown" for articles whose language was not read, the code itself when it has no name.
 */
export function languageName(code: string): string {
  if (code === "") return t("mentions.filter.unknownLanguage");
  try {
    const name = new Intl.DisplayNames([i18n.locale], { type: "language" }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** The parts of a filter as removable chips: "Mar 4, 00:00 – Mar 5, 00:00", "Source: TASS", "Language: Russian (ru)". */
export function filterChips(f: MentionsFilter, sourceName: (id: number) => string | undefined): FilterChip[] {
  const chips: FilterChip[] = [];
  if (f.since || f.until) {
    const { since: _s, until: _u, ...rest } = f;
    const label = `${f.since ? absoluteTime(f.since) : "…"} – ${f.until ? absoluteTime(f.until) : t("common.now")}`;
    chips.push({ key: "period", label, without: rest });
  }
  if (f.source !== undefined) {
    const { source: _, ...rest } = f;
    chips.push({ key: "source", label: t("mentions.filter.source", { name: sourceName(f.source) ?? `#${f.source}` }), without: rest });
  }
  if (f.lang !== undefined) {
    const { lang: _, ...rest } = f;
    chips.push({ key: "lang", label: t("mentions.filter.language", { name: languageName(f.lang) }), without: rest });
  }
  if (f.unread) {
    const { unread: _, ...rest } = f;
    chips.push({ key: "unread", label: t("mentions.unreadOnly"), without: rest });
  }
  return chips;
}
