import type { Key } from "../i18n/catalogues";
import type { SearchOrder, SearchPage } from "./bindings";
import { t } from "./i18n.svelte";

/** The line above the results: "50 articles so far, newest first", "12 articles, most relevant first". */
export function searchSummary(page: Pick<SearchPage, "hits" | "next" | "order">): string {
  if (page.hits.length === 0) return t("search.summary.none");
  const articles = t("common.articles", { n: page.hits.length });
  const found = page.next ? t("search.summary.soFar", { articles }) : articles;
  return t(page.order === "relevance" ? "search.summary.relevance" : "search.summary.newest", { articles: found });
}

/**
 * Why the results are not in the order asked for, when they are not: the backend's `note`, or a
 * generic line when it gave none.
 */
export function orderNote(page: Pick<SearchPage, "order" | "note">, wanted: SearchOrder): string | null {
  if (page.order === wanted && !page.note) return null;
  const reason = page.note?.trim().replace(/[.\s]+$/, "");
  if (page.order === wanted) return reason ? `${capitalise(reason)}.` : null;
  return reason ? t("search.notRanked", { reason }) : t("search.notRankedNewest");
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Example queries the empty Search page offers (in the query language, not translated), each with the
 * catalogue message of what it shows off (translated where it is shown).
 */
export const SEARCH_EXAMPLES: readonly { query: string; what: Key }[] = [
  { query: '"central bank" AND (rates OR inflation)', what: "search.examples.phrase" },
  { query: "Xi NEAR/5 Putin", what: "search.examples.near" },
  { query: "title:sanction*", what: "search.examples.prefix" },
  { query: "{SCO} NOT sport", what: "search.examples.exact" },
];

/** The search field's placeholder: sample queries, in the query language. */
export const SEARCH_PLACEHOLDER = '"central bank" AND rates, Xi NEAR/5 Putin, title:sanction*';
