import { afterEach, describe, expect, it } from "vitest";
import type { Topic } from "./bindings";
import { segments } from "./i18n";
import { i18n, t } from "./i18n.svelte";
import {
  backfillFraction,
  backfillText,
  cancelledNote,
  draftChanges,
  draftToNewTopic,
  previewListHeading,
  previewRecent,
  previewSummary,
  savedNote,
  topicToDraft,
} from "./topics";

/** The preview's recent line as the analyst reads it (the marked figures as plain text). */
function recentText(p: { matched: number; matched_7d: number; matched_30d: number }): string | null {
  const r = previewRecent(p);
  return r && segments(t(r.key, r.params)).map((s) => s.text).join("");
}

describe("backfill progress", () => {
  it("reads done/total and the flagged count", () => {
    expect(backfillText({ done: 120, total: 1500, matched: 3 })).toBe("Matching stored articles: 120/1,500, 3 flagged");
    expect(backfillText({ done: 0, total: 0, matched: 0 })).toBe("Matching stored articles: 0 flagged");
    expect(backfillText(null)).toBe("Matching stored articles…");
  });

  it("is a fraction once the total is known", () => {
    expect(backfillFraction(null)).toBeNull();
    expect(backfillFraction({ done: 0, total: 0, matched: 0 })).toBeNull();
    expect(backfillFraction({ done: 25, total: 100, matched: 1 })).toBe(0.25);
    // Articles stored during the scan can push done past the first total.
    expect(backfillFraction({ done: 120, total: 100, matched: 1 })).toBe(1);
  });
});

describe("preview", () => {
  it("says how many stored articles the query would flag", () => {
    expect(previewSummary({ matched: 3, scanned: 120 })).toBe("Would flag 3 stored articles (120 checked)");
    expect(previewSummary({ matched: 1, scanned: 1 })).toBe("Would flag 1 stored article (1 checked)");
    expect(previewSummary({ matched: 0, scanned: 2500 })).toBe("Would flag no stored articles (2,500 checked)");
  });

  it("says how many matches are from the last 7 and 30 days, marking the figures", () => {
    expect(recentText({ matched: 311, matched_7d: 12, matched_30d: 40 })).toBe("12 matches in the last 7 days, 40 in the last 30");
    expect(recentText({ matched: 3, matched_7d: 1, matched_30d: 2 })).toBe("1 match in the last 7 days, 2 in the last 30");
    expect(recentText({ matched: 5000, matched_7d: 0, matched_30d: 1200 })).toBe("0 matches in the last 7 days, 1,200 in the last 30");
    const r = previewRecent({ matched: 311, matched_7d: 12, matched_30d: 40 });
    expect(segments(t(r!.key, r!.params)).filter((s) => s.tag)).toEqual([
      { tag: "d7", text: "12" },
      { tag: "d30", text: "40" },
    ]);
    expect(previewRecent({ matched: 0, matched_7d: 0, matched_30d: 0 })).toBeNull();
  });

  it("heads the list by whether it is complete", () => {
    expect(previewListHeading(10, 37)).toBe("The newest 10:");
    expect(previewListHeading(4, 4)).toBe("All 4:");
    expect(previewListHeading(1, 1)).toBe("The article:");
  });
});

describe("notes", () => {
  it("names the topic and what it flags", () => {
    expect(savedNote({ name: "Energy", mention_count: 3 }, false)).toBe("Added “Energy”: it flags 3 stored articles.");
    expect(savedNote({ name: "Energy", mention_count: 1 }, true)).toBe("Saved “Energy”: it flags 1 stored article.");
    expect(savedNote({ name: "Energy", mention_count: 0 }, false)).toBe("Added “Energy”: it flags no stored articles yet.");
  });

  it("says that a cancelled save changed nothing", () => {
    expect(cancelledNote("Energy", false)).toBe("Cancelled: “Energy” was not added; nothing was changed.");
    expect(cancelledNote("Energy", true)).toBe("Cancelled: “Energy” was left as it was; nothing was changed.");
  });
});

describe("in Russian", () => {
  afterEach(() => i18n.set("system"));

  it("agrees the counts", () => {
    i18n.set("ru");
    expect(previewSummary({ matched: 1, scanned: 1 })).toBe("Отметит 1 сохранённую статью (проверено: 1)");
    expect(previewSummary({ matched: 3, scanned: 120 })).toBe("Отметит 3 сохранённые статьи (проверено: 120)");
    expect(previewSummary({ matched: 11, scanned: 2500 })).toBe("Отметит 11 сохранённых статей (проверено: 2\u00a0500)");
    expect(previewSummary({ matched: 0, scanned: 5 })).toBe("Не отметит ни одной сохранённой статьи (проверено: 5)");
    expect(savedNote({ name: "Энергетика", mention_count: 21 }, false)).toBe("Тема «Энергетика» добавлена: она отмечает 21 сохранённую статью.");
    expect(savedNote({ name: "Энергетика", mention_count: 5 }, true)).toBe("Тема «Энергетика» сохранена: она отмечает 5 сохранённых статей.");
    expect(cancelledNote("Энергетика", true)).toBe("Отменено: тема «Энергетика» осталась прежней, ничего не изменилось.");
    expect(backfillText({ done: 120, total: 1500, matched: 3 })).toBe("Проверка сохранённых статей: 120/1\u00a0500, отмечено 3");
    expect(previewListHeading(10, 37)).toBe("Последние 10:");
    expect(recentText({ matched: 3, matched_7d: 1, matched_30d: 2 })).toBe("1 совпадение за последние 7 дней, 2 — за последние 30");
    expect(recentText({ matched: 50, matched_7d: 3, matched_30d: 21 })).toBe("3 совпадения за последние 7 дней, 21 — за последние 30");
    expect(recentText({ matched: 5000, matched_7d: 12, matched_30d: 1200 })).toBe(
      "12 совпадений за последние 7 дней, 1\u00a0200 — за последние 30",
    );
  });
});

describe("drafts", () => {
  const topic: Topic = {
    id: 4,
    name: "Energy",
    query: "oil OR gas",
    description: null,
    stem: false,
    created_at: "2026-01-01T00:00:00Z",
    mention_count: 2,
    unread: 1,
    query_error: null,
  };

  it("trims the fields and drops an empty description", () => {
    expect(draftToNewTopic({ name: " Energy ", query: " oil ", description: "  ", stem: true })).toEqual({
      name: "Energy",
      query: "oil",
      description: null,
      stem: true,
    });
  });

  it("sees whether an edit changes the topic", () => {
    const d = topicToDraft(topic);
    expect(draftChanges(topic, d)).toBe(false);
    expect(draftChanges(topic, { ...d, query: "oil OR gas " })).toBe(false);
    expect(draftChanges(topic, { ...d, stem: true })).toBe(true);
    expect(draftChanges(topic, { ...d, description: "fuel" })).toBe(true);
    expect(draftChanges(topic, { ...d, name: "Fuel" })).toBe(true);
  });
});
