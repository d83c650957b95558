import { afterEach, describe, expect, it } from "vitest";
import type { ReportScope } from "./bindings";
import { i18n, t } from "./i18n.svelte";
import {
  countSentence,
  dayToIso,
  defaultFileName,
  describePeriod,
  describeReportSchedule,
  describeScope,
  describeWritten,
  dialogFilters,
  emptyScopeForm,
  fileName,
  FORMAT_LABELS,
  FORMATS,
  formatBytes,
  formatSeconds,
  formToSchedule,
  formToScope,
  hashQuery,
  isoToDay,
  lastRunOutcome,
  reportsHref,
  scheduleToForm,
  scopeFromQuery,
  scopeToForm,
  scopeToQuery,
  slug,
  splitLangs,
  localZone,
  PERIODS,
  SCHEDULE_DAYS,
} from "./reports";

const scope = (over: Partial<ReportScope> = {}): ReportScope => ({
  topics: [],
  since: null,
  until: null,
  last: null,
  sources: [],
  group: null,
  langs: [],
  query: null,
  starred: false,
  limit: null,
  ...over,
});

/** Local midnight of a day, as the scope carries it. */
const midnight = (y: number, m: number, d: number) => new Date(y, m - 1, d).toISOString();

describe("countSentence", () => {
  it("uses thousands separators and names articles apart from stories", () => {
    expect(countSentence({ mentions: 1284, articles: 980, stories: 312, sources: 41 })).toBe(
      "1,284 mentions in 312 stories (980 articles) from 41 sources",
    );
  });

  it("is singular for one", () => {
    expect(countSentence({ mentions: 1, articles: 1, stories: 1, sources: 1 })).toBe("1 mention in 1 story from 1 source");
    expect(countSentence({ mentions: 2, articles: 2, stories: 1, sources: 2 })).toBe(
      "2 mentions in 1 story (2 articles) from 2 sources",
    );
  });

  it("says when the scope is empty", () => {
    expect(countSentence({ mentions: 0, articles: 0, stories: 0, sources: 0 })).toBe("No mentions in this scope");
  });
});

describe("slug and defaultFileName", () => {
  const day = new Date(2026, 11, 7, 15, 30);

  it("is ASCII-safe", () => {
    expect(slug("BRICS summit: Kazan, 2026!")).toBe("brics-summit-kazan-2026");
    expect(slug("Sécurité énergétique")).toBe("securite-energetique");
    expect(slug("Банк России")).toBe("bank-rossii");
    expect(slug("中国 外交")).toBe("");
    expect(slug("a".repeat(30) + " " + "b".repeat(30), 48)).toBe("a".repeat(30));
  });

  it("takes the title, else the topics, else nothing", () => {
    expect(defaultFileName({ title: "BRICS", topics: ["Other"], format: "pdf" }, day)).toBe("mediawatch-brics-2026-12-07.pdf");
    expect(defaultFileName({ title: "  ", topics: ["SCO summitry", "Port"], format: "xlsx" }, day)).toBe(
      "mediawatch-sco-summitry-port-2026-12-07.xlsx",
    );
    expect(defaultFileName({ title: null, topics: [], format: "csv" }, day)).toBe("mediawatch-2026-12-07.csv");
    expect(defaultFileName({ title: "中国", topics: [], format: "ndjson" }, day)).toBe("mediawatch-2026-12-07.ndjson");
    expect(defaultFileName({ title: "Mediawatch report", topics: [], format: "html" }, day)).toBe(
      "mediawatch-report-2026-12-07.html",
    );
  });
});

describe("formats", () => {
  it("has a label and a dialog filter for each", () => {
    for (const f of FORMATS) {
      expect(FORMAT_LABELS[f]).toBeTruthy();
      const [filter] = dialogFilters(f);
      expect(filter.extensions).toEqual([f]);
      expect(filter.name.length).toBeGreaterThan(2);
    }
  });
});

describe("days and instants", () => {
  it("reads a day as local midnight, and an end day as the next midnight", () => {
    expect(dayToIso("2026-12-01")).toBe(midnight(2026, 12, 1));
    expect(dayToIso("2026-12-31", 1)).toBe(midnight(2027, 1, 1));
    expect(dayToIso("1 Dec")).toBeNull();
  });

  it("turns instants back into days", () => {
    expect(isoToDay(midnight(2026, 12, 1))).toBe("2026-12-01");
    expect(isoToDay(midnight(2026, 12, 8), true)).toBe("2026-12-07");
    expect(isoToDay("nonsense")).toBe("");
  });
});

describe("the scope form", () => {
  it("starts on the last 7 days with nothing else", () => {
    const { scope: s, problem } = formToScope(emptyScopeForm());
    expect(problem).toBeNull();
    expect(s).toEqual(scope({ last: "7d" }));
  });

  it("builds every filter", () => {
    const form = {
      ...emptyScopeForm(),
      topics: ["BRICS"],
      period: "custom" as const,
      since: "2026-12-01",
      until: "2026-12-07",
      sourceMode: "pick" as const,
      sources: [3, 5],
      langs: ["en", "ru"],
      otherLangs: "de, pt-br ru",
      query: "  summit  ",
      starred: true,
      limit: "100",
    };
    const { scope: s, problem } = formToScope(form);
    expect(problem).toBeNull();
    expect(s).toEqual(
      scope({
        topics: ["BRICS"],
        since: midnight(2026, 12, 1),
        until: midnight(2026, 12, 8),
        sources: [3, 5],
        langs: ["en", "ru", "de", "pt-br"],
        query: "summit",
        starred: true,
        limit: 100,
      }),
    );
  });

  it("says what is wrong", () => {
    const bad = (over: Partial<ReturnType<typeof emptyScopeForm>>) => formToScope({ ...emptyScopeForm(), ...over }).problem;
    expect(bad({ period: "custom", since: "2026-12-08", until: "2026-12-01" })).toMatch(/start before/);
    expect(bad({ limit: "0" })).toMatch(/whole number/);
    expect(bad({ limit: "2.5" })).toMatch(/whole number/);
    expect(bad({ otherLangs: "english!" })).toMatch(/language code/);
    expect(bad({ sourceMode: "group" })).toMatch(/group/);
    expect(bad({ sourceMode: "pick" })).toMatch(/source/);
    expect(bad({ period: "custom", since: "", until: "" })).toBeNull();
  });

  it("round-trips through scopeToForm", () => {
    const s = scope({
      topics: ["A", "B"],
      since: midnight(2026, 3, 1),
      until: midnight(2026, 3, 31),
      group: "Agencies",
      langs: ["zh", "fr"],
      query: "x OR y",
      starred: true,
      limit: 20,
    });
    const form = scopeToForm(s);
    expect(form.period).toBe("custom");
    expect(form.since).toBe("2026-03-01");
    expect(form.until).toBe("2026-03-30");
    expect(form.sourceMode).toBe("group");
    expect(form.langs).toEqual(["zh"]);
    expect(form.otherLangs).toBe("fr");
    expect(formToScope(form).scope).toEqual({ ...s, langs: ["zh", "fr"] });
    expect(scopeToForm(scope({ last: "24h" })).period).toBe("24h");
    expect(scopeToForm(scope()).period).toBe("all");
    expect(scopeToForm(scope({ sources: [4] })).sourceMode).toBe("pick");
  });

  it("splits typed languages", () => {
    expect(splitLangs(" DE, fr;fr  pt ")).toEqual(["de", "fr", "pt"]);
    expect(splitLangs("")).toEqual([]);
  });
});

describe("the scope in the URL", () => {
  it("round-trips", () => {
    const s = scope({
      topics: ["SCO summitry", "Port & sea"],
      last: "7d",
      langs: ["en", "ru"],
      query: '"central bank" NEAR/3 rates',
      starred: true,
    });
    const q = scopeToQuery(s);
    expect(q).toContain("topic=SCO+summitry");
    expect(q).toContain("last=7d");
    expect(scopeFromQuery(q)).toEqual(s);
  });

  it("writes a custom period as days, the end included", () => {
    const s = scope({ since: midnight(2026, 12, 1), until: midnight(2026, 12, 8) });
    expect(scopeToQuery(s)).toBe("since=2026-12-01&until=2026-12-07");
    expect(scopeFromQuery("since=2026-12-01&until=2026-12-07")).toEqual(s);
  });

  it("takes ISO instants too, and drops what does not parse", () => {
    expect(scopeFromQuery("since=2026-12-01T10:00:00Z")?.since).toBe("2026-12-01T10:00:00.000Z");
    const s = scopeFromQuery("topic=&last=soon&since=never&limit=-3&source=x&source=4&lang=EN,zh");
    expect(s).toEqual(scope({ sources: [4], langs: ["en", "zh"] }));
    expect(scopeFromQuery("last=24h&since=2026-01-01")).toEqual(scope({ last: "24h" }));
  });

  it("is null when the query names no scope", () => {
    expect(scopeFromQuery("")).toBeNull();
    expect(scopeFromQuery("tab=rules")).toBeNull();
  });

  it("makes the link and reads it back from the hash", () => {
    expect(reportsHref({ topics: ["BRICS"] })).toBe("#/reports?topic=BRICS");
    expect(reportsHref({})).toBe("#/reports");
    const h = reportsHref({ topics: ["A", "B"], last: "30d" });
    expect(scopeFromQuery(hashQuery(h))?.topics).toEqual(["A", "B"]);
    expect(hashQuery("#/reports")).toBe("");
  });
});

describe("words", () => {
  it("describes periods", () => {
    expect(describePeriod({ last: "7d", since: null, until: null })).toBe("last 7 days");
    expect(describePeriod({ last: "24h", since: null, until: null })).toBe("last 24 hours");
    expect(describePeriod({ last: "1d", since: null, until: null })).toBe("last day");
    expect(describePeriod({ last: null, since: null, until: null })).toBe("all time");
    expect(describePeriod({ last: null, since: midnight(2026, 12, 1), until: midnight(2026, 12, 8) })).toBe(
      "2026-12-01 – 2026-12-07",
    );
    expect(describePeriod({ last: null, since: midnight(2026, 12, 1), until: null })).toBe("from 2026-12-01");
  });

  it("describes a scope in one line", () => {
    expect(describeScope(scope({ last: "7d" }))).toBe("All topics · last 7 days");
    expect(
      describeScope(scope({ topics: ["BRICS"], sources: [2], langs: ["en"], starred: true, query: "Kazan", limit: 50 }), (id) =>
        id === 2 ? "Reuters" : "?",
      ),
    ).toBe("BRICS · all time · Reuters · en · starred only · query: Kazan · newest 50");
    expect(describeScope(scope({ group: "Agencies" }))).toBe("All topics · all time · group Agencies");
  });

  it("formats sizes and durations", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(48 * 1024)).toBe("48 KB");
    expect(formatBytes(1.5 * 1024)).toBe("1.5 KB");
    expect(formatBytes(2.4 * 1024 * 1024)).toBe("2.4 MB");
    expect(formatSeconds(0.01)).toBe("0.1 s");
    expect(formatSeconds(0.42)).toBe("0.4 s");
    expect(formatSeconds(12.4)).toBe("12 s");
    expect(formatSeconds(125)).toBe("2 min 5 s");
    expect(describeWritten({ articles: 1, bytes: 20480, seconds: 0.31 })).toBe("1 article, 20 KB, 0.3 s");
    expect(describeWritten({ articles: 1200, bytes: 100, seconds: null })).toBe("1,200 articles, 100 B");
    expect(fileName("/tmp/x/report.pdf")).toBe("report.pdf");
    expect(fileName("C:\\Users\\a\\report.xlsx")).toBe("report.xlsx");
  });

  it("describes schedules and last runs", () => {
    expect(
      describeReportSchedule({ every: "week", at: "08:00", day: "mon", tz: "UTC", to_dir: "/srv/reports", email: null }),
    ).toBe("Every Monday at 08:00 (UTC), into /srv/reports");
    expect(
      describeReportSchedule({ every: "day", at: "07:30", day: "mon", tz: "Europe/Berlin", to_dir: null, email: "desk@example.org" }),
    ).toBe("Every day at 07:30 (Europe/Berlin), e-mailed to desk@example.org");
    expect(lastRunOutcome({ last_run_at: null, last_path: null, last_error: null })).toBeNull();
    expect(lastRunOutcome({ last_run_at: "2026-01-01T00:00:00Z", last_path: "/a/b.pdf", last_error: null })).toEqual({
      tone: "ok",
      text: "Wrote /a/b.pdf",
    });
    expect(lastRunOutcome({ last_run_at: "x", last_path: "email:desk@example.org", last_error: null })?.text).toBe(
      "E-mailed to desk@example.org",
    );
    expect(lastRunOutcome({ last_run_at: "x", last_path: null, last_error: "disk full" })).toEqual({
      tone: "failed",
      text: "Failed: disk full",
    });
  });
});

describe("the schedule form", () => {
  it("starts daily at 08:00 into a folder", () => {
    expect(scheduleToForm(null, "Europe/Berlin")).toEqual({
      every: "day",
      at: "08:00",
      day: "mon",
      tz: "Europe/Berlin",
      target: "folder",
      folder: "",
      email: "",
    });
  });

  it("round-trips a schedule", () => {
    const s = { every: "week" as const, at: "09:15", day: "fri", tz: "UTC", to_dir: null, email: "a@b.org" };
    expect(formToSchedule(scheduleToForm(s, "UTC"))).toEqual({ schedule: s });
  });

  it("checks the time and the destination", () => {
    const f = scheduleToForm(null, "UTC");
    expect(formToSchedule({ ...f, at: "8am" })).toEqual({ problem: expect.stringMatching(/HH:MM/) });
    expect(formToSchedule(f)).toEqual({ problem: expect.stringMatching(/folder/) });
    expect(formToSchedule({ ...f, target: "email", email: "nobody" })).toEqual({ problem: expect.stringMatching(/e-mail/) });
    expect(formToSchedule({ ...f, folder: " /srv/r " })).toEqual({
      schedule: { every: "day", at: "08:00", day: "mon", tz: "UTC", to_dir: "/srv/r", email: null },
    });
  });
});

describe("localZone", () => {
  it("passes on the zone the webview reports, and falls back to UTC where it reports none", () => {
    expect(localZone("Europe/Moscow")).toBe("Europe/Moscow");
    expect(localZone("")).toBe("UTC");
    expect(localZone("  ")).toBe("UTC");
  });

  it("reads the webview's own zone as an IANA name the backend parses", () => {
    // Never an offset or an abbreviation ("MSK", "+03:00") that the backend's zone parser refuses.
    expect(localZone()).toMatch(/^(UTC|[A-Z][A-Za-z_-]+(\/[A-Za-z0-9_+-]+)+|Etc\/[A-Za-z0-9+-]+)$/);
  });
});

describe("in Russian", () => {
  afterEach(() => i18n.set("system"));

  it("counts the scope with the cases and plural forms of Russian", () => {
    i18n.set("ru");
    expect(countSentence({ mentions: 1284, articles: 980, stories: 312, sources: 41 })).toBe(
      "1\u00a0284 упоминания в 312 сюжетах (980 статей) из 41 источника",
    );
    expect(countSentence({ mentions: 1, articles: 1, stories: 1, sources: 1 })).toBe("1 упоминание в 1 сюжете из 1 источника");
    expect(countSentence({ mentions: 5, articles: 3, stories: 2, sources: 5 })).toBe(
      "5 упоминаний в 2 сюжетах (3 статьи) из 5 источников",
    );
    expect(countSentence({ mentions: 0, articles: 0, stories: 0, sources: 0 })).toBe("В этой выборке нет упоминаний");
  });

  it("describes periods and scopes", () => {
    i18n.set("ru");
    expect(describePeriod({ last: "7d", since: null, until: null })).toBe("последние 7 дней");
    expect(describePeriod({ last: "24h", since: null, until: null })).toBe("последние 24 часа");
    expect(describePeriod({ last: "21d", since: null, until: null })).toBe("последний 21 день");
    expect(describePeriod({ last: "1d", since: null, until: null })).toBe("последние сутки");
    expect(describePeriod({ last: null, since: null, until: null })).toBe("за всё время");
    expect(describePeriod({ last: null, since: midnight(2026, 12, 1), until: null })).toBe("с 2026-12-01");
    expect(describeScope(scope({ topics: ["BRICS"], starred: true, query: "Kazan", limit: 1000 }))).toBe(
      "BRICS · за всё время · только избранное · запрос: Kazan · 1\u00a0000 новейших статей",
    );
    expect(describeScope(scope({ last: "7d", sources: [1, 2, 3, 4], limit: 1 }))).toBe(
      "Все темы · последние 7 дней · 4 источника · 1 новейшая статья",
    );
    expect(describeScope(scope({ sources: [9] }))).toBe("Все темы · за всё время · источник 9");
  });

  it("writes sizes, durations and what was written for the locale", () => {
    i18n.set("ru");
    expect(formatBytes(1.5 * 1024)).toBe("1,5 КБ");
    expect(formatSeconds(125)).toBe("2 мин 5 с");
    expect(describeWritten({ articles: 1, bytes: 20480, seconds: 0.31 })).toBe("1 статья, 20 КБ, 0,3 с");
    expect(describeWritten({ articles: 22, bytes: 100, seconds: null })).toBe("22 статьи, 100 Б");
    expect(describeWritten({ articles: 1200, bytes: 100, seconds: null })).toBe("1\u00a0200 статей, 100 Б");
  });

  it("words the problems and the last run", () => {
    i18n.set("ru");
    expect(formToScope({ ...emptyScopeForm(), sourceMode: "pick" }).problem).toBe("Выберите хотя бы один источник.");
    expect(formToScope({ ...emptyScopeForm(), otherLangs: "english!" }).problem).toBe("«english!» — не код языка вроде de или pt-br.");
    expect(formToSchedule({ ...scheduleToForm(null, "UTC"), at: "8am" })).toEqual({ problem: expect.stringMatching(/ЧЧ:ММ/) });
    expect(lastRunOutcome({ last_run_at: "x", last_path: null, last_error: "disk full" })?.text).toBe("Ошибка: disk full");
    expect(dialogFilters("pdf")[0].name).toBe("Документ PDF");
    expect(dialogFilters("json")[0].name).toBe("JSON");
  });

  it("names the periods and weekdays where they are shown", () => {
    expect(PERIODS.map((p) => t(p.label))).toEqual(["Last 24 h", "7 days", "30 days", "Custom", "All time"]);
    expect(t(SCHEDULE_DAYS[0].label)).toBe("Monday");
    i18n.set("ru");
    expect(PERIODS.map((p) => t(p.label))).toEqual(["Последние 24 ч", "7 дней", "30 дней", "Свой период", "Всё время"]);
    expect(SCHEDULE_DAYS.map((d) => d.value)).toEqual(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
    expect(t(SCHEDULE_DAYS[6].label)).toBe("Воскресенье");
  });
});
