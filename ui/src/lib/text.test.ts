import { describe, expect, it } from "vitest";
import { count, describeFetch, describeImport, hostOf } from "./text";

describe("count", () => {
  it("pluralises", () => {
    expect(count(0, "article")).toBe("0 articles");
    expect(count(1, "article")).toBe("1 article");
    expect(count(1200, "article")).toBe("1,200 articles");
    expect(count(2, "query", "queries")).toBe("2 queries");
  });
});

describe("describeFetch", () => {
  it("writes the result line", () => {
    expect(describeFetch({ sources: 5, new_articles: 3, not_modified: 0, errors: [] })).toBe(
      "3 new articles from 5 sources.",
    );
    expect(describeFetch({ sources: 1, new_articles: 1, not_modified: 0, errors: [] })).toBe(
      "1 new article from 1 source.",
    );
    expect(describeFetch({ sources: 4, new_articles: 0, not_modified: 2, errors: [{}] }, true)).toBe(
      "0 new articles from 4 sources, 2 unchanged, 1 error (cancelled).",
    );
  });

  it("says what the alert rules did", () => {
    const summary = { sources: 2, new_articles: 3, not_modified: 0, errors: [] };
    expect(describeFetch({ ...summary, alerts: { fired: 1, failed: 0 } })).toBe(
      "3 new articles from 2 sources. 1 alert fired; see Alerts.",
    );
    expect(describeFetch({ ...summary, alerts: { fired: 2, failed: 1 } })).toBe(
      "3 new articles from 2 sources. 2 alerts fired; see Alerts. 1 alert delivery failed.",
    );
    expect(describeFetch({ ...summary, alerts: { fired: 0, failed: 0 } })).toBe("3 new articles from 2 sources.");
  });

  it("says when stored topics flagged nothing because their query no longer parses", () => {
    const summary = { sources: 2, new_articles: 3, not_modified: 0, errors: [], skipped_topics: [{}] };
    expect(describeFetch(summary)).toBe(
      "3 new articles from 2 sources. 1 topic flagged nothing: its query no longer parses; edit it under Topics.",
    );
    expect(describeFetch({ ...summary, skipped_topics: [{}, {}] })).toBe(
      "3 new articles from 2 sources. 2 topics flagged nothing: their queries no longer parse; edit them under Topics.",
    );
    expect(describeFetch({ ...summary, skipped_topics: [] })).toBe("3 new articles from 2 sources.");
    expect(describeImport({ sources: 1, new_articles: 1, errors: [], skipped_topics: [{}] })).toBe(
      "Imported 1 new article from 1 source. 1 topic flagged nothing: its query no longer parses; edit it under Topics.",
    );
  });
});

describe("hostOf", () => {
  it("extracts the host or returns the input", () => {
    expect(hostOf("https://news.example.org/rss")).toBe("news.example.org");
    expect(hostOf("not a url")).toBe("not a url");
  });
});

describe("describeImport", () => {
  it("counts what was imported", () => {
    expect(describeImport({ sources: 2, new_articles: 12, errors: [] })).toBe("Imported 12 new articles from 2 sources.");
    expect(describeImport({ sources: 1, new_articles: 1, errors: [] })).toBe("Imported 1 new article from 1 source.");
  });

  it("spells out the first few errors and counts the rest", () => {
    const errors = ["a.html: not an article", "b.jsonl: line 3: not a JSON article", "c.json: empty", "d.htm: too big."].map(
      (message) => ({ source: 0, code: "parse", message }),
    );
    expect(describeImport({ sources: 0, new_articles: 0, errors: errors.slice(0, 1) })).toBe(
      "Imported 0 new articles from 0 sources; 1 error: a.html: not an article.",
    );
    expect(describeImport({ sources: 1, new_articles: 3, errors })).toBe(
      "Imported 3 new articles from 1 source; 4 errors: a.html: not an article; b.jsonl: line 3: not a JSON article; c.json: empty; and 1 more.",
    );
  });
});
