import { describe, expect, it } from "vitest";
import type { Span } from "./bindings";
import type { Segment } from "./highlight";
import { codePointRanges, markSnippet, spanRanges, termNeedles, utf16Offsets, whyFlagged } from "./snippets";

/** The marked pieces of a segment list, e.g. ["BRICS"]. */
const marked = (parts: Segment[]) => parts.filter((p) => p.hit).map((p) => p.text);
/** The segments back as text with [brackets] around the marks. */
const show = (parts: Segment[]) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join("");

const span = (field: "title" | "text", start: number, end: number, term: string): Span => ({ field, start, end, term });

describe("offsets", () => {
  it("maps code points to UTF-16 and back", () => {
    expect(utf16Offsets("a😀b")).toEqual([0, 1, 3, 4]);
    expect(codePointRanges("a😀b", [{ start: 3, end: 4, key: "1" }])).toEqual([{ start: 2, end: 3, key: "1" }]);
    expect(codePointRanges("abc", [{ start: 0, end: 99 }])).toEqual([{ start: 0, end: 3 }]);
  });

  it("picks one field's spans", () => {
    const spans = [span("title", 0, 3, "SCO"), span("text", 5, 9, "BRICS")];
    expect(spanRanges(spans, "title")).toEqual([{ start: 0, end: 3 }]);
    expect(spanRanges(spans, "text", "7")).toEqual([{ start: 5, end: 9, key: "7" }]);
  });
});

describe("markSnippet", () => {
  it("marks the spans' terms: words, phrases, prefixes", () => {
    const needles = termNeedles(
      [span("text", 0, 1, "Shanghai Cooperation Organisation"), span("text", 0, 1, "sanction*")],
      "3",
    );
    const parts = markSnippet("The Shanghai Cooperation Organisation discussed sanctions and BRICS.", needles);
    expect(marked(parts)).toEqual(["Shanghai Cooperation Organisation", "sanctions"]);
    expect(parts.find((p) => p.hit)?.key).toBe("3");
  });

  it("marks whole words only", () => {
    const parts = markSnippet("Visas, visa-free travel and Visa cards", termNeedles([span("text", 0, 1, "visa")], "1"));
    expect(show(parts)).toBe("Visas, [visa]-free travel and [Visa] cards");
  });

  it("adds the matched title text, and other word forms with stemming", () => {
    const title = "Визовый режим отменят";
    const needles = termNeedles([span("title", 0, 7, "визовый")], "2", { stem: true, texts: { title } });
    expect(marked(markSnippet("Россия отменит визовые требования.", needles))).toEqual(["визовые"]);
    const plain = termNeedles([span("title", 0, 7, "визовый")], "2", { texts: { title } });
    expect(marked(markSnippet("Россия отменит визовые требования.", plain))).toEqual([]);
  });

  it("marks CJK terms inside running text", () => {
    const parts = markSnippet("共建一带一路倡议", termNeedles([span("text", 0, 4, "一带一路")], "5"));
    expect(show(parts)).toBe("共建[一带一路]倡议");
  });
});

describe("whyFlagged", () => {
  const title = " BRICS summit opens ";
  const text =
    "Leaders met in Kazan. The BRICS group will expand, officials said. 😀 Then BRICS and SCO ministers spoke.\n\nNothing else.";

  it("marks each span exactly inside its sentence and merges shared sentences", () => {
    const at = (s: string, from = 0) => Array.from(text).join("").indexOf(s, from);
    // The text has no astral characters before the first hits, so UTF-16 = code points there.
    const s1 = at("BRICS");
    const s2cp = Array.from(text.slice(0, text.indexOf("BRICS and"))).length;
    const s3cp = Array.from(text.slice(0, text.indexOf("SCO"))).length;
    const hit = {
      topic_id: 9,
      spans: [span("title", 1, 6, "BRICS"), span("text", s1, s1 + 5, "BRICS"), span("text", s2cp, s2cp + 5, "BRICS"), span("text", s3cp, s3cp + 3, "SCO")],
      snippets: [
        "BRICS summit opens",
        "The BRICS group will expand, officials said.",
        "😀 Then BRICS and SCO ministers spoke.",
        "😀 Then BRICS and SCO ministers spoke.",
      ],
    };
    const why = whyFlagged(hit, { title, text });
    expect(why.map((w) => show(w.parts))).toEqual([
      "[BRICS] summit opens",
      "The [BRICS] group will expand, officials said.",
      "😀 Then [BRICS] and [SCO] ministers spoke.",
    ]);
    expect(why[2].parts.filter((p) => p.hit).every((p) => p.key === "9")).toBe(true);
  });

  it("finds a snippet cut short with ellipses", () => {
    const long = `${"word ".repeat(80)}the Kelmar port reopened ${"more ".repeat(80)}end.`;
    const start = Array.from(long).join("").indexOf("Kelmar");
    const hit = {
      topic_id: 1,
      spans: [span("text", start, start + 6, "kelmar")],
      snippets: ["…word word the Kelmar port reopened more more…"],
    };
    expect(show(whyFlagged(hit, { title: "t", text: long })[0].parts)).toBe("…word word the [Kelmar] port reopened more more…");
  });

  it("falls back to the term when the sentence is not in the text", () => {
    const hit = { topic_id: 1, spans: [span("text", 0, 6, "kelmar")], snippets: ["The Kelmar port."] };
    expect(show(whyFlagged(hit, { title: "t", text: "other text" })[0].parts)).toBe("The [Kelmar] port.");
  });

  it("skips spans without a snippet", () => {
    expect(whyFlagged({ topic_id: 1, spans: [span("text", 0, 2, "ab")], snippets: [] }, { title: "", text: "ab" })).toEqual([]);
  });
});

describe("whyFlagged merging", () => {
  it("makes one sentence of two snippets cut differently around hits in the same long sentence", () => {
    const text =
      "Opening words here and there, with the talks covering the United Nations, the Shanghai Cooperation Organisation and BRICS. Next.";
    const sco = text.indexOf("Shanghai");
    const brics = text.indexOf("BRICS");
    const hit = {
      topic_id: 2,
      spans: [span("text", sco, sco + 33, "Shanghai Cooperation Organisation"), span("text", brics, brics + 5, "BRICS")],
      snippets: [
        "…here and there, with the talks covering the United Nations, the Shanghai Cooperation Organisation and BRICS.",
        "…talks covering the United Nations, the Shanghai Cooperation Organisation and BRICS.",
      ],
    };
    expect(whyFlagged(hit, { title: "", text }).map((w) => show(w.parts))).toEqual([
      "…here and there, with the talks covering the United Nations, the [Shanghai Cooperation Organisation] and [BRICS].",
    ]);
  });

  it("keeps the snippets of different sentences apart, title first", () => {
    const text = "BRICS met. Then BRICS left.";
    const second = text.lastIndexOf("BRICS");
    const hit = {
      topic_id: 2,
      spans: [span("text", second, second + 5, "BRICS"), span("text", 0, 5, "BRICS"), span("title", 0, 5, "BRICS")],
      snippets: ["Then BRICS left.", "BRICS met.", "BRICS day"],
    };
    expect(whyFlagged(hit, { title: "BRICS day", text }).map((w) => show(w.parts))).toEqual([
      "[BRICS] day",
      "[BRICS] met.",
      "Then [BRICS] left.",
    ]);
  });
});
