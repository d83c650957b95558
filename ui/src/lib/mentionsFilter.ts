/**
 * The Mentions page's filter beyond the topic, as its URL holds it:
 * `#/mentions?topic=SCO&since=…&until=…&source=7&lang=ru&unread=1&starred=1&group=Wires&sort=relevance`.
 */
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
  /** Only starred articles. */
  starred?: boolean;
  /** Only the sources of this group (its name); "" for the sources without a group. */
  group?: string;
  /** The list's order; newest first when absent. */
  order?: "relevance";
}

/** A group's name in the URL: any text but a very long one. */
const GROUP_MAX = 200;

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
  if (params.starred === "1") f.starred = true;
  if (params.group !== undefined && params.group.length <= GROUP_MAX) f.group = params.group;
  if (params.sort === "relevance") f.order = "relevance";
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
  if (f.starred) params.starred = "1";
  if (f.group !== undefined) params.group = f.group;
  if (f.order === "relevance") params.sort = "relevance";
  return href("mentions", params);
}

export interface FilterChip {
  key: "period" | "source" | "group" | "lang" | "unread" | "starred";
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

/** A source group's name as the page shows it: "No group" for the sources without one. */
export function groupName(name: string | null | undefined): string {
  return name ? name : t("mentions.pane.noGroup");
}

/**
 * The parts of a filter as removable chips: "Mar 4, 00:00 – Mar 5, 00:00", "Source: TASS", "Group: Wires",
 * "Language: Russian (ru)", "Unread only", "Starred". The order is not a filter: the list's sort toggle shows it.
 */
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
  if (f.group !== undefined) {
    const { group: _, ...rest } = f;
    chips.push({ key: "group", label: t("mentions.filter.group", { name: groupName(f.group) }), without: rest });
  }
  if (f.lang !== undefined) {
    const { lang: _, ...rest } = f;
    chips.push({ key: "lang", label: t("mentions.filter.language", { name: languageName(f.lang) }), without: rest });
  }
  if (f.unread) {
    const { unread: _, ...rest } = f;
    chips.push({ key: "unread", label: t("mentions.unreadOnly"), without: rest });
  }
  if (f.starred) {
    const { starred: _, ...rest } = f;
    chips.push({ key: "starred", label: t("mentions.filter.starred"), without: rest });
  }
  return chips;
}
