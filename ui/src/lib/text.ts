import { t } from "./i18n.svelte";

/**
 * "1 article", "3 articles" in English only. Interface text uses catalogue plurals instead (a word's
 * plural in Russian has three forms); this stays for English-only output such as file names.
 */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : plural}`; // i18n-ignore: English-only helper
}

/** Host name of a URL for compact display, or the input when it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/**
 * Stored topics whose query no longer parses flag nothing until they are edited: "2 topics flagged nothing:
 * their queries no longer parse; edit them under Topics." (empty when there are none).
 */
export function describeSkippedTopics(skipped: readonly unknown[] | undefined): string {
  const n = skipped?.length ?? 0;
  return n === 0 ? "" : ` ${t("app.fetch.skippedTopics", { n })}`;
}

/**
 * What the alert rules did after a fetch: " 1 alert fired; see Alerts." and, when deliveries failed for good,
 * " 1 delivery failed." (empty when nothing fired or failed).
 */
export function describeAlertsRun(run: { fired: number; failed: number } | undefined): string {
  if (!run) return "";
  let text = "";
  if (run.fired > 0) text += ` ${t("app.fetch.alertsFired", { n: run.fired })}`;
  if (run.failed > 0) text += ` ${t("app.fetch.deliveriesFailed", { n: run.failed })}`;
  return text;
}

/** The line shown after a fetch: "3 new articles from 5 sources, 2 unchanged, 1 error. 1 alert fired; see Alerts." */
export function describeFetch(
  summary: {
    sources: number;
    new_articles: number;
    not_modified: number;
    errors: readonly unknown[];
    skipped_topics?: readonly unknown[];
    alerts?: { fired: number; failed: number };
  },
  cancelled = false,
): string {
  let line = t("app.fetch.result", {
    articles: t("common.newArticles", { n: summary.new_articles }),
    sources: t("app.fetch.fromSources", { n: summary.sources }),
  });
  if (summary.not_modified > 0) line += t("app.fetch.unchanged", { n: summary.not_modified });
  if (summary.errors.length > 0) line += `, ${t("common.errors", { n: summary.errors.length })}`;
  if (cancelled) line += t("app.fetch.cancelled");
  return `${line}.${describeSkippedTopics(summary.skipped_topics)}${describeAlertsRun(summary.alerts)}`;
}

/** How many import errors the note spells out; the rest are counted. */
export const IMPORT_ERRORS_SHOWN = 3;

/**
 * The note after an article import: "Imported 12 new articles from 2 sources." and, when files or lines
 * could not be read, the first few problems: "2 errors: a.html: not an article; b.jsonl: line 3: …".
 */
export function describeImport(summary: {
  sources: number;
  new_articles: number;
  errors: readonly { code: string; message: string }[];
  skipped_topics?: readonly unknown[];
}): string {
  let line = t("app.import.result", {
    articles: t("common.newArticles", { n: summary.new_articles }),
    sources: t("app.fetch.fromSources", { n: summary.sources }),
  });
  const errors = summary.errors;
  if (errors.length > 0) {
    const shown = errors.slice(0, IMPORT_ERRORS_SHOWN).map((e) => e.message.trim() || e.code);
    const more = errors.length - shown.length;
    line += `; ${t("common.errors", { n: errors.length })}: ${shown.join("; ")}`;
    if (more > 0) line += `; ${t("app.import.more", { n: more })}`;
  }
  return `${line.replace(/[.\s]+$/, "")}.${describeSkippedTopics(summary.skipped_topics)}`;
}
