import { describe, expect, it } from "vitest";
import { href, parseHash } from "./route";

describe("parseHash", () => {
  it("defaults to the overview", () => {
    expect(parseHash("")).toEqual({ page: "overview", params: {} });
    expect(parseHash("#/")).toEqual({ page: "overview", params: {} });
    expect(parseHash("#/nowhere")).toEqual({ page: "overview", params: {} });
  });

  it("reads the page and its parameters", () => {
    expect(parseHash("#/sources")).toEqual({ page: "sources", params: {} });
    expect(parseHash("#mentions?topic=%D0%91%D0%B0%D0%BD%D0%BA")).toEqual({
      page: "mentions",
      params: { topic: "Банк" },
    });
  });

  it("round-trips through href", () => {
    const h = href("mentions", { topic: "Central banks & rates" });
    expect(parseHash(h)).toEqual({ page: "mentions", params: { topic: "Central banks & rates" } });
    expect(href("topics")).toBe("#/topics");
    expect(parseHash(href("search", { q: '"central bank" NEAR/3 rates' }))).toEqual({
      page: "search",
      params: { q: '"central bank" NEAR/3 rates' },
    });
  });
});
