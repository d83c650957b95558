import type { SearchOrder, SearchPage } from "./bindings";
import { count } from "./text";

/** The line above the results: "50 articles so far, newest first", "12 articles, most relevant first". */
export function searchSummary(page: Pick<SearchPage, "hits" | "next" | "order">): string {
  if (page.hits.length === 0) return "No stored article matches.";
  const found = `${count(page.hits.length, "article")}${page.next ? " so far" : ""}`;
  return `${found}, ${page.order === "relevance" ? "most relevant first" : "newest first"}`;
}

/**
 * Why the results are not in the order asked for, when they are not: the backend's `note`, or a
 * generic line when it gave none.
 */
export function orderNote(page: Pick<SearchPage, "order" | "note">, wanted: SearchOrder): string | null {
  if (page.order === wanted && !page.note) return null;
  const reason = page.note?.trim().replace(/[.\s]+$/, "");
  if (page.order === wanted) return reason ? `${capitalise(reason)}.` : null;
  return reason ? `Not ranked by relevance: ${reason}.` : "Not ranked by relevance: shown newest first.";
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Example queries the empty Search page offers, each with what it shows off. */
export const SEARCH_EXAMPLES: readonly { query: string; what: string }[] = [
  { query: '"central bank" AND (rates OR inflation)', what: "a phrase and a group" },
  { query: "Xi NEAR/5 Putin", what: "two names within five words" },
  { query: "title:sanction*", what: "any word starting sanction, in titles" },
  { query: "{SCO} NOT sport", what: "the acronym in capitals, no sport" },
];
