import { describe, expect, it } from "vitest";
import { fill, flatten, formattingLocale, languageOf, placeholders, resolveLanguage, segments } from "./i18n";

describe("languages", () => {
  it("reads the catalogue from a tag", () => {
    expect(languageOf("ru-RU")).toBe("ru");
    expect(languageOf("ru_RU.UTF-8")).toBe("ru");
    expect(languageOf("en-GB")).toBe("en");
    expect(languageOf("de-DE")).toBe("en");
    expect(languageOf("")).toBe("en");
    expect(languageOf(undefined)).toBe("en");
  });

  it("follows the system only for the system choice", () => {
    expect(resolveLanguage("system", "ru-RU")).toBe("ru");
    expect(resolveLanguage("en", "ru-RU")).toBe("en");
    expect(resolveLanguage("ru", "en-US")).toBe("ru");
  });

  it("formats in the system's own tag when it is of the chosen language", () => {
    expect(formattingLocale("en", "en-GB")).toBe("en-GB");
    expect(formattingLocale("ru", "en-GB")).toBe("ru");
    expect(formattingLocale("en", "ru-RU")).toBe("en");
  });
});

describe("fill", () => {
  const mentions = { one: "{n} mention", other: "{n} mentions" };
  const ru = { one: "{n} упоминание", few: "{n} упоминания", many: "{n} упоминаний", other: "{n} упоминания" };

  it("replaces placeholders and formats numbers for the locale", () => {
    expect(fill("{a} of {b}", { a: 1234, b: "x" }, "en")).toBe("1,234 of x");
    expect(fill("{a}", { a: 1234567 }, "ru")).toBe("1\u00a0234\u00a0567");
    expect(fill("{missing} stays", {}, "en")).toBe("{missing} stays");
  });

  it("picks English plural forms", () => {
    expect(fill(mentions, { n: 1 }, "en")).toBe("1 mention");
    expect(fill(mentions, { n: 0 }, "en")).toBe("0 mentions");
    expect(fill(mentions, { n: 2500 }, "en")).toBe("2,500 mentions");
  });

  it("picks Russian plural forms", () => {
    expect(fill(ru, { n: 1 }, "ru")).toBe("1 упоминание");
    expect(fill(ru, { n: 21 }, "ru")).toBe("21 упоминание");
    expect(fill(ru, { n: 3 }, "ru")).toBe("3 упоминания");
    expect(fill(ru, { n: 11 }, "ru")).toBe("11 упоминаний");
    expect(fill(ru, { n: 25 }, "ru")).toBe("25 упоминаний");
    expect(fill(ru, { n: 1.5 }, "ru")).toBe("1,5 упоминания");
  });

  it("lists placeholders of every form", () => {
    expect(placeholders({ one: "{n} in {topic}", other: "{n} in {topic} since {at}" })).toEqual(["at", "n", "topic"]);
    expect(placeholders("none")).toEqual([]);
  });

  it("flattens a nested catalogue with plurals as leaves", () => {
    expect(flatten({ a: { b: "x", c: mentions } })).toEqual([
      ["a.b", "x"],
      ["a.c", mentions],
    ]);
  });
});

describe("segments", () => {
  it("splits tagged pieces from text", () => {
    expect(segments("On <link>Sources</link>, paste a <b>URL</b>.")).toEqual([
      { text: "On " },
      { tag: "link", text: "Sources" },
      { text: ", paste a " },
      { tag: "b", text: "URL" },
      { text: "." },
    ]);
    expect(segments("plain")).toEqual([{ text: "plain" }]);
    expect(segments("<a>open")).toEqual([{ text: "<a>open" }]);
  });
});
