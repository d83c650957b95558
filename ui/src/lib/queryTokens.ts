/** The topic query language (../shared/design/QUERY-LANGUAGE.md) cut into tokens for highlighting as it is
 * typed. Lossless: the tokens' texts joined are the query. It only colours; the backend's parser decides what
 * a query means and reports errors (QueryFeedback). */

export type TokenKind =
  | "operator" // AND OR NOT NEAR NEAR/n NEAR/nf ONEAR ONEAR/n w/n
  | "paren"
  | "phrase" // "…" (any of the accepted quotes), with its ~n
  | "field" // title: body: lead: source: site: url: author: lang:
  | "exact" // {SCO} or cs(SCO): that case only
  | "wildcard" // a term with * or ?
  | "negation" // a leading "-"
  | "comment" // <<<…>>>
  | "term"
  | "space";

export interface Token {
  kind: TokenKind;
  text: string;
}

const FIELDS = new Set(["title", "body", "lead", "source", "site", "url", "author", "lang"]);
const OPENING_QUOTES = '"“„«';
const CLOSING: Record<string, string> = { '"': '"', "“": "”", "„": "“”", "«": "»" };
const OPERATOR = /^(AND|OR|NOT|NEAR(\/\d+f?)?|ONEAR(\/\d+)?|w\/\d+)(?=$|[\s()])/;
const WORD_END = /[\s()"“”„«»{}]/;

export function tokenize(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind && (kind === "space" || kind === "term")) last.text += text;
    else out.push({ kind, text });
    i += text.length;
  };
  while (i < query.length) {
    const rest = query.slice(i);
    const c = rest[0];
    if (/\s/.test(c)) {
      push("space", /^\s+/.exec(rest)![0]);
    } else if (rest.startsWith("<<<")) {
      const end = rest.indexOf(">>>", 3);
      push("comment", end < 0 ? rest : rest.slice(0, end + 3));
    } else if (c === "(" || c === ")") {
      push("paren", c);
    } else if (OPENING_QUOTES.includes(c)) {
      const closers = CLOSING[c];
      let end = 1;
      while (end < rest.length && !closers.includes(rest[end])) end++;
      let phrase = rest.slice(0, Math.min(rest.length, end + 1));
      const slop = /^~\d+/.exec(rest.slice(phrase.length));
      if (slop) phrase += slop[0];
      push("phrase", phrase);
    } else if (c === "{") {
      const end = rest.indexOf("}");
      push("exact", end < 0 ? rest : rest.slice(0, end + 1));
    } else if (/^cs\(/.test(rest)) {
      const end = rest.indexOf(")");
      push("exact", end < 0 ? rest : rest.slice(0, end + 1));
    } else if (c === "-" && (i === 0 || /[\s(]/.test(query[i - 1]))) {
      push("negation", "-");
    } else {
      const op = OPERATOR.exec(rest);
      if (op) {
        push("operator", op[0]);
        continue;
      }
      const field = /^([a-z]+):/.exec(rest);
      if (field && FIELDS.has(field[1])) {
        push("field", field[0]);
        continue;
      }
      let end = 0;
      while (end < rest.length && !WORD_END.test(rest[end])) end++;
      const word = rest.slice(0, Math.max(1, end));
      push(/[*?]/.test(word) ? "wildcard" : "term", word);
    }
  }
  return out;
}
