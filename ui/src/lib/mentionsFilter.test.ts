import { afterEach, describe, expect, it } from "vitest";
import { i18n } from "./i18n.svelte";
import { filterChips, groupName, languageName, mentionsHref, parseFilter } from "./mentionsFilter";
import { parseHash } from "./route";

describe("the Mentions filter in the URL", () => {
  it("comes back from its own link", () => {
    const f = { since: "2026-03-01T00:00:00.000Z", until: "2026-03-02T00:00:00.000Z", source: 7, lang: "ru", unread: true };
    const route = parseHash(mentionsHref("Belt & Road", f));
    expect(route.page).toBe("mentions");
    expect(route.params.topic).toBe("Belt & Road");
    expect(parseFilter(route.params)).toEqual(f);
  });

  it("keeps the stars, the group and the order", () => {
    const f = { source: 7, starred: true, group: "Wires & agencies", order: "relevance" as const };
    const hash = mentionsHref("SCO", f);
    expect(hash).toContain("starred=1");
    expect(hash).toContain("sort=relevance");
    expect(parseFilter(parseHash(hash).params)).toEqual(f);
    // "" is the sources without a group, not "no filter".
    expect(parseFilter(parseHash(mentionsHref(null, { group: "" })).params)).toEqual({ group: "" });
    // Newest first is the default and is not written.
    expect(mentionsHref(null, { order: undefined })).toBe("#/mentions");
    expect(parseFilter({ starred: "yes", sort: "best", group: "x".repeat(201) })).toEqual({});
  });

  it("leaves out what does not parse", () => {
    expect(parseFilter({ since: "yesterday-ish", source: "-3", lang: "<script>", unread: "yes" })).toEqual({});
    expect(parseFilter({ lang: "" })).toEqual({ lang: "" });
    expect(mentionsHref(null, {})).toBe("#/mentions");
  });

  it("shows each part as a chip that removes only itself", () => {
    const f = { since: "2026-03-01T00:00:00.000Z", source: 7, lang: "" };
    const chips = filterChips(f, (id) => (id === 7 ? "TASS" : undefined));
    expect(chips.map((c) => c.key)).toEqual(["period", "source", "lang"]);
    expect(chips[0].label.endsWith("– now")).toBe(true);
    expect(chips[1].label).toBe("Source: TASS");
    expect(chips[2].label).toBe("Language: Unknown");
    expect(chips[1].without).toEqual({ since: f.since, lang: "" });
    expect(filterChips({ source: 9 }, () => undefined)[0].label).toBe("Source: #9");
    expect(filterChips({ lang: "ru", unread: true }, () => undefined).map((c) => c.label)).toEqual([
      "Language: Russian (ru)",
      "Unread only",
    ]);
  });

  it("shows the group and the stars as chips, and never the order", () => {
    const f = { group: "Wires", starred: true, unread: true, order: "relevance" as const };
    const chips = filterChips(f, () => undefined);
    expect(chips.map((c) => c.label)).toEqual(["Group: Wires", "Unread only", "Starred"]);
    // Removing a chip keeps the order.
    expect(chips[0].without).toEqual({ starred: true, unread: true, order: "relevance" });
    expect(chips[2].without).toEqual({ group: "Wires", unread: true, order: "relevance" });
    expect(filterChips({ group: "" }, () => undefined)[0].label).toBe("Group: No group");
    expect(filterChips({ order: "relevance" }, () => undefined)).toEqual([]);
    expect([groupName("Wires"), groupName(null), groupName("")]).toEqual(["Wires", "No group", "No group"]);
  });

  it("names a language in the interface's language", () => {
    expect(languageName("zh")).toBe("Chinese (zh)");
    expect(languageName("")).toBe("Unknown");
  });
});

describe("the Mentions filter in Russian", () => {
  afterEach(() => i18n.set("system"));

  it("labels its chips in Russian, the language names too", () => {
    i18n.set("ru");
    const chips = filterChips({ until: "2026-03-02T00:00:00.000Z", source: 7, lang: "ru", unread: true }, () => "ТАСС");
    expect(chips[0].label.startsWith("… – ")).toBe(true);
    expect(filterChips({ since: "2026-03-01T00:00:00.000Z" }, () => undefined)[0].label.endsWith("– сейчас")).toBe(true);
    expect(chips.slice(1).map((c) => c.label)).toEqual(["Источник: ТАСС", "Язык: русский (ru)", "Только непрочитанные"]);
    expect(languageName("en")).toBe("английский (en)");
    expect(languageName("")).toBe("неизвестен");
    expect(filterChips({ group: "", starred: true }, () => undefined).map((c) => c.label)).toEqual([
      "Группа: Без группы",
      "Избранное",
    ]);
  });
});
