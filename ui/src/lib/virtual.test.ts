import { describe, expect, it } from "vitest";
import { estimateHeight, nearEnd, offsetsOf, rowAt, scrollShift, scrollToShow, windowFor } from "./virtual";

/** `count` rows of 100 px: row i spans [100 i, 100 i + 100). */
const even = (count: number) => offsetsOf(new Array<number | undefined>(count).fill(100), 100);

describe("the rows' offsets", () => {
  it("take the measured heights and the estimate for the rest", () => {
    expect(offsetsOf([50, undefined, 200, undefined], 120)).toEqual([0, 50, 170, 370, 490]);
    expect(offsetsOf([], 120)).toEqual([0]);
  });

  it("estimate an unmeasured row as the mean of the measured ones", () => {
    expect(estimateHeight([80, 120, 160], 130)).toBe(120);
    expect(estimateHeight([], 130)).toBe(130);
    expect(estimateHeight(new Map([[1, 90]]).values(), 130)).toBe(90);
  });

  it("find the row at an offset", () => {
    const offsets = offsetsOf([50, 120, 200], 0);
    expect([0, 49, 50, 169, 170, 369, 10_000, -5].map((y) => rowAt(offsets, y))).toEqual([0, 0, 1, 1, 2, 2, 2, 0]);
    expect(rowAt([0], 10)).toBe(0);
  });
});

describe("the window", () => {
  it("holds the rows in view and the overscan on either side", () => {
    // 50 rows of 100 px; a 350 px viewport 1,000 px down shows rows 10 to 13 (13 in part).
    expect(windowFor(even(50), 1000, 350, 0)).toEqual({ start: 10, end: 14, before: 1000, after: 3600 });
    expect(windowFor(even(50), 1000, 350, 3)).toEqual({ start: 7, end: 17, before: 700, after: 3300 });
    // A row that ends where the view starts, or starts where it ends, is out of view.
    expect(windowFor(even(50), 1000, 300, 0)).toMatchObject({ start: 10, end: 13 });
    expect(windowFor(even(50), 1050, 300, 0)).toMatchObject({ start: 10, end: 14 });
  });

  it("stops at the ends of the list", () => {
    expect(windowFor(even(50), 0, 350, 5)).toEqual({ start: 0, end: 9, before: 0, after: 4100 });
    expect(windowFor(even(50), 4800, 350, 5)).toEqual({ start: 43, end: 50, before: 4300, after: 0 });
    // Scrolled past the end (the list shrank): the last rows.
    expect(windowFor(even(50), 9000, 350, 2)).toMatchObject({ start: 47, end: 50, after: 0 });
    // The list lower down in its scroller than the scroll offset: its first rows.
    expect(windowFor(even(50), -200, 350, 0)).toMatchObject({ start: 0, end: 2 });
    expect(windowFor([0], 0, 350, 5)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });

  it("follows measured heights, with the estimate for rows not rendered yet", () => {
    // Rows 0-2 were measured (40, 300, 60 px); the rest are estimated at their mean, 133.33 px.
    const measured = [40, 300, 60];
    const heights = [...measured, ...new Array<number | undefined>(20).fill(undefined)];
    const offsets = offsetsOf(heights, estimateHeight(measured, 100));
    // 0-400 px: rows 0-2 exactly; 400-800 px: rows 3, 4 and 5 (estimated at 400, 533, 667).
    expect(windowFor(offsets, 0, 390, 0)).toMatchObject({ start: 0, end: 3, before: 0 });
    expect(windowFor(offsets, 400, 400, 0)).toMatchObject({ start: 3, end: 6, before: 400 });
    expect(windowFor(offsets, 400, 400, 1)).toMatchObject({ start: 2, end: 7, before: 340 });
    const w = windowFor(offsets, 400, 400, 1);
    expect(w.before + (offsets[w.end] - offsets[w.start]) + w.after).toBeCloseTo(offsets[23]);
  });

  it("says when the next page should load", () => {
    expect(nearEnd({ start: 30, end: 42, before: 0, after: 0 }, 50, 10)).toBe(true);
    expect(nearEnd({ start: 20, end: 39, before: 0, after: 0 }, 50, 10)).toBe(false);
    expect(nearEnd({ start: 0, end: 0, before: 0, after: 0 }, 0, 10)).toBe(false);
  });
});

describe("scrolling", () => {
  it("brings a row into view by the least scroll, or not at all", () => {
    const offsets = even(50);
    expect(scrollToShow(offsets, 12, 1000, 350)).toBeNull();
    expect(scrollToShow(offsets, 13, 1000, 350)).toBe(1050); // its bottom at the view's bottom
    expect(scrollToShow(offsets, 9, 1000, 350)).toBe(900); // its top at the view's top
    expect(scrollToShow(offsets, 40, 1000, 350)).toBe(3750);
    expect(scrollToShow(offsets, 50, 1000, 350)).toBeNull();
    // A row taller than the view shows its top.
    expect(scrollToShow(offsetsOf([100, 900, 100], 0), 1, 0, 300)).toBe(100);
  });

  it("keeps what is being read in place when a row above it is measured", () => {
    const offsets = even(50);
    // Row 8 (800-900 px) is above a view at 1,000 px: it grew by 40, so the view scrolls 40 further.
    expect(scrollShift(offsets, 8, 100, 140, 1000)).toBe(40);
    expect(scrollShift(offsets, 8, 100, 70, 1000)).toBe(-30);
    // In view or below: nothing moves.
    expect(scrollShift(offsets, 10, 100, 140, 1000)).toBe(0);
    expect(scrollShift(offsets, 20, 100, 140, 1000)).toBe(0);
    expect(scrollShift(offsets, 99, 100, 140, 1000)).toBe(0);
  });
});
