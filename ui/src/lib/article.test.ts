import { afterEach, describe, expect, it } from "vitest";
import type { TopicHit } from "./bindings";
import { i18n } from "./i18n.svelte";
import {
  copiesHeading,
  distinctCanonical,
  distinctSiteName,
  extractErrorNote,
  findHits,
  isOpenableUrl,
  isWebUrl,
  needlesFor,
  originNote,
  outletsBadge,
  planMarks,
  termWords,
  type Needle,
} from "./article";

const needle = (term: string, key = "1"): Needle => ({ words: termWords(term), key });
/** The highlighted pieces of `text`, as the reader would mark them. */
const marked = (text: string, needles: Needle[]) => findHits(text, needles).map((h) => text.slice(h.start, h.end));

describe("termWords", () => {
  it("splits terms the way the matcher does", () => {
    expect(termWords('"central bank"')).toEqual([
      { text: "central", prefix: false },
      { text: "bank", prefix: false },
    ]);
    expect(termWords("sanction*")).toEqual([{ text: "sanction", prefix: true }]);
    expect(termWords("Xi-Jinping")).toEqual([
      { text: "Xi", prefix: false },
      { text: "Jinping", prefix: false },
    ]);
  });

  it("makes every CJK character a word of its own", () => {
    expect(termWords("上合组织").map((w) => w.text)).toEqual(["上", "合", "组", "织"]);
    expect(termWords("SCO峰会").map((w) => w.text)).toEqual(["SCO", "峰", "会"]);
  });

  it("ignores a lone wildcard and punctuation", () => {
    expect(termWords("*")).toEqual([]);
    expect(termWords(" -- ")).toEqual([]);
  });
});

describe("findHits", () => {
  it("finds terms case-insensitively, on word boundaries", () => {
    const text = "BRICS leaders met. The brics summit; embricsment is not a word.";
    expect(marked(text, [needle("BRICS")])).toEqual(["BRICS", "brics"]);
  });

  it("finds phrases across spaces, line breaks and hyphens", () => {
    const text = "The Central\n  Bank and the central-bank governor";
    expect(marked(text, [needle('"central bank"')])).toEqual(["Central\n  Bank", "central-bank"]);
  });

  it("finds Cyrillic words in any case and folds ё to е", () => {
    const text = "САНКЦИИ против банков; ещё санкции. Еще раз.";
    expect(marked(text, [needle("санкции")])).toEqual(["САНКЦИИ", "санкции"]);
    expect(marked(text, [needle("ещё")])).toEqual(["ещё", "Еще"]);
  });

  it("finds Chinese terms inside running text (no word boundaries there)", () => {
    const text = "中俄两国元首在上合组织峰会上会晤";
    expect(marked(text, [needle("上合组织")])).toEqual(["上合组织"]);
  });

  it("extends a prefix term to the end of the word", () => {
    expect(marked("New sanctions, sanctioned banks", [needle("sanction*")])).toEqual(["sanctions", "sanctioned"]);
  });

  it("keeps a hit that starts right after a failed one inside a word", () => {
    expect(marked("xSCO SCO", [needle("SCO")])).toEqual(["SCO"]);
  });

  it("merges overlapping hits, the longer keeping its key", () => {
    const hits = findHits("Xi Jinping spoke", [needle("Xi", "1"), needle("Xi Jinping", "2")]);
    expect(hits).toEqual([{ start: 0, end: 10, key: "2" }]);
  });

  it("counts offsets in UTF-16 units around astral characters", () => {
    const text = "😀 SCO";
    expect(findHits(text, [needle("SCO")])).toEqual([{ start: 3, end: 6, key: "1" }]);
  });

  it("never crosses a hard break (U+0000)", () => {
    expect(marked("central\u0000bank", [needle('"central bank"')])).toEqual([]);
  });

  it("takes regular-expression characters literally", () => {
    expect(marked("a+b (c) [d]", [needle("c")])).toEqual(["c"]);
    expect(findHits("anything", [{ words: [{ text: "(", prefix: false }], key: "1" }])).toEqual([]);
  });
});

describe("needlesFor", () => {
  const topics: TopicHit[] = [
    {
      topic_id: 4,
      topic: "Leaders",
      spans: [
        { field: "text", start: 0, end: 10, term: '"xi jinping"' },
        { field: "text", start: 22, end: 32, term: '"xi jinping"' },
        { field: "title", start: 0, end: 3, term: "SCO" },
      ],
      snippets: ["Xi Jinping met Putin.", "XI JINPING said.", "SCO summit"],
    },
  ];

  it("takes the matched text of the spans and the terms, without duplicates", () => {
    const needles = needlesFor({ title: "SCO summit", text: "Xi Jinping met Putin. XI JINPING said.", topics });
    expect(needles.map((n) => [n.key, n.words.map((w) => w.text).join(" ")])).toEqual([
      ["4", "Xi Jinping"],
      ["4", "SCO"],
    ]);
  });

  it("reads span offsets as code points", () => {
    const needles = needlesFor({
      title: "t",
      text: "🚀 Сила",
      topics: [{ topic_id: 1, topic: "T", spans: [{ field: "text", start: 2, end: 6, term: "сил*" }], snippets: ["🚀 Сила"] }],
    });
    expect(needles.map((n) => n.words)).toEqual([
      [{ text: "Сила", prefix: false }],
      [{ text: "сил", prefix: true }],
    ]);
  });
});

describe("planMarks", () => {
  it("splits a hit over several text nodes and skips the bare space between them", () => {
    // <p>President Xi <b>Jinping</b> spoke</p>
    const pieces = planMarks(["President Xi", " ", "Jinping", " spoke"], [needle("Xi Jinping", "7")]);
    expect(pieces).toEqual([
      { chunk: 2, start: 0, end: 7, key: "7" },
      { chunk: 0, start: 10, end: 12, key: "7" },
    ]);
    // <p>President <b>Xi</b> Jinping spoke</p>: the space before "Jinping" stays outside the mark.
    expect(planMarks(["President ", "Xi", " Jinping spoke"], [needle("Xi Jinping", "7")])).toEqual([
      { chunk: 2, start: 1, end: 8, key: "7" },
      { chunk: 1, start: 0, end: 2, key: "7" },
    ]);
  });

  it("does not join words of different blocks", () => {
    // <p>central</p><p>bank</p>
    expect(planMarks(["central", null, "bank"], [needle('"central bank"')])).toEqual([]);
    expect(planMarks(["central", "bank"], [needle("bank")])).toEqual([]);
  });

  it("lists pieces last-first, so wrapping them in turn keeps offsets valid", () => {
    const pieces = planMarks(["SCO and SCO", null, "SCO"], [needle("SCO")]);
    expect(pieces.map((p) => [p.chunk, p.start])).toEqual([
      [2, 0],
      [0, 8],
      [0, 0],
    ]);
  });

  it("plans nothing without needles or text", () => {
    expect(planMarks(["text"], [])).toEqual([]);
    expect(planMarks([], [needle("x")])).toEqual([]);
  });
});

describe("reader notes", () => {
  it("says where the text came from", () => {
    expect(originNote("page")).toBe("Full text from the article page");
    expect(originNote("feed")).toBe("Text from the feed");
  });

  it("explains an extraction failure", () => {
    expect(extractErrorNote("HTTP 403.")).toBe("The article page could not be read: HTTP 403; showing the feed's text");
    expect(extractErrorNote("  ")).toBe("The article page could not be read: unknown error; showing the feed's text");
  });

  it("titles the copies and the outlets badge", () => {
    expect(copiesHeading(1)).toBe("Also published by 1 outlet");
    expect(copiesHeading(3)).toBe("Also published by 3 outlets");
    expect(outletsBadge(1)).toEqual({ label: "+1 outlet", title: "Also published by 1 other outlet" });
    expect(outletsBadge(4)).toEqual({ label: "+4 outlets", title: "Also published by 4 other outlets" });
  });

  it("shows the site name only when it differs from the source's", () => {
    expect(distinctSiteName("TASS", "tass ")).toBeNull();
    expect(distinctSiteName(null, "TASS")).toBeNull();
    expect(distinctSiteName("  ", "TASS")).toBeNull();
    expect(distinctSiteName("Global Times", "globaltimes.cn")).toBe("Global Times");
  });

  it("offers the canonical address only when it is another page", () => {
    expect(distinctCanonical("https://x.test/a/", "https://x.test/a")).toBeNull();
    expect(distinctCanonical("https://x.test/a#top", "https://x.test/a")).toBeNull();
    expect(distinctCanonical("https://x.test/b", "https://x.test/a?utm=1")).toBe("https://x.test/b");
    expect(distinctCanonical("https://x.test/b", null)).toBe("https://x.test/b");
    expect(distinctCanonical("javascript:alert(1)", null)).toBeNull();
    expect(distinctCanonical(null, "https://x.test/a")).toBeNull();
  });
});

describe("reader notes in Russian", () => {
  afterEach(() => i18n.set("system"));

  it("counts outlets with Russian plural forms", () => {
    i18n.set("ru");
    expect(copiesHeading(1)).toBe("Также опубликовано в 1 издании");
    expect(copiesHeading(3)).toBe("Также опубликовано в 3 изданиях");
    expect(copiesHeading(21)).toBe("Также опубликовано в 21 издании");
    expect(outletsBadge(1)).toEqual({ label: "+1 издание", title: "Также опубликовано ещё в 1 издании" });
    expect(outletsBadge(2).label).toBe("+2 издания");
    expect(outletsBadge(5)).toEqual({ label: "+5 изданий", title: "Также опубликовано ещё в 5 изданиях" });
  });

  it("says where the text came from and why the page was not read", () => {
    i18n.set("ru");
    expect(originNote("feed")).toBe("Текст из ленты");
    expect(extractErrorNote("HTTP 403.")).toBe("Не удалось прочитать страницу статьи: HTTP 403; показан текст из ленты");
    expect(extractErrorNote("")).toBe("Не удалось прочитать страницу статьи: неизвестная ошибка; показан текст из ленты");
  });
});

describe("urls", () => {
  it("accepts web and mail addresses only", () => {
    expect(isWebUrl("https://tass.com/a")).toBe(true);
    expect(isWebUrl("http://tass.com/a")).toBe(true);
    expect(isWebUrl("javascript:alert(1)")).toBe(false);
    expect(isWebUrl("/relative")).toBe(false);
    expect(isWebUrl(null)).toBe(false);
    expect(isOpenableUrl("mailto:desk@example.org")).toBe(true);
    expect(isOpenableUrl("file:///etc/passwd")).toBe(false);
    expect(isOpenableUrl("data:text/html,x")).toBe(false);
  });
});
