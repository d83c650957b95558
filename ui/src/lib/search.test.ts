import { afterEach, describe, expect, it } from "vitest";
import type { SearchHit } from "./bindings";
import { i18n } from "./i18n.svelte";
import { orderNote, searchSummary } from "./search";

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
});
