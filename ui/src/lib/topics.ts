import type { Key } from "../i18n/catalogues";
import type { BackfillProgress, NewTopic, Topic, TopicPreview } from "./bindings";
import type { Params } from "./i18n";
import { t } from "./i18n.svelte";

/** The line under the backfill's progress bar: "Matching stored articles: 120/500, 3 flagged". */
export function backfillText(p: BackfillProgress | null): string {
  if (p === null) return t("topics.backfill.starting");
  if (p.total === 0) return t("topics.backfill.flagged", { matched: p.matched });
  return t("topics.backfill.progress", { done: p.done, total: p.total, matched: p.matched });
}

/** How far the backfill is, 0…1, or null while its size is unknown (an indeterminate bar). */
export function backfillFraction(p: BackfillProgress | null): number | null {
  if (p === null || p.total <= 0) return null;
  return Math.min(1, Math.max(0, p.done / p.total));
}

/** "Would flag 3 stored articles (120 checked)". */
export function previewSummary(p: { matched: number; scanned: number }): string {
  return p.matched === 0
    ? t("topics.preview.summaryNone", { scanned: p.scanned })
    : t("topics.preview.summary", { n: p.matched, scanned: p.scanned });
}

/**
 * Under the preview's count, how recent the matches are: "12 matches in the last 7 days, 40 in the last 30"
 * (the figures marked `<d7>` and `<d30>` for `Msg`), or null when nothing matches.
 */
export function previewRecent(p: Pick<TopicPreview, "matched" | "matched_7d" | "matched_30d">): { key: Key; params: Params } | null {
  if (p.matched === 0) return null;
  return { key: "topics.preview.recent", params: { n: p.matched_7d, n30: p.matched_30d } };
}

/** Above the preview's list: "The newest 10:" when there are more matches than shown. */
export function previewListHeading(shown: number, matched: number): string {
  if (shown >= matched) return shown === 1 ? t("topics.preview.theArticle") : t("topics.preview.all", { n: shown });
  return t("topics.preview.newest", { n: shown });
}

/** The note once a topic is saved: "Added “Energy”: it flags 3 stored articles." */
export function savedNote(topic: Pick<Topic, "name" | "mention_count">, edited: boolean): string {
  const name = topic.name;
  if (topic.mention_count === 0) return t(edited ? "topics.note.savedNone" : "topics.note.addedNone", { name });
  return t(edited ? "topics.note.saved" : "topics.note.added", { name, n: topic.mention_count });
}

/** The note after the analyst cancelled a save: nothing was changed. */
export function cancelledNote(name: string, edited: boolean): string {
  return t(edited ? "topics.note.cancelledEdit" : "topics.note.cancelledAdd", { name });
}

/** The editor's fields, as typed. */
export interface TopicDraft {
  name: string;
  query: string;
  description: string;
  stem: boolean;
}

/** What the editor sends: trimmed, an empty description as none. */
export function draftToNewTopic(d: TopicDraft): NewTopic {
  const description = d.description.trim();
  return { name: d.name.trim(), query: d.query.trim(), description: description === "" ? null : description, stem: d.stem };
}

/** The editor's fields for a stored topic. */
export function topicToDraft(t: Topic): TopicDraft {
  return { name: t.name, query: t.query, description: t.description ?? "", stem: t.stem };
}

/** Whether saving `d` would change `t` at all (whitespace at the ends does not count). */
export function draftChanges(t: Topic, d: TopicDraft): boolean {
  const n = draftToNewTopic(d);
  return n.name !== t.name || n.query !== t.query.trim() || (n.description ?? null) !== (t.description ?? null) || n.stem !== t.stem;
}
