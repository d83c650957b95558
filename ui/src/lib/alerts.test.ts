import { afterEach, describe, expect, it } from "vitest";
import type { AlertRule } from "./bindings";
import { i18n } from "./i18n.svelte";
import {
  KIND_LABELS,
  WEEKDAYS,
  badgeText,
  baselineText,
  channelLabel,
  channelToRow,
  chartBars,
  checkRuleForm,
  dayInZone,
  defaultRuleName,
  deliveriesSummary,
  deliveryState,
  describeSchedule,
  describeSpike,
  durationMinutes,
  durationText,
  emptyDraft,
  emptyRuleForm,
  firedDays,
  formToDraft,
  instantDraft,
  isEmailAddress,
  isKnownZone,
  previewHeadline,
  ruleToForm,
  rowsToChannels,
  spikeSpecOf,
  worstDelivery,
  zoneSuggestions,
  type RuleForm,
} from "./alerts";

describe("the navigation badge", () => {
  it("shows nothing at zero, the number, then 99+", () => {
    expect(badgeText(0)).toBeNull();
    expect(badgeText(-1)).toBeNull();
    expect(badgeText(Number.NaN)).toBeNull();
    expect(badgeText(1)).toBe("1");
    expect(badgeText(99)).toBe("99");
    expect(badgeText(100)).toBe("99+");
    expect(badgeText(12345)).toBe("99+");
  });
});

describe("channels", () => {
  it("turns the form's rows into the stored channels", () => {
    const r = rowsToChannels([
      { kind: "desktop", target: "ignored" },
      { kind: "inbox", target: "" },
      { kind: "webhook", target: " https://hooks.example.org/mw " },
      { kind: "ntfy", target: "https://ntfy.sh/mw-alerts" },
      { kind: "email", target: "mailto:analyst@example.org" },
    ]);
    expect(r.channels).toEqual([
      "desktop",
      "inbox",
      "webhook:https://hooks.example.org/mw",
      "ntfy:https://ntfy.sh/mw-alerts",
      "email:analyst@example.org",
    ]);
    expect(r.problems).toEqual([null, null, null, null, null]);
    expect(r.missing).toBe(false);
  });

  it("says what is wrong with a row, row by row", () => {
    const r = rowsToChannels([
      { kind: "webhook", target: "" },
      { kind: "webhook", target: "ftp://files.example.org/x" },
      { kind: "ntfy", target: "mw-alerts" },
      { kind: "email", target: "nobody" },
      { kind: "inbox", target: "" },
      { kind: "inbox", target: "" },
    ]);
    expect(r.channels).toEqual(["inbox"]);
    expect(r.problems).toEqual([
      "Enter the URL to post to.",
      "An http:// or https:// URL with a host name.",
      "An http:// or https:// URL with a host name.",
      "That is not an e-mail address.",
      null,
      "This channel is listed twice.",
    ]);
    expect(rowsToChannels([]).missing).toBe(true);
  });

  it("reads e-mail addresses like the backend", () => {
    expect(isEmailAddress("a@b.org")).toBe(true);
    expect(isEmailAddress("a@localhost")).toBe(false);
    expect(isEmailAddress("@b.org")).toBe(false);
    expect(isEmailAddress("a b@c.org")).toBe(false);
  });

  it("reads stored channels back into rows", () => {
    expect(channelToRow("desktop")).toEqual({ kind: "desktop", target: "" });
    expect(channelToRow("webhook:https://x.example/a:b")).toEqual({ kind: "webhook", target: "https://x.example/a:b" });
    expect(channelToRow("email:a@b.org")).toEqual({ kind: "email", target: "a@b.org" });
    expect(channelToRow("pager:42")).toEqual({ kind: "webhook", target: "pager:42" });
  });

  it("labels channels for the lists", () => {
    expect(channelLabel("desktop")).toBe("Desktop");
    expect(channelLabel("inbox")).toBe("Inbox");
    expect(channelLabel("webhook:https://hooks.example.org/services/T/B")).toBe("Webhook hooks.example.org");
    expect(channelLabel("ntfy:https://ntfy.sh/mw-alerts/")).toBe("ntfy ntfy.sh/mw-alerts");
    expect(channelLabel("email:analyst@example.org")).toBe("E-mail analyst@example.org");
  });
});

describe("deliveries", () => {
  it("reads each delivery's status", () => {
    expect(deliveryState({ status: "delivered", attempts: 1 })).toEqual({ tone: "delivered", label: "Delivered" });
    expect(deliveryState({ status: "delivered", attempts: 3 }).label).toBe("Delivered on attempt 3");
    expect(deliveryState({ status: "pending", attempts: 0 }).label).toBe("Pending");
    expect(deliveryState({ status: "pending", attempts: 2 }).label).toBe("Retrying (2 attempts so far)");
    expect(deliveryState({ status: "failed", attempts: 6 })).toEqual({ tone: "failed", label: "Failed after 6 attempts" });
  });

  it("sums an alert's deliveries up, the worst first", () => {
    const d = (status: "pending" | "delivered" | "failed") => ({ status });
    expect(deliveriesSummary([d("delivered"), d("failed"), d("delivered")])).toBe("1 failed · 2 delivered");
    expect(deliveriesSummary([d("pending")])).toBe("1 pending");
    expect(deliveriesSummary([])).toBe("");
    expect(worstDelivery([d("delivered"), d("pending")])).toBe("pending");
    expect(worstDelivery([d("pending"), d("failed")])).toBe("failed");
    expect(worstDelivery([d("delivered")])).toBeNull();
  });
});

describe("durations and schedules", () => {
  it("reads durations as the backend does: a number with m, h or d", () => {
    expect(durationMinutes("6h")).toBe(360);
    expect(durationMinutes(" 90m ")).toBe(90);
    expect(durationMinutes("14D")).toBe(20160);
    for (const bad of ["", "6", "6 h", "6 hours", "1h30m", "0h", "-1d", "1.5h"]) expect(durationMinutes(bad)).toBeNull();
    expect(durationText("6h")).toBe("6 hours");
    expect(durationText("1d")).toBe("1 day");
    expect(durationText("soon")).toBe("soon");
  });

  it("describes digest schedules and spike options", () => {
    expect(describeSchedule({ every: "day", at: "08:00", day: "mon", tz: "Europe/Berlin" })).toBe(
      "Every day at 08:00 (Europe/Berlin)",
    );
    expect(describeSchedule({ every: "week", at: "07:30", day: "fri", tz: "UTC" })).toBe("Every Friday at 07:30 (UTC)");
    expect(describeSchedule({ every: "hour", at: "00:15", day: "mon", tz: "UTC" })).toBe("Every hour at :15 (UTC)");
    expect(describeSpike({ window: "6h", baseline: "14d", min_count: 5, sensitivity: "medium" })).toBe(
      "At least 5 mentions in 6 hours, against the same window over 14 days; medium sensitivity",
    );
  });
});

describe("the rule form", () => {
  const form = (change: Partial<RuleForm> = {}): RuleForm => ({ ...emptyRuleForm("Energy", "Europe/Berlin"), ...change });

  it("starts as an instant rule to the desktop and the inbox", () => {
    const f = form();
    expect(checkRuleForm(f).ok).toBe(true);
    expect(formToDraft(f)).toEqual({
      topic: "Energy",
      kind: "instant",
      channels: ["desktop", "inbox"],
      name: null,
      every: null,
      at: null,
      day: null,
      tz: null,
      window: null,
      baseline: null,
      min_count: null,
      sensitivity: null,
      quiet: "",
      min_interval: "",
      new_stories_only: false,
      paused: false,
      secret: null,
    });
  });

  it("sends a digest's schedule, and the day only for weekly ones", () => {
    const daily = formToDraft(form({ kind: "digest", at: "07:30" }));
    expect([daily.every, daily.at, daily.day, daily.tz]).toEqual(["day", "07:30", null, "Europe/Berlin"]);
    const weekly = formToDraft(form({ kind: "digest", every: "week", day: "fri" }));
    expect([weekly.every, weekly.day]).toEqual(["week", "fri"]);
    expect(checkRuleForm(form({ kind: "digest", at: "7:30", tz: "Mars/Base" })).fields).toEqual({
      at: "A time of day as HH:MM, e.g. 08:00.",
      tz: "An IANA time zone, e.g. Europe/Berlin or UTC.",
    });
  });

  it("checks a spike's window, baseline and minimum count", () => {
    expect(spikeSpecOf(form({ kind: "spike" }))).toEqual({ window: "6h", baseline: "14d", min_count: 5, sensitivity: "medium" });
    const bad = form({ kind: "spike", window: "6 hours", baseline: "1d", minCount: 0 });
    expect(spikeSpecOf(bad)).toBeNull();
    expect(checkRuleForm(bad).fields).toEqual({
      window: "A number with m, h or d, e.g. 6h.",
      minCount: "A whole number, 1 or more.",
    });
    expect(checkRuleForm(form({ kind: "spike", window: "12h", baseline: "20h" })).fields.baseline).toBe(
      "At least twice the window.",
    );
    // Options of the other kinds are not checked.
    expect(checkRuleForm(form({ kind: "instant", window: "x" })).ok).toBe(true);
  });

  it("joins quiet hours and checks both ends", () => {
    expect(formToDraft(form({ quietFrom: "22:00", quietTo: "07:00" })).quiet).toBe("22:00-07:00");
    expect(checkRuleForm(form({ quietFrom: "22:00" })).fields.quiet).toBe("Both ends as HH:MM, e.g. 22:00 to 07:00.");
    expect(checkRuleForm(form({ quietFrom: "22:00", quietTo: "22:00" })).fields.quiet).toBeDefined();
    expect(checkRuleForm(form({ minInterval: "half an hour" })).fields.minInterval).toBeDefined();
  });

  it("sends a webhook secret only when one is typed, or '' to remove it", () => {
    expect(formToDraft(form({ secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" })).secret).toBe(
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    expect(formToDraft(form({ clearSecret: true })).secret).toBe("");
    expect(checkRuleForm(form({ secret: "hunter2" })).fields.secret).toBeDefined();
  });

  it("reports channel rows and a rule without channels", () => {
    const c = checkRuleForm(form({ channels: [{ kind: "email", target: "x" }] }));
    expect(c.ok).toBe(false);
    expect(c.channels).toEqual(["That is not an e-mail address."]);
    const none = checkRuleForm(form({ channels: [] }));
    expect([none.ok, none.noChannel]).toEqual([false, true]);
    expect(checkRuleForm(form({ topic: " " })).fields.topic).toBe("Choose the topic to watch.");
  });

  it("reads a stored rule back into the form", () => {
    const rule: AlertRule = {
      id: 3,
      name: "Energy: weekly",
      topic: "Energy",
      topic_id: 1,
      kind: "digest",
      channels: ["inbox", "email:a@b.org"],
      schedule: { every: "week", at: "09:15", day: "tue", tz: "Asia/Tokyo" },
      quiet: "22:00-07:00",
      min_interval: "2h",
      new_stories_only: true,
      paused: true,
      created_at: "2026-01-01T00:00:00Z",
      last_fired_at: null,
      has_secret: false,
    };
    const f = ruleToForm(rule, "UTC");
    expect(f).toMatchObject({
      kind: "digest",
      every: "week",
      at: "09:15",
      day: "tue",
      tz: "Asia/Tokyo",
      channels: [
        { kind: "inbox", target: "" },
        { kind: "email", target: "a@b.org" },
      ],
      quietFrom: "22:00",
      quietTo: "07:00",
      minInterval: "2h",
      newStoriesOnly: true,
      paused: true,
      secret: "",
    });
    const d = formToDraft(f);
    expect([d.channels, d.quiet, d.min_interval, d.name]).toEqual([["inbox", "email:a@b.org"], "22:00-07:00", "2h", "Energy: weekly"]);
  });

  it("makes the one-click rule of the Topics page", () => {
    expect(instantDraft("Energy")).toMatchObject({ topic: "Energy", kind: "instant", channels: ["desktop", "inbox"], secret: null });
    expect(Object.values(emptyDraft()).every((v) => v === null)).toBe(true);
  });

  it("names a rule the way the backend does", () => {
    expect(defaultRuleName("Energy", "instant", "day")).toBe("Energy: new mentions");
    expect(defaultRuleName("Energy", "digest", "week")).toBe("Energy: weekly digest");
    expect(defaultRuleName("Energy", "spike", "day")).toBe("Energy: spikes");
  });
});

describe("time zones", () => {
  it("knows IANA zones", () => {
    expect(isKnownZone("Europe/Berlin")).toBe(true);
    expect(isKnownZone("UTC")).toBe(true);
    expect(isKnownZone("Mars/Base")).toBe(false);
    expect(isKnownZone("")).toBe(false);
  });

  it("suggests the system's zone first, without repeats", () => {
    const z = zoneSuggestions("Asia/Tokyo", null, "UTC");
    expect(z.slice(0, 2)).toEqual(["Asia/Tokyo", "UTC"]);
    expect(z.filter((x) => x === "UTC")).toHaveLength(1);
    expect(z).toContain("Europe/Berlin");
  });

  it("puts an instant on the calendar of a zone", () => {
    expect(dayInZone("2026-03-01T23:30:00Z", "UTC")).toBe("2026-03-01");
    expect(dayInZone("2026-03-01T23:30:00Z", "Europe/Moscow")).toBe("2026-03-02");
    expect(dayInZone("2026-03-01T03:00:00Z", "America/New_York")).toBe("2026-02-28");
    expect(dayInZone("2026-03-01T23:30:00Z", "Nowhere/Else")).toBe("2026-03-01");
  });
});

describe("the spike preview", () => {
  const daily = [
    { day: "2026-03-01", count: 0 },
    { day: "2026-03-02", count: 2 },
    { day: "2026-03-03", count: 8 },
    { day: "2026-03-04", count: 1 },
  ];

  it("scales the bars to the busiest day", () => {
    const bars = chartBars(daily, new Set(["2026-03-03"]), { width: 106, height: 40, gap: 2 });
    expect(bars.map((b) => b.width)).toEqual([25, 25, 25, 25]);
    expect(bars.map((b) => b.x)).toEqual([0, 27, 54, 81]);
    expect(bars.map((b) => b.height)).toEqual([0, 10, 40, 5]);
    expect(bars.map((b) => b.y)).toEqual([40, 30, 0, 35]);
    expect(bars.map((b) => b.fired)).toEqual([false, false, true, false]);
  });

  it("gives a day with any mention a visible bar, and nothing to draw without days", () => {
    const bars = chartBars([{ day: "a", count: 1 }, { day: "b", count: 1000 }], new Set(), { width: 10, height: 100, gap: 0 });
    expect(bars[0].height).toBe(1);
    expect(chartBars([], new Set(), { width: 10, height: 10 })).toEqual([]);
  });

  it("marks the days it would have fired on, on the rule's clock", () => {
    const days = firedDays([{ at: "2026-03-02T22:00:00Z" }, { at: "2026-03-03T01:00:00Z" }], "Europe/Moscow");
    expect([...days]).toEqual(["2026-03-03"]);
  });

  it("sums the preview up", () => {
    expect(previewHeadline(0, 30)).toBe("It would not have fired in the last 30 days.");
    expect(previewHeadline(1, 30)).toBe("It would have fired once in the last 30 days.");
    expect(previewHeadline(2, 30)).toBe("It would have fired twice in the last 30 days.");
    expect(previewHeadline(4, 30)).toBe("It would have fired 4 times in the last 30 days.");
  });
});

describe("in Russian", () => {
  afterEach(() => i18n.set("system"));

  it("counts attempts and deliveries with the language's plural forms", () => {
    i18n.set("ru");
    expect(deliveryState({ status: "failed", attempts: 1 }).label).toBe("Не доставлено после 1 попытки");
    expect(deliveryState({ status: "failed", attempts: 5 }).label).toBe("Не доставлено после 5 попыток");
    expect(deliveryState({ status: "pending", attempts: 2 }).label).toBe("Повтор (пока 2 попытки)");
    expect(deliveryState({ status: "pending", attempts: 21 }).label).toBe("Повтор (пока 21 попытка)");
    const d = (status: "pending" | "delivered" | "failed") => ({ status });
    expect(deliveriesSummary([d("failed"), d("delivered"), d("delivered")])).toBe("1 не доставлена · 2 доставлены");
  });

  it("writes durations, schedules and spike options", () => {
    i18n.set("ru");
    expect(durationText("1m")).toBe("1 минуту");
    expect(durationText("6h")).toBe("6 часов");
    expect(durationText("2d")).toBe("2 дня");
    expect(durationText("14d")).toBe("14 дней");
    expect(describeSchedule({ every: "week", at: "07:30", day: "fri", tz: "UTC" })).toBe("Каждую пятницу в 07:30 (UTC)");
    expect(describeSchedule({ every: "day", at: "08:00", day: "mon", tz: "Europe/Berlin" })).toBe(
      "Каждый день в 08:00 (Europe/Berlin)",
    );
    expect(describeSpike({ window: "6h", baseline: "14d", min_count: 5, sensitivity: "medium" })).toBe(
      "Не менее 5 упоминаний за 6 часов по сравнению с тем же окном за 14 дней; средняя чувствительность",
    );
    expect(describeSpike({ window: "1d", baseline: "7d", min_count: 1, sensitivity: "low" })).toMatch(/^Не менее 1 упоминания за 1 день/);
    expect(baselineText(2.5)).toBe("2,5");
  });

  it("sums the preview up: never, once, twice, N times", () => {
    i18n.set("ru");
    expect(previewHeadline(0, 30)).toBe("Не сработало бы ни разу за последние 30 дней.");
    expect(previewHeadline(1, 21)).toBe("Сработало бы один раз за последний 21 день.");
    expect(previewHeadline(2, 30)).toBe("Сработало бы дважды за последние 30 дней.");
    expect(previewHeadline(3, 30)).toBe("Сработало бы 3 раза за последние 30 дней.");
    expect(previewHeadline(5, 2)).toBe("Сработало бы 5 раз за последние 2 дня.");
    expect(previewHeadline(1234, 30)).toBe("Сработало бы 1\u00a0234 раза за последние 30 дней.");
  });

  it("labels channels, kinds and days, and follows a switch back to English", () => {
    i18n.set("ru");
    expect(channelLabel("inbox")).toBe("Входящие");
    expect(channelLabel("ntfy:https://ntfy.sh/mw-alerts/")).toBe("ntfy ntfy.sh/mw-alerts");
    expect(KIND_LABELS.digest).toBe("Сводка");
    expect(WEEKDAYS[2].label).toBe("Среда");
    expect(rowsToChannels([{ kind: "email", target: "nobody" }]).problems).toEqual(["Это не адрес электронной почты."]);
    i18n.set("en");
    expect(KIND_LABELS.digest).toBe("Digest");
    expect(WEEKDAYS[2].label).toBe("Wednesday");
    expect(previewHeadline(1234, 30)).toBe("It would have fired 1,234 times in the last 30 days.");
  });
});
