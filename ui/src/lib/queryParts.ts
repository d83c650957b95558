import { tokenize, type TokenKind } from "./queryTokens";

export interface QueryPart {
  kind: TokenKind;
  text: string;
  /** The character the parser's error points at. */
  error: boolean;
}

/** The query's tokens, with the character at the error's 1-based column cut out and marked (a space past the
 * end when the error is at the end: "expected ')'"). */
export function queryParts(query: string, errorColumn: number | null): QueryPart[] {
  const parts: QueryPart[] = [];
  const at = errorColumn === null ? -1 : errorColumn - 1;
  let pos = 0;
  for (const t of tokenize(query)) {
    const start = pos;
    const end = pos + t.text.length;
    pos = end;
    if (at < start || at >= end) {
      parts.push({ kind: t.kind, text: t.text, error: false });
      continue;
    }
    const cut = at - start;
    if (cut > 0) parts.push({ kind: t.kind, text: t.text.slice(0, cut), error: false });
    parts.push({ kind: t.kind, text: t.text.slice(cut, cut + 1), error: true });
    if (cut + 1 < t.text.length) parts.push({ kind: t.kind, text: t.text.slice(cut + 1), error: false });
  }
  if (at >= query.length) parts.push({ kind: "space", text: " ", error: true });
  return parts;
}
