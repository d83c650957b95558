import { afterEach, describe, expect, it } from "vitest";
import type { SearchFacets, SearchHit } from "./bindings";
import { i18n } from "./i18n.svelte";
import { parseHash } from "./route";
import {
  FACET_TOP,
  facetBars,
  facetsTotal,
  isFiltered,
  orderNote,
  parseSearchView,
  searchChips,
  searchHref,
  searchQuery,
  searchSummary,
  type SearchView,
} from "./search";

const hits = (n: number) => Array.from({ length: n }, (_, i) => ({ article_id: i }) as unknown as SearchHit);

describe("searchSummary", () => {
  it("counts the hits and names the order", () => {
    expect(searchSummary({ hits: hits(50), next: { sort_at: "x", article_id: 1 }, order: "newest" })).toBe(
      "50 articles so far, newest first",
    );
    expect(searchSummary({ hits: hits(1), next: null, order: "newest" })).toBe("1 article, newest first");
    expect(searchSummary({ hits: hits(12), next: null, order: "relevance" })).toBe("12 articles, most relevant first");
    expect(searchSummary({ hits: [], next: null, order: "newest" })).toBe("No stored article matches.");
  });
});

describe("orderNote", () => {
  it("is silent when the order asked for was used", () => {
    expect(orderNote({ order: "newest", note: null }, "newest")).toBeNull();
    expect(orderNote({ order: "relevance", note: null }, "relevance")).toBeNull();
  });

  it("explains a fallback from relevance", () => {
    expect(orderNote({ order: "newest", note: "more than 2000 candidates: shown newest first" }, "relevance")).toBe(
      "Not ranked by relevance: more than 2000 candidates: shown newest first.",
    );
    expect(orderNote({ order: "newest", note: null }, "relevance")).toBe("Not ranked by relevance: shown newest first.");
  });
});

/** The view a Search URL opens (what App hands the page: the route's parameters). */
const viewOf = (hash: string) => parseSearchView(parseHash(hash).params);

describe("the view in the URL", () => {
  const since = "2026-03-04T00:00:00.000Z";

  it("reads the query, order and every filter", () => {
    expect(viewOf(`#/search?q=BRICS+AND+SCO&order=relevance&since=${since}&source=7&lang=ru&topic=Summits&unread=1`)).toEqual({
      q: "BRICS AND SCO",
      order: "relevance",
      since,
      source: 7,
      lang: "ru",
      topic: "Summits",
      unread: true,
    });
    expect(viewOf("#/search")).toEqual({ q: "", order: "newest" });
    // The unknown language is a filter too.
    expect(viewOf("#/search?q=x&lang=").lang).toBe("");
  });

  it("leaves out what does not parse", () => {
    expect(viewOf("#/search?q=x&order=oldest&since=yesterday&source=-3&lang=not+a+code&topic=&unread=yes")).toEqual({
      q: "x",
      order: "newest",
    });
    // The Mentions page's other filters are not the search's.
    expect(viewOf("#/search?q=x&starred=1&group=Wires&sort=relevance")).toEqual({ q: "x", order: "newest" });
  });

  it("writes what it reads, so that back and forward restore the view", () => {
    const views: SearchView[] = [
      { q: "BRICS", order: "newest" },
      { q: '"central bank" AND (rates OR inflation)', order: "relevance", topic: "Banks & rates", unread: true },
      { q: "Xi NEAR/5 Putin", order: "newest", since, until: "2026-03-05T00:00:00.000Z", source: 12, lang: "" },
      { q: "", order: "newest", unread: true },
    ];
    for (const v of views) expect(viewOf(searchHref(v))).toEqual(v);
    expect(searchHref({ q: "  BRICS ", order: "newest" })).toBe("#/search?q=BRICS");
    expect(searchHref({ q: "BRICS", order: "relevance", source: 3, unread: true })).toBe("#/search?q=BRICS&order=relevance&source=3&unread=1");
  });

  it("knows when it is filtered", () => {
    expect(isFiltered({ q: "x", order: "relevance" })).toBe(false);
    expect(isFiltered({ q: "x", order: "newest", lang: "" })).toBe(true);
    expect(isFiltered({ q: "x", order: "newest", unread: true })).toBe(true);
  });

  it("becomes the backend's query", () => {
    const v: SearchView = { q: " BRICS ", order: "relevance", since, source: 7, lang: "", topic: "Summits", unread: true };
    expect(searchQuery(v, { limit: 50 })).toEqual({
      query: "BRICS",
      since,
      until: null,
      source_id: 7,
      lang: "",
      topic: "Summits",
      unread_only: true,
      limit: 50,
      before: null,
      order: "relevance",
    });
    const cursor = { sort_at: "2026-03-04T10:00:00Z", article_id: 4 };
    const next = searchQuery({ q: "BRICS", order: "newest" }, { limit: 50, before: cursor, order: "newest" });
    expect([next.before, next.source_id, next.lang, next.topic, next.unread_only]).toEqual([cursor, null, null, null, false]);
  });
});

describe("searchChips", () => {
  const names = (id: number) => (id === 7 ? "TASS" : undefined);

  it("names each filter and links to the view without it", () => {
    const v: SearchView = { q: "BRICS", order: "relevance", topic: "Summits", source: 7, lang: "ru", unread: true };
    const chips = searchChips(v, names);
    expect(chips.map((c) => [c.key, c.label])).toEqual([
      ["topic", "Topic: Summits"],
      ["source", "Source: TASS"],
      ["lang", "Language: Russian (ru)"],
      ["unread", "Unread only"],
    ]);
    expect(chips[0].without).toEqual({ q: "BRICS", order: "relevance", source: 7, lang: "ru", unread: true });
    expect(chips[1].without).toEqual({ q: "BRICS", order: "relevance", topic: "Summits", lang: "ru", unread: true });
    expect(chips[3].without).toEqual({ q: "BRICS", order: "relevance", topic: "Summits", source: 7, lang: "ru" });
  });

  it("shows the period as one chip, and an unknown source by its id", () => {
    const v: SearchView = { q: "x", order: "newest", since: "2026-03-04T00:00:00.000Z", source: 9 };
    const chips = searchChips(v, names);
    expect(chips.map((c) => c.key)).toEqual(["period", "source"]);
    expect(chips[0].without).toEqual({ q: "x", order: "newest", source: 9 });
    expect(chips[1].label).toBe("Source: #9");
    expect(searchChips({ q: "x", order: "newest" }, names)).toEqual([]);
  });
});

describe("facet lists", () => {
  const facets = (over: Partial<SearchFacets> = {}): SearchFacets => ({
    total: 1234,
    topics: [
      { name: "Summits", count: 900 },
      { name: "Trade", count: 12 },
    ],
    sources: Array.from({ length: 14 }, (_, i) => ({ id: i + 1, name: `Source ${i + 1}`, count: 100 - i })),
    langs: [
      { code: "en", count: 1000 },
      { code: "", count: 34 },
    ],
    capped: null,
    ...over,
  });

  it("shows the top ten of each, each applying its filter to the view", () => {
    const v: SearchView = { q: "summit", order: "relevance", unread: true };
    const bars = facetBars(facets(), v);
    expect(bars.sources).toHaveLength(FACET_TOP);
    expect(bars.topics.map((b) => [b.label, b.value])).toEqual([
      ["Summits", 900],
      ["Trade", 12],
    ]);
    expect(viewOf(bars.topics[1].href)).toEqual({ ...v, topic: "Trade" });
    expect(viewOf(bars.sources[0].href)).toEqual({ ...v, source: 1 });
    expect(bars.langs.map((b) => b.label)).toEqual(["English (en)", "Unknown"]);
    expect(viewOf(bars.langs[1].href)).toEqual({ ...v, lang: "" });
  });

  it("says how many matches the counts cover", () => {
    expect(facetsTotal(facets())).toBe("1,234 matches");
    expect(facetsTotal(facets({ total: 1 }))).toBe("1 match");
    expect(facetsTotal(facets({ total: 20000, capped: 20000 }))).toBe("Counted: the newest 20,000 matches");
  });
});

describe("in Russian", () => {
  afterEach(() => i18n.set("system"));

  it("counts the hits with Russian plural forms", () => {
    i18n.set("ru");
    const more = { sort_at: "x", article_id: 1 };
    expect(searchSummary({ hits: hits(1), next: null, order: "newest" })).toBe("1 статья, сначала новые");
    expect(searchSummary({ hits: hits(3), next: null, order: "relevance" })).toBe("3 статьи, сначала наиболее релевантные");
    expect(searchSummary({ hits: hits(50), next: more, order: "newest" })).toBe("Пока 50 статей, сначала новые");
    expect(searchSummary({ hits: [], next: null, order: "newest" })).toBe("Подходящих сохранённых статей нет.");
    expect(orderNote({ order: "newest", note: null }, "relevance")).toBe("Без сортировки по релевантности: сначала новые.");
  });

  it("counts the matches with Russian plural forms", () => {
    i18n.set("ru");
    expect(facetsTotal({ total: 1, capped: null })).toBe("1 совпадение");
    expect(facetsTotal({ total: 3, capped: null })).toBe("3 совпадения");
    expect(facetsTotal({ total: 20000, capped: 20000 })).toBe("Учтены 20\u00a0000 самых новых совпадений");
    expect(facetsTotal({ total: 21, capped: 21 })).toBe("Учтено 21 самое новое совпадение");
    expect(searchChips({ q: "x", order: "newest", topic: "Саммиты", unread: true }, () => undefined).map((c) => c.label)).toEqual([
      "Тема: Саммиты",
      "Только непрочитанные",
    ]);
  });
});
