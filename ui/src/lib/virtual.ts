/**
 * The maths of a windowed list (components/VirtualList.svelte): rows of different heights, each measured once
 * it has been rendered and estimated until then, and only the rows in view (plus an overscan either side) in
 * the document. Pure: offsets in pixels from the top of the list, no DOM.
 */

/** The rows to render and the room the others take: `start` to `end` (exclusive), `before` px above them, `after` px below. */
export interface ListWindow {
  start: number;
  end: number;
  before: number;
  after: number;
}

/** The height assumed for a row not measured yet: the mean of the measured ones, else `fallback`. */
export function estimateHeight(measured: Iterable<number>, fallback: number): number {
  let sum = 0;
  let n = 0;
  for (const h of measured) {
    sum += h;
    n += 1;
  }
  return n > 0 ? sum / n : fallback;
}

/**
 * Each row's top: `offsets[i]` is where row `i` starts, `offsets[count]` the whole list's height. A row's height is
 * its measured one (`heights[i]`), else `estimate`.
 */
export function offsetsOf(heights: ReadonlyArray<number | undefined>, estimate: number): number[] {
  const offsets = new Array<number>(heights.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i] + (heights[i] ?? estimate);
  return offsets;
}

/** The row at `y` px from the top (the last one starting at or above it), within 0 … count − 1; 0 for no rows. */
export function rowAt(offsets: readonly number[], y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The window for a viewport `viewTop` px below the list's top (negative while the list starts lower down in the
 * scroller) and `viewHeight` px tall: every row that overlaps it, and `overscan` more rows on either side.
 */
export function windowFor(offsets: readonly number[], viewTop: number, viewHeight: number, overscan: number): ListWindow {
  const count = offsets.length - 1;
  const total = offsets[count] ?? 0;
  if (count <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const bottom = viewTop + Math.max(0, viewHeight);
  let first = rowAt(offsets, Math.max(0, viewTop));
  let last = rowAt(offsets, Math.max(0, bottom));
  // A row that ends exactly at the viewport's top is out of view; one starting exactly at its bottom too.
  if (offsets[first + 1] <= viewTop && first < count - 1) first += 1;
  if (offsets[last] >= bottom && last > first) last -= 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + 1 + overscan);
  return { start, end, before: offsets[start], after: total - offsets[end] };
}

/**
 * Where to scroll (a new `viewTop`) so that row `index` is in view, moving as little as possible (a row taller
 * than the viewport shows its top); `null` when it is in view already.
 */
export function scrollToShow(offsets: readonly number[], index: number, viewTop: number, viewHeight: number): number | null {
  const count = offsets.length - 1;
  if (index < 0 || index >= count) return null;
  const top = offsets[index];
  const bottom = offsets[index + 1];
  if (top < viewTop) return top;
  if (bottom > viewTop + viewHeight) return Math.min(top, bottom - viewHeight);
  return null;
}

/**
 * How far to scroll when row `index` turns out `newHeight` tall instead of `oldHeight` (measured for the first
 * time, or resized): a row that starts above the viewport pushes what the analyst is reading down by the
 * difference, so the scroll follows it; a row in view or below moves nothing that is being read.
 */
export function scrollShift(offsets: readonly number[], index: number, oldHeight: number, newHeight: number, viewTop: number): number {
  if (index < 0 || index >= offsets.length - 1) return 0;
  return offsets[index] < viewTop ? newHeight - oldHeight : 0;
}

/** Whether the window has come within `margin` rows of the last loaded one (time to load the next page). */
export function nearEnd(window: ListWindow, count: number, margin: number): boolean {
  return count > 0 && window.end >= count - margin;
}
