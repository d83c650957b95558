export interface Range {
  start: number;
  end: number;
  key?: string;
}

export interface Segment {
  text: string;
  hit: boolean;
  key?: string;
}

/** Clamps, sorts and merges ranges against a text of `length` code points. */
export function normalizeRanges(ranges: readonly Range[], length: number): Range[] {
  const clean: Range[] = [];
  for (const r of ranges) {
    if (!Number.isFinite(r.start) || !Number.isFinite(r.end)) continue;
    const start = Math.max(0, Math.floor(r.start));
    const end = Math.min(length, Math.floor(r.end));
    if (end <= start) continue;
    clean.push(r.key === undefined ? { start, end } : { start, end, key: r.key });
  }
  clean.sort((a, b) => a.start - b.start || b.end - a.end);

  const merged: Range[] = [];
  for (const r of clean) {
    const last = merged[merged.length - 1];
    if (last && (r.start < last.end || (r.start === last.end && r.key === last.key))) {
      // Overlapping (or touching with the same key): extend; the earlier range keeps its key.
      last.end = Math.max(last.end, r.end);
    } else {
      merged.push({ ...r });
    }
  }
  return merged;
}

/**
 * Splits `text` into plain and highlighted segments. Offsets are Unicode code
 * points (Rust `char` indices), not UTF-16 units; ranges may be unsorted,
 * overlapping or out of range.
 */
export function segments(text: string, ranges: readonly Range[]): Segment[] {
  const chars = Array.from(text);
  const merged = normalizeRanges(ranges, chars.length);
  const out: Segment[] = [];
  let pos = 0;
  for (const r of merged) {
    if (r.start > pos) out.push({ text: chars.slice(pos, r.start).join(""), hit: false });
    const seg: Segment = { text: chars.slice(r.start, r.end).join(""), hit: true };
    if (r.key !== undefined) seg.key = r.key;
    out.push(seg);
    pos = r.end;
  }
  if (pos < chars.length) out.push({ text: chars.slice(pos).join(""), hit: false });
  return out;
}

/**
 * Like `segments`, but splits the result into paragraphs at blank lines
 * ("\n\n", possibly with whitespace between). Offsets still refer to the whole text.
 * Empty paragraphs are dropped; single newlines stay inside their paragraph.
 */
export function paragraphs(text: string, ranges: readonly Range[]): Segment[][] {
  const result: Segment[][] = [];
  let current: Segment[] = [];
  const flush = () => {
    // Trim leading/trailing whitespace of the paragraph without losing highlights.
    while (current.length > 0 && !current[0].hit && current[0].text.trim() === "") current.shift();
    while (current.length > 0 && !current[current.length - 1].hit && current[current.length - 1].text.trim() === "") current.pop();
    if (current.length > 0) {
      const first = current[0];
      if (!first.hit) current[0] = { ...first, text: first.text.replace(/^\s+/, "") };
      const lastIdx = current.length - 1;
      const last = current[lastIdx];
      if (!last.hit) current[lastIdx] = { ...last, text: last.text.replace(/\s+$/, "") };
      result.push(current);
    }
    current = [];
  };

  for (const seg of segments(text, ranges)) {
    const parts = seg.text.split(/\n[^\S\n]*\n\s*/);
    parts.forEach((part, i) => {
      if (i > 0) flush();
      if (part.length > 0) {
        const piece: Segment = { text: part, hit: seg.hit };
        if (seg.key !== undefined) piece.key = seg.key;
        current.push(piece);
      }
    });
  }
  flush();
  return result;
}
