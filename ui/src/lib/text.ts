/** "1 article", "3 articles"; `plural` defaults to singular + "s". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : plural}`;
}

/** Host name of a URL for compact display, or the input when it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** The line shown after a fetch: "3 new articles from 5 sources, 2 unchanged, 1 error." */
export function describeFetch(
  summary: { sources: number; new_articles: number; not_modified: number; errors: readonly unknown[] },
  cancelled = false,
): string {
  let line = `${count(summary.new_articles, "new article")} from ${count(summary.sources, "source")}`;
  if (summary.not_modified > 0) line += `, ${summary.not_modified.toLocaleString("en-US")} unchanged`;
  if (summary.errors.length > 0) line += `, ${count(summary.errors.length, "error")}`;
  if (cancelled) line += " (cancelled)";
  return `${line}.`;
}
