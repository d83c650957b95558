import type { ArticleDetail, TextOrigin, TopicHit } from "./bindings";
import { t } from "./i18n.svelte";

// ---------- Highlighting the terms of the article's topics in its HTML ----------

/**
 * Something to find in the article's HTML text: a term's words, matched case-insensitively, each word
 * whole unless it is a prefix (`sanction*`). `key` is the topic id, so the mark takes the topic's colour.
 */
export interface Needle {
  words: { text: string; prefix: boolean }[];
  key: string;
}

/** A highlight in a string, in UTF-16 units (DOM offsets), end exclusive. */
export interface Hit {
  start: number;
  end: number;
  key: string;
}

/** Han, Kana and Hangul: written without spaces, every character a word of its own (as the matcher reads them). */
const CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\u{20000}-\\u{2fa1f}";
const CJK_CHAR = new RegExp(`^[${CJK}]$`, "u");
/** A letter or digit of a space-separated script: what a word boundary is made of. */
const WORD_CHAR = new RegExp(`^(?![${CJK}])[\\p{L}\\p{N}\\p{M}]$`, "u");
const WORD = `(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])`;

function isCjk(ch: string): boolean {
  return CJK_CHAR.test(ch);
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

/**
 * Splits a term (as written in a query: `"central bank"`, `sanction*`) or a matched piece of text into
 * words the way the matcher does: runs of letters and digits, every CJK character a word of its own;
 * a `*` right after a word makes it a prefix. Quotes, punctuation and spaces only separate words.
 */
export function termWords(term: string): { text: string; prefix: boolean }[] {
  const words: { text: string; prefix: boolean }[] = [];
  let current = "";
  const flush = () => {
    if (current !== "") words.push({ text: current, prefix: false });
    current = "";
  };
  for (const ch of term) {
    if (isCjk(ch)) {
      flush();
      words.push({ text: ch, prefix: false });
    } else if (isWordChar(ch)) {
      current += ch;
    } else if (ch === "*" && (current !== "" || words.length > 0)) {
      flush();
      const last = words[words.length - 1];
      if (!isCjk(last.text)) last.prefix = true;
    } else {
      flush();
    }
  }
  flush();
  return words;
}

/** Code points of a string (offsets in spans are Rust `char` indices). */
function sliceChars(chars: string[], start: number, end: number): string {
  return chars.slice(Math.max(0, start), Math.max(0, end)).join("");
}

/**
 * What to highlight in the article's HTML: for every span, the text it matched (the substring of the
 * title or text at its offsets — what the page shows), and the query term itself (so a word the HTML
 * spells like the term is found even where the stored text differs). Duplicates are dropped.
 */
export function needlesFor(article: Pick<ArticleDetail, "title" | "text"> & { topics: readonly TopicHit[] }): Needle[] {
  const text = Array.from(article.text);
  const title = Array.from(article.title);
  const seen = new Set<string>();
  const needles: Needle[] = [];
  const add = (source: string, key: string) => {
    const words = termWords(source);
    if (words.length === 0) return;
    const id = `${key}\u0000${words.map((w) => `${w.text.toLowerCase()}${w.prefix ? "*" : ""}`).join(" ")}`;
    if (seen.has(id)) return;
    seen.add(id);
    needles.push({ words, key });
  };
  for (const hit of article.topics) {
    const key = String(hit.topic_id);
    for (const span of hit.spans) {
      const chars = span.field === "text" ? text : title;
      const matched = sliceChars(chars, span.start, span.end);
      if (matched.trim() !== "") add(matched, key);
      add(span.term, key);
    }
  }
  return needles;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A word as a pattern: `е` and `ё` are the same letter to the matcher. */
function wordPattern(word: { text: string; prefix: boolean }): string {
  let p = "";
  for (const ch of word.text) p += ch === "е" || ch === "ё" || ch === "Е" || ch === "Ё" ? "[еёЕЁ]" : escapeRegExp(ch);
  return word.prefix ? `${p}${WORD}*` : p;
}

/** The regular expression of a needle: its words separated by anything that is not a letter or digit. */
export function needlePattern(needle: Needle): RegExp | null {
  if (needle.words.length === 0) return null;
  let source = "";
  needle.words.forEach((word, i) => {
    if (i > 0) {
      const prev = needle.words[i - 1];
      // CJK characters follow each other directly; other words need a separator (space, hyphen...).
      const joint = isCjk(prev.text) || isCjk(word.text) ? "[^\\p{L}\\p{N}\\u0000]*" : "[^\\p{L}\\p{N}\\u0000]+";
      source += joint;
    }
    source += wordPattern(word);
  });
  const last = needle.words[needle.words.length - 1];
  if (!last.prefix && !isCjk(last.text)) source += `(?!${WORD})`;
  try {
    return new RegExp(source, "giu");
  } catch {
    return null;
  }
}

/** The code point that ends right before `index` (a surrogate pair read as one). */
function charBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (index >= 2 && low >= 0xdc00 && low <= 0xdfff) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(index - 2, index);
  }
  return text[index - 1];
}

/**
 * Where the needles occur in `text` (UTF-16 offsets), case-insensitively and on word boundaries (except
 * for CJK, which has none), sorted; overlapping hits are merged, the longer (then earlier) one keeping its key.
 * U+0000 in `text` is a hard break no hit crosses.
 */
export function findHits(text: string, needles: readonly Needle[]): Hit[] {
  const found: Hit[] = [];
  for (const needle of needles) {
    const re = needlePattern(needle);
    if (!re) continue;
    const first = needle.words[0];
    const boundaryBefore = !isCjk(first.text);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex = m.index + 1;
        continue;
      }
      if (boundaryBefore && isWordChar(charBefore(text, m.index))) {
        // Inside a word: look again from the next character (a hit may start there).
        re.lastIndex = m.index + 1;
        continue;
      }
      found.push({ start: m.index, end: m.index + m[0].length, key: needle.key });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Hit[] = [];
  for (const h of found) {
    const last = merged[merged.length - 1];
    if (last && h.start < last.end) {
      last.end = Math.max(last.end, h.end);
    } else {
      merged.push({ ...h });
    }
  }
  return merged;
}

/** A piece of one text node to wrap in a mark: offsets within that node. */
export interface Piece {
  chunk: number;
  start: number;
  end: number;
  key: string;
}

/**
 * Plans the marks for a run of text nodes: `chunks` are their texts in document order, `null` where a
 * block ends (a paragraph, a list item, a line break: no hit crosses it). A hit spanning several nodes
 * (`Xi <b>Jinping</b>`) becomes one piece per node. Pieces come last-first, so wrapping them one after
 * the other (splitting text nodes) never shifts the offsets of those still to do.
 */
export function planMarks(chunks: readonly (string | null)[], needles: readonly Needle[]): Piece[] {
  const offsets: number[] = [];
  let text = "";
  for (const chunk of chunks) {
    if (chunk === null) {
      offsets.push(-1);
      text += "\u0000";
    } else {
      offsets.push(text.length);
      text += chunk.replaceAll("\u0000", " ");
    }
  }
  const hits = findHits(text, needles);
  if (hits.length === 0) return [];
  const pieces: Piece[] = [];
  chunks.forEach((chunk, i) => {
    if (chunk === null || chunk.length === 0) return;
    const from = offsets[i];
    const to = from + chunk.length;
    for (const h of hits) {
      if (h.end <= from) continue;
      if (h.start >= to) break;
      let start = Math.max(h.start, from) - from;
      let end = Math.min(h.end, to) - from;
      // The space between two words in different nodes stays unmarked (a piece of only space is dropped).
      while (start < end && /\s/.test(chunk[start])) start++;
      while (end > start && /\s/.test(chunk[end - 1])) end--;
      if (end > start) pieces.push({ chunk: i, start, end, key: h.key });
    }
  });
  return pieces.sort((a, b) => b.chunk - a.chunk || b.start - a.start);
}

// ---------- What the reader says about the article ----------

/** Where the body came from, as the reader's metadata line says it. */
export function originNote(origin: TextOrigin): string {
  return origin === "page" ? t("reader.origin.page") : t("reader.origin.feed");
}

/** The notice shown when the article page could not be read. */
export function extractErrorNote(error: string): string {
  const reason = error.trim().replace(/[.\s]+$/, "") || t("reader.unknownError");
  return t("reader.extractError", { reason });
}

/** "Also published by 3 outlets". */
export function copiesHeading(n: number): string {
  return t("reader.copiesHeading", { n });
}

/** The Mentions badge, "+2 outlets", and its title, "Also published by 2 other outlets". */
export function outletsBadge(n: number): { label: string; title: string } {
  return { label: t("reader.outlets.badge", { n }), title: t("reader.outlets.title", { n }) };
}

/** The site's name when it says more than the source's name (not the same, ignoring case and spaces). */
export function distinctSiteName(siteName: string | null, source: string): string | null {
  const site = siteName?.trim() ?? "";
  if (site === "") return null;
  const norm = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();
  return norm(site) === norm(source) ? null : site;
}

/** The canonical address when it is another page than `url` (ignoring a trailing slash and the fragment). */
export function distinctCanonical(canonical: string | null, url: string | null): string | null {
  if (!canonical || !isWebUrl(canonical)) return null;
  if (!url) return canonical;
  const norm = (s: string) => s.trim().replace(/#.*$/, "").replace(/\/+$/, "");
  return norm(canonical) === norm(url) ? null : canonical;
}

/** An http(s) URL: the only kind the reader hands to the browser or puts in an image's `src`. */
export function isWebUrl(url: string | null | undefined): url is string {
  return !!url && webUrl(url);
}

function webUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

/** Links the reader hands to the system: web pages and e-mail addresses. */
export function isOpenableUrl(url: string | null | undefined): url is string {
  if (!url) return false;
  if (webUrl(url)) return true;
  return /^mailto:[^\s]+$/i.test(url.trim());
}
