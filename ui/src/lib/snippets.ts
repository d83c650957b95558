import { findHits, termWords, type Needle } from "./article";
import type { Field, Span, TopicHit } from "./bindings";
import { segments, type Range, type Segment } from "./highlight";

// Highlighting in snippets: the sentences of context the backend sends along with a hit. Where the
// article's text is at hand (the reader), a snippet is found in it and the spans are marked exactly; where
// it is not (a list row, a search hit), the spans' terms are looked for in the snippet instead.

/** The highlight ranges of one field's spans (code points), all with the same key. */
export function spanRanges(spans: readonly Span[], field: Field, key?: string): Range[] {
  return spans
    .filter((s) => s.field === field)
    .map((s) => (key === undefined ? { start: s.start, end: s.end } : { start: s.start, end: s.end, key }));
}

/** For each code point index of `text` (and its end), the UTF-16 offset where it starts. */
export function utf16Offsets(text: string): number[] {
  const offsets: number[] = [];
  let u = 0;
  for (const ch of text) {
    offsets.push(u);
    u += ch.length;
  }
  offsets.push(u);
  return offsets;
}

/** UTF-16 ranges (DOM and RegExp offsets) as code point ranges (what `segments` takes). */
export function codePointRanges(text: string, ranges: readonly { start: number; end: number; key?: string }[]): Range[] {
  const cp: number[] = new Array<number>(text.length + 1);
  let n = 0;
  let u = 0;
  for (const ch of text) {
    for (let k = 0; k < ch.length; k++) cp[u + k] = n;
    u += ch.length;
    n++;
  }
  cp[text.length] = n;
  const at = (i: number) => cp[Math.min(Math.max(0, i), text.length)];
  return ranges.map((r) => {
    const out: Range = { start: at(r.start), end: at(r.end) };
    if (r.key !== undefined) out.key = r.key;
    return out;
  });
}

/**
 * A word's stemmed form for highlighting only (the matcher uses Snowball): long words lose up to their
 * last two letters and match any ending, so "sanctions" also marks "sanctioned", "визы" also "визой".
 */
function stemmed(word: { text: string; prefix: boolean }): { text: string; prefix: boolean } {
  const chars = Array.from(word.text);
  if (word.prefix || chars.length < 4 || /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/u.test(word.text)) return word;
  const keep = Math.max(3, chars.length - 2);
  return { text: chars.slice(0, keep).join(""), prefix: true };
}

/**
 * What to look for in a snippet for these spans: each span's term as written in the query, and the text it
 * matched when that is known (`texts` by field: a title is always at hand). With `stem`, every word also
 * matches its other forms.
 */
export function termNeedles(
  spans: readonly Span[],
  key: string,
  options: { stem?: boolean; texts?: Partial<Record<Field, string>> } = {},
): Needle[] {
  const seen = new Set<string>();
  const needles: Needle[] = [];
  const chars: Partial<Record<Field, string[]>> = {};
  const add = (source: string) => {
    let words = termWords(source);
    if (words.length === 0) return;
    if (options.stem) words = words.map(stemmed);
    const id = words.map((w) => `${w.text.toLowerCase()}${w.prefix ? "*" : ""}`).join(" ");
    if (seen.has(id)) return;
    seen.add(id);
    needles.push({ words, key });
  };
  for (const span of spans) {
    add(span.term);
    const text = options.texts?.[span.field];
    if (text !== undefined) {
      chars[span.field] ??= Array.from(text);
      const matched = (chars[span.field] as string[]).slice(span.start, span.end).join("");
      if (matched.trim() !== "") add(matched);
    }
  }
  return needles;
}

/** A snippet split into plain and highlighted parts where the needles occur. */
export function markSnippet(snippet: string, needles: readonly Needle[]): Segment[] {
  return segments(snippet, codePointRanges(snippet, findHits(snippet, needles)));
}

/** One "why it was flagged" sentence of a topic, with its hits marked. */
export interface FlaggedSentence {
  text: string;
  parts: Segment[];
}

const ELLIPSIS = "…";

/** A snippet found in its field: the text range it shows (UTF-16), whether it was cut, and the hits in it. */
interface Placed {
  field: Field;
  start: number;
  end: number;
  cutBefore: boolean;
  cutAfter: boolean;
  marks: { start: number; end: number }[];
}

/**
 * Finds a span's snippet in the title or text around the span: the range of the field it shows, with the
 * span's place in the field; null when the snippet is not found there.
 */
function place(span: Span, snippet: string, field: { text: string; offsets: number[] }): Placed | null {
  const { text, offsets } = field;
  if (span.start < 0 || span.end > offsets.length - 1 || span.end <= span.start) return null;
  const s16 = offsets[span.start];
  const e16 = offsets[span.end];
  const pre = snippet.startsWith(ELLIPSIS) ? [ELLIPSIS.length, 0] : [0];
  const post = snippet.endsWith(ELLIPSIS) ? [ELLIPSIS.length, 0] : [0];
  for (const a of pre) {
    for (const b of post) {
      const core = snippet.slice(a, snippet.length - b);
      if (core.trim() === "") continue;
      const at = text.lastIndexOf(core, s16);
      if (at < 0 || s16 >= at + core.length) continue;
      const end = at + core.length;
      return { field: span.field, start: at, end, cutBefore: a > 0, cutAfter: b > 0, marks: [{ start: s16, end: Math.min(e16, end) }] };
    }
  }
  return null;
}

/**
 * The sentences that explain why a topic flagged an article: one per hit (`snippets`, in the spans'
 * order), with every hit inside marked in the topic's colour. Each snippet is found in the article's title
 * or text, so its hits are marked exactly, and snippets that overlap there (two hits in one long sentence,
 * cut differently around each) become one. A snippet that cannot be found is shown as sent, its span's
 * term marked.
 */
export function whyFlagged(
  hit: Pick<TopicHit, "topic_id" | "spans" | "snippets">,
  article: { title: string; text: string },
): FlaggedSentence[] {
  const key = String(hit.topic_id);
  const fields: Record<Field, { text: string; offsets: number[] } | null> = { title: null, text: null };
  const field = (f: Field) => (fields[f] ??= { text: article[f], offsets: utf16Offsets(article[f]) });

  const placed: Placed[] = [];
  const loose = new Map<string, { start: number; end: number; key: string }[]>();
  hit.spans.forEach((span, i) => {
    const snippet = hit.snippets[i];
    if (snippet === undefined || snippet.trim() === "") return;
    const p = place(span, snippet, field(span.field));
    if (p) {
      placed.push(p);
      return;
    }
    const marks = findHits(snippet, termNeedles([span], key, { texts: { [span.field]: article[span.field] } }));
    loose.set(snippet, [...(loose.get(snippet) ?? []), ...marks]);
  });

  // Title first, then the text in reading order; overlapping pieces of one field merge.
  placed.sort((a, b) => (a.field === b.field ? a.start - b.start || b.end - a.end : a.field === "title" ? -1 : 1));
  const merged: Placed[] = [];
  for (const p of placed) {
    const last = merged[merged.length - 1];
    if (last && last.field === p.field && p.start <= last.end) {
      if (p.end > last.end || (p.end === last.end && !p.cutAfter)) {
        last.cutAfter = p.cutAfter;
        last.end = p.end;
      }
      last.marks.push(...p.marks);
    } else {
      merged.push({ ...p, marks: [...p.marks] });
    }
  }

  const out: FlaggedSentence[] = merged.map((p) => {
    const before = p.cutBefore ? ELLIPSIS : "";
    const text = `${before}${article[p.field].slice(p.start, p.end)}${p.cutAfter ? ELLIPSIS : ""}`;
    const ranges = p.marks.map((m) => ({ start: before.length + m.start - p.start, end: before.length + m.end - p.start, key }));
    return { text, parts: segments(text, codePointRanges(text, ranges)) };
  });
  for (const [text, marks] of loose) out.push({ text, parts: segments(text, codePointRanges(text, marks)) });
  return out;
}
