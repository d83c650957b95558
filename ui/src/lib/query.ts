export interface CaretLine {
  /** 1-based line number within the query. */
  line: number;
  /** The text of that line. */
  text: string;
  /** Whitespace that puts a "^" under the offending character when both lines use the same monospace font. */
  pad: string;
}

/** East Asian wide/fullwidth characters take two cells in a monospace font. */
function isWide(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/**
 * Locates a 1-based column (counted in code points over the whole query, as the
 * Rust parser reports it) and returns the line it falls on plus the padding for a caret.
 * A column past the end points just after the last character.
 */
export function caretLine(query: string, column: number): CaretLine {
  const chars = Array.from(query);
  const index = Math.min(Math.max(1, Math.floor(column || 1)), chars.length + 1) - 1;

  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < index; i++) {
    if (chars[i] === "\n") {
      lineStart = i + 1;
      line++;
    }
  }
  let lineEnd = lineStart;
  while (lineEnd < chars.length && chars[lineEnd] !== "\n") lineEnd++;

  const pad = chars
    .slice(lineStart, index)
    .map((ch) => (ch === "\t" ? "\t" : isWide(ch) ? "  " : " "))
    .join("");
  return { line, text: chars.slice(lineStart, lineEnd).join(""), pad };
}

/** A query problem as the topic language reports it (the shape of `QueryProblem`). */
export interface QueryPosition {
  message: string;
  /** 1-based column, in code points. */
  column: number;
}

/**
 * Reads the position out of an `invalid_query` error's message ("expected ')' at column 11"): the
 * message without the position and the column, or null when the message names none.
 */
export function problemFromMessage(message: string): QueryPosition | null {
  const m = /^([\s\S]*?)\s*\bat column (\d+)\s*\.?\s*$/.exec(message.trim());
  if (!m) return null;
  const column = Number.parseInt(m[2], 10);
  if (!Number.isFinite(column)) return null;
  return { message: m[1].trim() || message.trim(), column };
}
