import { describe, expect, it } from "vitest";
import { tokenize, type Token } from "./queryTokens";

const kinds = (q: string) => tokenize(q).filter((t) => t.kind !== "space").map((t) => [t.kind, t.text]);

describe("the query editor's highlighting", () => {
  it("is lossless", () => {
    for (const q of [
      '"Shanghai Cooperation Organisation" OR {SCO} OR ШОС OR 上合组织',
      'title:(visa* AND -"visa card") NEAR/5 cs(BRI) <<<note>>> “curly” „low“ «guillemets»',
      '(unclosed "phrase',
      "",
    ]) {
      expect(tokenize(q).map((t: Token) => t.text).join("")).toBe(q);
    }
  });

  it("tells operators, phrases, fields, exact case, wildcards and negation apart", () => {
    expect(kinds('"Belt and Road"~3 AND title:visa* NOT -sports')).toEqual([
      ["phrase", '"Belt and Road"~3'],
      ["operator", "AND"],
      ["field", "title:"],
      ["wildcard", "visa*"],
      ["operator", "NOT"],
      ["negation", "-"],
      ["term", "sports"],
    ]);
    expect(kinds("Xi NEAR/5 Putin ONEAR Lavrov w/3 Wang NEAR/2f Yi")).toEqual([
      ["term", "Xi"],
      ["operator", "NEAR/5"],
      ["term", "Putin"],
      ["operator", "ONEAR"],
      ["term", "Lavrov"],
      ["operator", "w/3"],
      ["term", "Wang"],
      ["operator", "NEAR/2f"],
      ["term", "Yi"],
    ]);
    expect(kinds("{SCO} cs(BRI) <<<why>>>")).toEqual([
      ["exact", "{SCO}"],
      ["exact", "cs(BRI)"],
      ["comment", "<<<why>>>"],
    ]);
  });

  it("reads lower-case operators and hyphenated words as words, as the parser does", () => {
    expect(kinds("visa and anti-corruption or ANDROID")).toEqual([
      ["term", "visa"],
      ["term", "and"],
      ["term", "anti-corruption"],
      ["term", "or"],
      ["term", "ANDROID"],
    ]);
    expect(kinds("notafield:x")).toEqual([["term", "notafield:x"]]);
  });
});

describe("the error's column in the highlighting", () => {
  it("marks the one character the parser points at", async () => {
    const { queryParts } = await import("./queryParts");
    const parts = queryParts("(BRICS AND", 7);
    expect(parts.map((p) => p.text).join("")).toBe("(BRICS AND");
    expect(parts.filter((p) => p.error).map((p) => p.text)).toEqual([" "]);
    const end = queryParts("(BRICS AND", 11);
    expect(end[end.length - 1]).toEqual({ kind: "space", text: " ", error: true });
    expect(queryParts("visa", null).some((p) => p.error)).toBe(false);
  });
});
