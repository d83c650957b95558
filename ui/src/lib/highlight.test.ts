import { describe, expect, it } from "vitest";
import { normalizeRanges, paragraphs, segments } from "./highlight";

const hits = (segs: { text: string; hit: boolean }[]) => segs.filter((s) => s.hit).map((s) => s.text);

describe("segments", () => {
  it("returns the whole text when there are no ranges", () => {
    expect(segments("plain text", [])).toEqual([{ text: "plain text", hit: false }]);
  });

  it("returns nothing for empty text", () => {
    expect(segments("", [{ start: 0, end: 3 }])).toEqual([]);
  });

  it("highlights English words", () => {
    const text = "Sanctions hit the central bank";
    expect(segments(text, [{ start: 18, end: 30, key: "7" }])).toEqual([
      { text: "Sanctions hit the ", hit: false },
      { text: "central bank", hit: true, key: "7" },
    ]);
  });

  it("highlights Cyrillic words by code point", () => {
    const text = "Новые санкции против банка";
    const segs = segments(text, [{ start: 6, end: 13 }]);
    expect(hits(segs)).toEqual(["санкции"]);
    expect(segs.map((s) => s.text).join("")).toBe(text);
  });

  it("highlights Chinese characters by code point", () => {
    const text = "中国央行宣布降息";
    const segs = segments(text, [{ start: 2, end: 4, key: "1" }]);
    expect(segs).toEqual([
      { text: "中国", hit: false },
      { text: "央行", hit: true, key: "1" },
      { text: "宣布降息", hit: false },
    ]);
  });

  it("counts an astral character (emoji) as one code point, not two UTF-16 units", () => {
    const text = "🚀 Launch of 火箭 today";
    // Code points: 🚀=0, ' '=1, 'Launch'=2..8, ' of '=8..12, 火箭=12..14
    expect(hits(segments(text, [{ start: 2, end: 8 }]))).toEqual(["Launch"]);
    expect(hits(segments(text, [{ start: 12, end: 14 }]))).toEqual(["火箭"]);
    // A UTF-16 based implementation would have cut "aunch" instead.
    expect("🚀 Launch".length).toBe(9);
  });

  it("handles astral characters inside and around the hit", () => {
    const text = "𝐀𝐁 test 😀x";
    expect(segments(text, [{ start: 3, end: 7 }, { start: 8, end: 9 }])).toEqual([
      { text: "𝐀𝐁 ", hit: false },
      { text: "test", hit: true },
      { text: " ", hit: false },
      { text: "😀", hit: true },
      { text: "x", hit: false },
    ]);
  });

  it("sorts unsorted ranges", () => {
    const text = "alpha beta gamma";
    expect(hits(segments(text, [{ start: 11, end: 16 }, { start: 0, end: 5 }]))).toEqual(["alpha", "gamma"]);
  });

  it("merges overlapping and nested ranges", () => {
    const text = "alpha beta gamma";
    const segs = segments(text, [
      { start: 0, end: 8, key: "a" },
      { start: 6, end: 10, key: "b" },
      { start: 1, end: 3, key: "c" },
    ]);
    expect(segs).toEqual([
      { text: "alpha beta", hit: true, key: "a" },
      { text: " gamma", hit: false },
    ]);
  });

  it("keeps touching ranges of different keys apart and merges those of the same key", () => {
    expect(segments("abcdef", [{ start: 0, end: 2, key: "x" }, { start: 2, end: 4, key: "y" }])).toEqual([
      { text: "ab", hit: true, key: "x" },
      { text: "cd", hit: true, key: "y" },
      { text: "ef", hit: false },
    ]);
    expect(segments("abcdef", [{ start: 0, end: 2, key: "x" }, { start: 2, end: 4, key: "x" }])).toEqual([
      { text: "abcd", hit: true, key: "x" },
      { text: "ef", hit: false },
    ]);
  });

  it("clamps and ignores out-of-range and empty ranges", () => {
    const text = "short";
    expect(
      segments(text, [
        { start: -3, end: 2 },
        { start: 4, end: 99 },
        { start: 10, end: 12 },
        { start: 3, end: 3 },
        { start: 3, end: 1 },
        { start: Number.NaN, end: 2 },
      ]),
    ).toEqual([
      { text: "sh", hit: true },
      { text: "or", hit: false },
      { text: "t", hit: true },
    ]);
  });

  it("does not mutate its input", () => {
    const ranges = [{ start: 4, end: 6 }, { start: 0, end: 5 }];
    const copy = JSON.parse(JSON.stringify(ranges));
    segments("abcdefgh", ranges);
    expect(ranges).toEqual(copy);
  });
});

describe("normalizeRanges", () => {
  it("floors fractional offsets", () => {
    expect(normalizeRanges([{ start: 1.7, end: 3.2 }], 10)).toEqual([{ start: 1, end: 3 }]);
  });
});

describe("paragraphs", () => {
  it("splits at blank lines and keeps offsets relative to the whole text", () => {
    const text = "First paragraph about банк.\n\nSecond one, 央行 here.\n\n\nThird.";
    const start = Array.from(text).indexOf("央");
    const bank = Array.from(text).indexOf("б");
    const paras = paragraphs(text, [{ start, end: start + 2, key: "2" }, { start: bank, end: bank + 4, key: "1" }]);
    expect(paras).toHaveLength(3);
    expect(paras[0]).toEqual([
      { text: "First paragraph about ", hit: false },
      { text: "банк", hit: true, key: "1" },
      { text: ".", hit: false },
    ]);
    expect(paras[1]).toEqual([
      { text: "Second one, ", hit: false },
      { text: "央行", hit: true, key: "2" },
      { text: " here.", hit: false },
    ]);
    expect(paras[2]).toEqual([{ text: "Third.", hit: false }]);
  });

  it("treats whitespace-only lines as blank and keeps single newlines", () => {
    const paras = paragraphs("line one\nline two\n  \nnext", []);
    expect(paras).toEqual([[{ text: "line one\nline two", hit: false }], [{ text: "next", hit: false }]]);
  });

  it("drops empty paragraphs and surrounding whitespace", () => {
    expect(paragraphs("\n\n  Only  \n\n\n\n", [])).toEqual([[{ text: "Only", hit: false }]]);
    expect(paragraphs("", [])).toEqual([]);
  });

  it("starts a paragraph with a hit", () => {
    const text = "intro\n\nhit rest";
    expect(paragraphs(text, [{ start: 7, end: 10 }])[1]).toEqual([
      { text: "hit", hit: true },
      { text: " rest", hit: false },
    ]);
  });
});
