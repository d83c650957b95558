import { describe, expect, it } from "vitest";
import { topicSlot } from "./colors";
import { rangesFor } from "./hits";

describe("rangesFor", () => {
  it("collects one field's spans keyed by topic id", () => {
    const topics = [
      {
        topic_id: 3,
        topic: "Banks",
        spans: [
          { field: "title" as const, start: 0, end: 4, term: "bank" },
          { field: "text" as const, start: 10, end: 14, term: "bank" },
        ],
        snippets: ["Bank", "The bank said."],
      },
      { topic_id: 9, topic: "Rates", spans: [{ field: "text" as const, start: 20, end: 25, term: "rates" }], snippets: ["Rates rose."] },
    ];
    expect(rangesFor(topics, "title")).toEqual([{ start: 0, end: 4, key: "3" }]);
    expect(rangesFor(topics, "text")).toEqual([
      { start: 10, end: 14, key: "3" },
      { start: 20, end: 25, key: "9" },
    ]);
  });
});

describe("topicSlot", () => {
  it("maps topic ids onto the colour palette", () => {
    expect(topicSlot(3)).toBe(3);
    expect(topicSlot(11)).toBe(3);
    expect(topicSlot("11")).toBe(3);
    expect(topicSlot(undefined)).toBe(0);
    expect(topicSlot(-1)).toBe(7);
  });
});
