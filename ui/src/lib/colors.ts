/** Number of distinct topic colours defined in app.css (--topic-0 … --topic-7). */
export const TOPIC_COLORS = 8;

/** A stable colour slot for a topic id, so a topic keeps its colour everywhere. */
export function topicSlot(topicId: number | string | undefined): number {
  const n = typeof topicId === "string" ? Number.parseInt(topicId, 10) : topicId;
  if (n === undefined || !Number.isFinite(n)) return 0;
  return ((Math.trunc(n) % TOPIC_COLORS) + TOPIC_COLORS) % TOPIC_COLORS;
}
