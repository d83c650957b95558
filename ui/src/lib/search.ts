import type { Key } from "../i18n/catalogues";
import { languageLabel } from "./analysis";
import type { MentionCursor, SearchFacets, SearchOrder, SearchPage, SearchQuery } from "./bindings";
import { t } from "./i18n.svelte";
import { filterChips, parseFilter } from "./mentionsFilter";
import { href } from "./route";

/**
 * What the Search page shows, as its URL holds it, so that back and forward return to it:
 * `#/search?q=…&order=relevance&since=…&until=…&source=7&lang=ru&topic=SCO&unread=1`.
 */
export interface SearchView {
  /** The query as typed. */
  q: string;
  order: SearchOrder;
  /** An instant (RFC 3339): articles published (else fetched) at or after it. */
  since?: string;
  /** An instant: before it. */
  until?: string;
  source?: number;
  /** A language code; "" for articles whose language is unknown. */
  lang?: string;
  /** Only the mentions of this topic (its name). */
  topic?: string;
  /** Only articles not read yet. */
  unread?: boolean;
}

/** The longest topic name taken from a URL. */
const TOPIC_MAX = 200;

/** The view in a route's parameters; what does not parse is left out. The filters read as the Mentions page's. */
export function parseSearchView(params: Record<string, string>): SearchView {
  const f = parseFilter(params);
  const view: SearchView = { q: params.q ?? "", order: params.order === "relevance" ? "relevance" : "newest" };
  if (f.since) view.since = f.since;
  if (f.until) view.until = f.until;
  if (f.source !== undefined) view.source = f.source;
  if (f.lang !== undefined) view.lang = f.lang;
  if (params.topic && params.topic.length <= TOPIC_MAX) view.topic = params.topic;
  if (f.unread) view.unread = true;
  return view;
}

/** The hash of the Search page showing this view (the inverse of `parseSearchView`). */
export function searchHref(v: SearchView): string {
  const params: Record<string, string> = {};
  if (v.q.trim() !== "") params.q = v.q.trim();
  if (v.order === "relevance") params.order = "relevance";
  if (v.since) params.since = v.since;
  if (v.until) params.until = v.until;
  if (v.source !== undefined) params.source = String(v.source);
  if (v.lang !== undefined) params.lang = v.lang;
  if (v.topic !== undefined) params.topic = v.topic;
  if (v.unread) params.unread = "1";
  return href("search", params);
}

/** Whether a view narrows the search by anything but its query (period, source, language, topic, unread). */
export function isFiltered(v: SearchView): boolean {
  return Boolean(v.since || v.until || v.source !== undefined || v.lang !== undefined || v.topic !== undefined || v.unread);
}

/** The backend's query for a view: its filters, one page of `limit` from `before` in `order`. */
export function searchQuery(
  v: SearchView,
  page: { limit: number | null; before?: MentionCursor | null; order?: SearchOrder },
): SearchQuery {
  return {
    query: v.q.trim(),
    since: v.since ?? null,
    until: v.until ?? null,
    source_id: v.source ?? null,
    lang: v.lang ?? null,
    topic: v.topic ?? null,
    unread_only: v.unread ?? false,
    limit: page.limit,
    before: page.before ?? null,
    order: page.order ?? v.order,
  };
}

export interface SearchChip {
  key: "topic" | "period" | "source" | "lang" | "unread";
  label: string;
  /** The view without this filter. */
  without: SearchView;
}

/**
 * The view's filters as removable chips, as the Mentions page shows them ("Topic: SCO", "Mar 4, 00:00 – now",
 * "Source: TASS", "Language: Russian (ru)", "Unread only").
 */
export function searchChips(v: SearchView, sourceName: (id: number) => string | undefined): SearchChip[] {
  const { q, order, topic, ...filter } = v;
  const base: SearchView = { q, order };
  const chips: SearchChip[] = [];
  if (topic !== undefined) chips.push({ key: "topic", label: t("search.filter.topic", { name: topic }), without: { ...base, ...filter } });
  const topicPart = topic !== undefined ? { topic } : {};
  for (const chip of filterChips(filter, sourceName)) {
    if (chip.key !== "period" && chip.key !== "source" && chip.key !== "lang" && chip.key !== "unread") continue;
    const w = chip.without;
    const without: SearchView = { ...base, ...topicPart };
    if (w.since) without.since = w.since;
    if (w.until) without.until = w.until;
    if (w.source !== undefined) without.source = w.source;
    if (w.lang !== undefined) without.lang = w.lang;
    if (w.unread) without.unread = true;
    chips.push({ key: chip.key, label: chip.label, without });
  }
  return chips;
}

/** How many entries each facet list shows. */
export const FACET_TOP = 10;

/** One entry of a facet list, as `BarList` draws it: a link to the view with that filter applied. */
export interface FacetBar {
  key: string | number;
  label: string;
  value: number;
  href: string;
}

/** The top entries of each facet list, each applying its filter to the view (a new search, from the first page). */
export function facetBars(f: SearchFacets, v: SearchView): { topics: FacetBar[]; sources: FacetBar[]; langs: FacetBar[] } {
  return {
    topics: f.topics.slice(0, FACET_TOP).map((x) => ({ key: x.name, label: x.name, value: x.count, href: searchHref({ ...v, topic: x.name }) })),
    sources: f.sources.slice(0, FACET_TOP).map((x) => ({ key: x.id, label: x.name, value: x.count, href: searchHref({ ...v, source: x.id }) })),
    langs: f.langs.slice(0, FACET_TOP).map((x) => ({ key: x.code, label: languageLabel(x.code), value: x.count, href: searchHref({ ...v, lang: x.code }) })),
  };
}

/** The line above the facet lists: "1,234 matches", or "The newest 20,000 matches" when the count stopped there. */
export function facetsTotal(f: Pick<SearchFacets, "total" | "capped">): string {
  return f.capped !== null ? t("search.facets.capped", { n: f.capped }) : t("search.facets.total", { n: f.total });
}

/** The line above the results: "50 articles so far, newest first", "12 articles, most relevant first". */
export function searchSummary(page: Pick<SearchPage, "hits" | "next" | "order">): string {
  if (page.hits.length === 0) return t("search.summary.none");
  const articles = t("common.articles", { n: page.hits.length });
  const found = page.next ? t("search.summary.soFar", { articles }) : articles;
  return t(page.order === "relevance" ? "search.summary.relevance" : "search.summary.newest", { articles: found });
}

/**
 * Why the results are not in the order asked for, when they are not: the backend's `note`, or a
 * generic line when it gave none.
 */
export function orderNote(page: Pick<SearchPage, "order" | "note">, wanted: SearchOrder): string | null {
  if (page.order === wanted && !page.note) return null;
  const reason = page.note?.trim().replace(/[.\s]+$/, "");
  if (page.order === wanted) return reason ? `${capitalise(reason)}.` : null;
  return reason ? t("search.notRanked", { reason }) : t("search.notRankedNewest");
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Example queries the empty Search page offers (in the query language, not translated), each with the
 * catalogue message of what it shows off (translated where it is shown).
 */
export const SEARCH_EXAMPLES: readonly { query: string; what: Key }[] = [
  { query: '"central bank" AND (rates OR inflation)', what: "search.examples.phrase" },
  { query: "Xi NEAR/5 Putin", what: "search.examples.near" },
  { query: "title:sanction*", what: "search.examples.prefix" },
  { query: "{SCO} NOT sport", what: "search.examples.exact" },
];

/** The search field's placeholder: sample queries, in the query language. */
export const SEARCH_PLACEHOLDER = '"central bank" AND rates, Xi NEAR/5 Putin, title:sanction*';
