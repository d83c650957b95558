import type { Field, TopicHit } from "./bindings";
import type { Range } from "./highlight";

/** The highlight ranges of one field, keyed by topic id so each topic keeps its colour. */
export function rangesFor(topics: readonly TopicHit[], field: Field): Range[] {
  const ranges: Range[] = [];
  for (const hit of topics) {
    for (const span of hit.spans) {
      if (span.field === field) ranges.push({ start: span.start, end: span.end, key: String(hit.topic_id) });
    }
  }
  return ranges;
}
