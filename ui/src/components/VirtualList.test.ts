// The windowed list in a DOM without layout (jsdom): every row is estimated, so the window is the rows that fit
// the window's height plus the overscan; the rest is room in the list's padding. Scrolling a row into view
// renders it; a window near the end asks for the next page.
import { render } from "@testing-library/svelte";
import { createRawSnippet, flushSync } from "svelte";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import VirtualList from "./VirtualList.svelte";

const item = createRawSnippet((value: () => number) => ({
  render: () => `<span data-testid="row">${value()}</span>`,
}));

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

// jsdom lays nothing out: the scroller is 350 px tall, and every row is estimated.
const VIEW = 350;
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => VIEW });
});
afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
});

describe("VirtualList", () => {
  it("renders the rows in view and the overscan, with room for the others", () => {
    const { container, getAllByTestId } = render(VirtualList<number>, {
      items: rows(500),
      key: (n: number) => n,
      item,
      estimate: 100,
      overscan: 2,
      label: "Flagged articles",
      testid: "list",
      itemClass: (n: number) => (n % 2 ? "odd" : "even"),
    });
    // Rows 0-3 are in a 350 px view; two more below.
    const shown = 6;
    expect(getAllByTestId("row").map((r) => r.textContent)).toEqual(rows(shown).map(String));
    const list = container.querySelector("ul")!;
    expect(list.getAttribute("aria-label")).toBe("Flagged articles");
    expect(list.style.paddingTop).toBe("0px");
    expect(list.style.paddingBottom).toBe(`${(500 - shown) * 100}px`);
    const first = list.querySelector("li")!;
    expect(first.className).toContain("even");
    expect([first.getAttribute("aria-posinset"), first.getAttribute("aria-setsize")]).toEqual(["1", "500"]);
  });

  it("brings a row that is not rendered into view", () => {
    const { component, getAllByTestId } = render(VirtualList<number>, {
      items: rows(500),
      key: (n: number) => n,
      item,
      estimate: 100,
      overscan: 2,
    });
    expect(getAllByTestId("row").some((r) => r.textContent === "300")).toBe(false);
    component.scrollToIndex(300);
    flushSync();
    expect(getAllByTestId("row").some((r) => r.textContent === "300")).toBe(true);
  });

  it("asks for the next page when the window nears the last row", () => {
    const onnearend = vi.fn();
    render(VirtualList<number>, { items: rows(5), key: (n: number) => n, item, onnearend });
    expect(onnearend).toHaveBeenCalled();
    const far = vi.fn();
    render(VirtualList<number>, { items: rows(500), key: (n: number) => n, item, estimate: 100, onnearend: far });
    expect(far).not.toHaveBeenCalled();
  });
});
