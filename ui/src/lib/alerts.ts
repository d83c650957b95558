import type {
  AlertDelivery,
  AlertKind,
  AlertRule,
  AlertRuleDraft,
  DailyCount,
  DeliveryStatus,
  DigestEvery,
  DigestSchedule,
  SpikeFiring,
  SpikeSensitivity,
  SpikeSpec,
} from "./bindings";
import type { Key } from "../i18n/catalogues";
import { i18n, t } from "./i18n.svelte";
import { hostOf } from "./text";

/**
 * A table of catalogue keys read as text: each lookup translates (so reading it in markup or a `$derived`
 * follows a language switch), and the table keeps the shape of a table of labels.
 */
function translated<K extends string>(keys: Record<K, Key>): Readonly<Record<K, string>> {
  const out = {} as Record<K, string>;
  for (const k of Object.keys(keys) as K[]) Object.defineProperty(out, k, { get: () => t(keys[k]), enumerable: true });
  return out;
}

// ---------- The navigation's badge ----------

/** The unread badge: nothing at 0, the number up to 99, then "99+". */
export function badgeText(unread: number): string | null {
  if (!Number.isFinite(unread) || unread <= 0) return null;
  return unread > 99 ? "99+" : String(Math.trunc(unread));
}

// ---------- Kinds ----------

export const KINDS: readonly AlertKind[] = ["instant", "digest", "spike"];

/** Each kind's name, in the interface's language when read. */
export const KIND_LABELS: Readonly<Record<AlertKind, string>> = translated({
  instant: "alerts.kinds.instant",
  digest: "alerts.kinds.digest",
  spike: "alerts.kinds.spike",
});

/** One sentence a kind, shown beside its choice in the rule form. */
export const KIND_HELP: Readonly<Record<AlertKind, string>> = translated({
  instant: "alerts.kindHelp.instant",
  digest: "alerts.kindHelp.digest",
  spike: "alerts.kindHelp.spike",
});

// ---------- Channels ----------

export type ChannelKind = "desktop" | "inbox" | "webhook" | "ntfy" | "email";

/** One row of the form's channel list: a kind and, for webhook, ntfy and e-mail, where to. */
export interface ChannelRow {
  kind: ChannelKind;
  target: string;
}

/** The form's channel kinds: the label (translated when read) and an example target (data, not translated). */
export const CHANNEL_KINDS: readonly { readonly kind: ChannelKind; readonly label: string; readonly placeholder: string }[] = (
  [
    ["desktop", ""],
    ["inbox", ""],
    ["webhook", "https://hooks.example.org/mediawatch"],
    ["ntfy", "https://ntfy.sh/your-topic"],
    ["email", "analyst@example.org"],
  ] as const
).map(([kind, placeholder]) => ({
  kind,
  placeholder,
  get label() {
    return t(`alerts.channels.kinds.${kind}`);
  },
}));

/** Whether a channel kind needs a target (a URL or an address). */
export function needsTarget(kind: ChannelKind): boolean {
  return kind === "webhook" || kind === "ntfy" || kind === "email";
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Like the backend: something@domain.tld, no spaces. */
export function isEmailAddress(text: string): boolean {
  if (/\s/.test(text)) return false;
  const at = text.indexOf("@");
  return at > 0 && text.slice(at + 1).includes(".") && !text.slice(at + 1).includes("@");
}

/** A row as the backend stores it (`webhook:URL`, `email:ADDRESS`), or why it cannot be one. */
export function rowToChannel(row: ChannelRow): { channel: string } | { problem: string } {
  const target = row.target.trim();
  switch (row.kind) {
    case "desktop":
    case "inbox":
      return { channel: row.kind };
    case "webhook":
    case "ntfy":
      if (target === "") return { problem: t("alerts.channels.problems.noUrl") };
      if (!isHttpUrl(target)) return { problem: t("alerts.channels.problems.badUrl") };
      return { channel: `${row.kind}:${target}` };
    case "email": {
      const address = target.replace(/^mailto:/i, "");
      if (address === "") return { problem: t("alerts.channels.problems.noAddress") };
      if (!isEmailAddress(address)) return { problem: t("alerts.channels.problems.badAddress") };
      return { channel: `email:${address}` };
    }
  }
}

/**
 * The form's rows as the rule's channels, and a problem for each row that cannot be one (null where fine):
 * an empty target, a URL that is not http(s), a channel listed twice. No rows at all is a problem too.
 */
export function rowsToChannels(rows: readonly ChannelRow[]): {
  channels: string[];
  problems: (string | null)[];
  missing: boolean;
} {
  const channels: string[] = [];
  const problems = rows.map((row) => {
    const r = rowToChannel(row);
    if ("problem" in r) return r.problem;
    if (channels.includes(r.channel)) return t("alerts.channels.problems.twice");
    channels.push(r.channel);
    return null;
  });
  return { channels, problems, missing: rows.length === 0 };
}

/** A stored channel back as a row of the form (an unknown kind becomes a webhook row to fix). */
export function channelToRow(channel: string): ChannelRow {
  const i = channel.indexOf(":");
  const scheme = (i < 0 ? channel : channel.slice(0, i)).toLowerCase();
  const rest = i < 0 ? "" : channel.slice(i + 1);
  switch (scheme) {
    case "desktop":
    case "inbox":
      return { kind: scheme, target: "" };
    case "ntfy":
    case "webhook":
      return { kind: scheme, target: rest };
    case "email":
    case "mailto":
      return { kind: "email", target: rest };
    default:
      return { kind: "webhook", target: channel };
  }
}

/** "ntfy.sh/mw-alerts" of "https://ntfy.sh/mw-alerts/"; the input when it does not parse. */
function hostAndPath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname.replace(/\/+$/, "")}` || url;
  } catch {
    return url;
  }
}

/** How a channel reads in lists: "Desktop", "Inbox", "Webhook hooks.example.org", "E-mail a@b.org". */
export function channelLabel(channel: string): string {
  const row = channelToRow(channel);
  switch (row.kind) {
    case "desktop":
      return t("alerts.channels.label.desktop");
    case "inbox":
      return t("alerts.channels.label.inbox");
    case "webhook":
      return t("alerts.channels.label.webhook", { target: hostOf(row.target) });
    case "ntfy":
      // The service's name, the same in every language.
      return `ntfy ${hostAndPath(row.target)}`;
    case "email":
      return t("alerts.channels.label.email", { target: row.target });
  }
}

// ---------- Deliveries ----------

export interface DeliveryState {
  tone: DeliveryStatus;
  label: string;
}

/** A delivery's status as the inbox shows it: "Delivered", "Retrying (2 attempts so far)", "Failed after 6 attempts". */
export function deliveryState(d: Pick<AlertDelivery, "status" | "attempts">): DeliveryState {
  switch (d.status) {
    case "delivered":
      return {
        tone: "delivered",
        label: d.attempts > 1 ? t("alerts.deliveries.deliveredOnAttempt", { n: d.attempts }) : t("alerts.deliveries.delivered"),
      };
    case "failed":
      return { tone: "failed", label: t("alerts.deliveries.failedAfter", { n: d.attempts }) };
    case "pending":
      return {
        tone: "pending",
        label: d.attempts === 0 ? t("alerts.deliveries.pending") : t("alerts.deliveries.retrying", { n: d.attempts }),
      };
  }
}

const STATUS_ORDER: readonly DeliveryStatus[] = ["failed", "pending", "delivered"];

/** An alert's deliveries in one line, the worst first: "1 failed · 2 delivered"; "" when there are none. */
export function deliveriesSummary(deliveries: readonly Pick<AlertDelivery, "status">[]): string {
  return STATUS_ORDER.map((status) => ({ status, n: deliveries.filter((d) => d.status === status).length }))
    .filter((s) => s.n > 0)
    .map((s) => t(`alerts.deliveries.summary.${s.status}`, { n: s.n }))
    .join(" · ");
}

/** The worst status among an alert's deliveries (failed, then pending), or null when every one went out. */
export function worstDelivery(deliveries: readonly Pick<AlertDelivery, "status">[]): DeliveryStatus | null {
  if (deliveries.some((d) => d.status === "failed")) return "failed";
  if (deliveries.some((d) => d.status === "pending")) return "pending";
  return null;
}

// ---------- Durations, times, schedules ----------

const DURATION = /^(\d+)([mhd])$/i;
const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440 };

/** "6h" → 360 minutes; null for anything that is not a number with m, h or d. */
export function durationMinutes(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n * UNIT_MINUTES[m[2].toLowerCase()] : null;
}

/** "6h" → "6 hours", "1d" → "1 day", "90m" → "90 minutes"; what does not parse stays as it is. */
export function durationText(text: string): string {
  const m = DURATION.exec(text.trim());
  if (!m) return text;
  const unit = m[2].toLowerCase() as "m" | "h" | "d";
  return t(`alerts.durations.${unit}`, { n: Number(m[1]) });
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isClockTime(text: string): boolean {
  return HHMM.test(text.trim());
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
type Day = (typeof DAYS)[number];

function isDay(day: string): day is Day {
  return (DAYS as readonly string[]).includes(day);
}

/** The days of the week, Monday first: the value the backend stores and the name (translated when read). */
export const WEEKDAYS: readonly { readonly value: string; readonly label: string }[] = DAYS.map((value) => ({
  value,
  get label() {
    return t(`alerts.weekdays.${value}`);
  },
}));

/** "Every day at 08:00 (Europe/Berlin)", "Every Monday at 08:00 (UTC)", "Every hour at :15 (UTC)". */
export function describeSchedule(s: DigestSchedule): string {
  switch (s.every) {
    case "hour":
      return t("alerts.schedule.hour", { minute: s.at.split(":")[1] ?? "00", tz: s.tz });
    case "day":
      return t("alerts.schedule.day", { at: s.at, tz: s.tz });
    case "week": {
      const day = s.day.toLowerCase();
      if (isDay(day)) return t(`alerts.schedule.week.${day}`, { at: s.at, tz: s.tz });
      return t("alerts.schedule.weekOther", { day: s.day, at: s.at, tz: s.tz });
    }
  }
}

/** "At least 5 mentions in 6 hours, against the same window over 14 days; medium sensitivity". */
export function describeSpike(s: SpikeSpec): string {
  return t("alerts.spike.summary", {
    n: s.min_count,
    window: durationText(s.window),
    baseline: durationText(s.baseline),
    sensitivity: t(`alerts.spike.sensitivity.${s.sensitivity}`),
  });
}

/** A spike's usual count, one decimal in the interface's locale: "3.0", "2,5". */
export function baselineText(n: number): string {
  return n.toLocaleString(i18n.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

// ---------- The rule form ----------

/** The rule form's fields, as typed. */
export interface RuleForm {
  topic: string;
  kind: AlertKind;
  name: string;
  channels: ChannelRow[];
  every: DigestEvery;
  at: string;
  day: string;
  tz: string;
  window: string;
  baseline: string;
  minCount: number | null;
  sensitivity: SpikeSensitivity;
  quietFrom: string;
  quietTo: string;
  minInterval: string;
  newStoriesOnly: boolean;
  paused: boolean;
  /** A new webhook secret; empty keeps the stored one (or sets none). */
  secret: string;
  /** Remove the stored webhook secret. */
  clearSecret: boolean;
}

/** A new rule's form: instant, to the desktop and the inbox, digests on `tz` (the alerts time zone). */
export function emptyRuleForm(topic: string, tz: string): RuleForm {
  return {
    topic,
    kind: "instant",
    name: "",
    channels: [
      { kind: "desktop", target: "" },
      { kind: "inbox", target: "" },
    ],
    every: "day",
    at: "08:00",
    day: "mon",
    tz,
    window: "6h",
    baseline: "14d",
    minCount: 5,
    sensitivity: "medium",
    quietFrom: "",
    quietTo: "",
    minInterval: "",
    newStoriesOnly: false,
    paused: false,
    secret: "",
    clearSecret: false,
  };
}

/** A stored rule's form (the options of the other kinds at their defaults). */
export function ruleToForm(rule: AlertRule, tz: string): RuleForm {
  // The topic by id: the backend takes a name or an id, and an id survives a rename.
  const form = emptyRuleForm(String(rule.topic_id), rule.schedule?.tz ?? tz);
  const [quietFrom = "", quietTo = ""] = (rule.quiet ?? "").split("-", 2);
  return {
    ...form,
    kind: rule.kind,
    name: rule.name,
    channels: rule.channels.map(channelToRow),
    ...(rule.schedule ? { every: rule.schedule.every, at: rule.schedule.at, day: rule.schedule.day } : {}),
    ...(rule.spike
      ? {
          window: rule.spike.window,
          baseline: rule.spike.baseline,
          minCount: rule.spike.min_count,
          sensitivity: rule.spike.sensitivity,
        }
      : {}),
    quietFrom: quietFrom.trim(),
    quietTo: quietTo.trim(),
    minInterval: rule.min_interval ?? "",
    newStoriesOnly: rule.new_stories_only,
    paused: rule.paused,
  };
}

export type FormField = "topic" | "at" | "tz" | "window" | "baseline" | "minCount" | "quiet" | "minInterval" | "secret";

export interface FormCheck {
  /** A message a field that is wrong. */
  fields: Partial<Record<FormField, string>>;
  /** A message (or null) a channel row. */
  channels: (string | null)[];
  /** No channel at all. */
  noChannel: boolean;
  ok: boolean;
}

/** Whether `tz` is an IANA zone this system knows. */
export function isKnownZone(tz: string): boolean {
  if (tz.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz.trim() });
    return true;
  } catch {
    return false;
  }
}

/** The spike options as the backend reads them, or null while one of them is not valid. */
export function spikeSpecOf(form: RuleForm): SpikeSpec | null {
  const window = durationMinutes(form.window);
  const baseline = durationMinutes(form.baseline);
  const min = form.minCount;
  if (window === null || baseline === null || baseline < 2 * window) return null;
  if (min === null || !Number.isInteger(min) || min < 1) return null;
  return { window: form.window.trim(), baseline: form.baseline.trim(), min_count: min, sensitivity: form.sensitivity };
}

/** What is wrong with the form, field by field, before it is sent (the backend checks again). */
export function checkRuleForm(form: RuleForm): FormCheck {
  const fields: Partial<Record<FormField, string>> = {};
  if (form.topic.trim() === "") fields.topic = t("alerts.check.topic");
  if (form.kind === "digest") {
    if (!isClockTime(form.at)) fields.at = t("alerts.check.at");
    if (!isKnownZone(form.tz)) fields.tz = t("alerts.check.tz");
  }
  if (form.kind === "spike") {
    const window = durationMinutes(form.window);
    const baseline = durationMinutes(form.baseline);
    if (window === null) fields.window = t("alerts.check.window");
    if (baseline === null) fields.baseline = t("alerts.check.baseline");
    else if (window !== null && baseline < 2 * window) fields.baseline = t("alerts.check.baselineShort");
    const min = form.minCount;
    if (min === null || !Number.isInteger(min) || min < 1) fields.minCount = t("alerts.check.minCount");
  }
  const from = form.quietFrom.trim();
  const to = form.quietTo.trim();
  if (from !== "" || to !== "") {
    if (!isClockTime(from) || !isClockTime(to)) fields.quiet = t("alerts.check.quiet");
    else if (from === to) fields.quiet = t("alerts.check.quietSame");
  }
  if (form.minInterval.trim() !== "" && durationMinutes(form.minInterval) === null) {
    fields.minInterval = t("alerts.check.minInterval");
  }
  const secret = form.secret.trim();
  if (secret !== "" && !/^whsec_[A-Za-z0-9+/=]{8,}$/.test(secret)) {
    fields.secret = t("alerts.check.secret");
  }
  const { problems, missing } = rowsToChannels(form.channels);
  const ok = Object.keys(fields).length === 0 && !missing && problems.every((p) => p === null);
  return { fields, channels: problems, noChannel: missing, ok };
}

/** Whether the form has a webhook row (then the secret field is shown). */
export function hasWebhook(form: Pick<RuleForm, "channels">): boolean {
  return form.channels.some((c) => c.kind === "webhook");
}

/**
 * What the form sends. Every option of the rule's kind is named, so an edit leaves nothing stale; an empty
 * quiet or minimum interval clears it; the secret is sent only when typed (or "" to remove it).
 */
export function formToDraft(form: RuleForm): AlertRuleDraft {
  const quiet = form.quietFrom.trim() && form.quietTo.trim() ? `${form.quietFrom.trim()}-${form.quietTo.trim()}` : "";
  const digest = form.kind === "digest";
  const spike = form.kind === "spike" ? spikeSpecOf(form) : null;
  const secret = form.secret.trim();
  return {
    topic: form.topic.trim(),
    kind: form.kind,
    channels: rowsToChannels(form.channels).channels,
    name: form.name.trim() === "" ? null : form.name.trim(),
    every: digest ? form.every : null,
    at: digest ? form.at.trim() : null,
    day: digest && form.every === "week" ? form.day : null,
    tz: digest ? form.tz.trim() : null,
    window: spike?.window ?? null,
    baseline: spike?.baseline ?? null,
    min_count: spike?.min_count ?? null,
    sensitivity: spike?.sensitivity ?? null,
    quiet,
    min_interval: form.minInterval.trim(),
    new_stories_only: form.newStoriesOnly,
    paused: form.paused,
    secret: secret !== "" ? secret : form.clearSecret ? "" : null,
  };
}

/** A draft that changes nothing (on edit, every null stays as it is); add the fields to change. */
export function emptyDraft(): AlertRuleDraft {
  return {
    topic: null,
    kind: null,
    channels: null,
    name: null,
    every: null,
    at: null,
    day: null,
    tz: null,
    window: null,
    baseline: null,
    min_count: null,
    sensitivity: null,
    quiet: null,
    min_interval: null,
    new_stories_only: null,
    paused: null,
    secret: null,
  };
}

/** The one-click "Alert me" of the Topics page: an instant rule, to the desktop and the inbox. */
export function instantDraft(topic: string): AlertRuleDraft {
  return { ...emptyDraft(), topic, kind: "instant", channels: ["desktop", "inbox"] };
}

// The backend names rules in English (crates/mediawatch-core/src/app/alerts.rs) and stores the name: this is
// that name, data rather than interface, so it is not translated.
const EVERY_WORD: Record<DigestEvery, string> = { hour: "hourly", day: "daily", week: "weekly" };

/** The name the backend gives a rule saved without one: "Energy: new mentions", "Energy: daily digest". */
export function defaultRuleName(topic: string, kind: AlertKind, every: DigestEvery): string {
  const what = kind === "instant" ? "new mentions" : kind === "spike" ? "spikes" : `${EVERY_WORD[every]} digest`;
  return `${topic}: ${what}`;
}

// ---------- Time zones ----------

const COMMON_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Paris",
  "Europe/Berlin",
  "Europe/Moscow",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "America/Sao_Paulo",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Australia/Sydney",
];

/** The zones the time-zone fields suggest: the system's first, then the current value, then common ones. */
export function zoneSuggestions(...first: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const z of [...first, ...COMMON_ZONES]) {
    const zone = z?.trim();
    if (zone && !out.includes(zone)) out.push(zone);
  }
  return out;
}

// ---------- The spike preview ----------

/** The calendar day (YYYY-MM-DD) of an instant on the clock of `tz` (UTC when the zone is unknown). */
export function dayInZone(iso: string, tz: string): string {
  const zone = isKnownZone(tz) ? tz : "UTC";
  // en-CA writes dates as YYYY-MM-DD: a key, not a date for reading.
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(iso),
  );
}

export interface Bar {
  day: string;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The rule would have fired on this day. */
  fired: boolean;
}

/**
 * The bars of the preview's chart in a `width` × `height` box: one a day, side by side with `gap` between,
 * heights to scale with the busiest day at the top (a day with mentions gets at least 1 unit, so it shows).
 */
export function chartBars(
  daily: readonly DailyCount[],
  firedDays: ReadonlySet<string>,
  { width, height, gap = 2 }: { width: number; height: number; gap?: number },
): Bar[] {
  const n = daily.length;
  if (n === 0) return [];
  const max = Math.max(1, ...daily.map((d) => d.count));
  const barWidth = Math.max(1, (width - gap * (n - 1)) / n);
  return daily.map((d, i) => {
    const h = d.count === 0 ? 0 : Math.max(1, (d.count / max) * height);
    return {
      day: d.day,
      count: d.count,
      x: i * (barWidth + gap),
      y: height - h,
      width: barWidth,
      height: h,
      fired: firedDays.has(d.day),
    };
  });
}

/** The days the rule would have fired on, on the rule's clock. */
export function firedDays(firings: readonly Pick<SpikeFiring, "at">[], tz: string): Set<string> {
  return new Set(firings.map((f) => dayInZone(f.at, tz)));
}

/** The line over the preview: "It would have fired 3 times in the last 30 days." */
export function previewHeadline(firings: number, days: number): string {
  const span = t("alerts.preview.lastDays", { n: days });
  if (firings === 0) return t("alerts.preview.never", { span });
  if (firings === 1) return t("alerts.preview.once", { span });
  if (firings === 2) return t("alerts.preview.twice", { span });
  return t("alerts.preview.times", { n: firings, span });
}
