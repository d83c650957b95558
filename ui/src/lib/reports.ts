import type { Key } from "../i18n/catalogues";
import type { ExportResult, ReportFormat, ReportSchedule, ReportScope, SavedReport, ScopeCount } from "./bindings";
import { describeSchedule } from "./alerts";
import { i18n, t } from "./i18n.svelte";

// ---------- Formats ----------

export const FORMATS: readonly ReportFormat[] = ["pdf", "xlsx", "csv", "html", "json", "ndjson"];

export const FORMAT_LABELS: Record<ReportFormat, string> = {
  pdf: "PDF",
  xlsx: "XLSX",
  csv: "CSV",
  html: "HTML",
  json: "JSON",
  ndjson: "NDJSON",
};

/** What each format is for, as the format picker explains it (a catalogue message, translated where shown). */
export const FORMAT_HELP: Record<ReportFormat, Key> = {
  pdf: "reports.formats.help.pdf",
  xlsx: "reports.formats.help.xlsx",
  csv: "reports.formats.help.csv",
  html: "reports.formats.help.html",
  json: "reports.formats.help.json",
  ndjson: "reports.formats.help.ndjson",
};

/** The save dialog's name of each file type; JSON is called JSON in every language. */
function filterName(format: ReportFormat): string {
  return format === "json" ? "JSON" : t(`reports.formats.filters.${format}`);
}

export function extensionOf(format: ReportFormat): string {
  return format;
}

/** The native save dialog's filter for a format. */
export function dialogFilters(format: ReportFormat): { name: string; extensions: string[] }[] {
  return [{ name: filterName(format), extensions: [extensionOf(format)] }];
}

/** Formats with a laid-out first page (previewed as HTML) and volume charts. */
export function isLaidOut(format: ReportFormat): boolean {
  return format === "pdf" || format === "html";
}

/** Formats that can carry volume charts. */
export function hasCharts(format: ReportFormat): boolean {
  return format === "pdf" || format === "html" || format === "xlsx";
}

export function isFormat(value: string): value is ReportFormat {
  return (FORMATS as readonly string[]).includes(value);
}

// ---------- File names ----------

const CYRILLIC: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l", м: "m",
  н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch",
  ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya", і: "i", ї: "yi", є: "ye", ґ: "g",
};

/** "BRICS summit: Kazan" → "brics-summit-kazan"; Cyrillic transliterated, other scripts dropped; at most `max` characters. */
export function slug(text: string, max = 48): string {
  const latin = [...text.toLowerCase()].map((c) => CYRILLIC[c] ?? c).join("");
  const ascii = latin.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const dashed = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (dashed.length <= max) return dashed;
  const cut = dashed.slice(0, max);
  const lastDash = cut.lastIndexOf("-");
  return (lastDash > max / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, "");
}

/**
 * The IANA zone of this computer's clock, which the period's days are read in: the report is written in it
 * too, so that its days are the ones picked here ("UTC" where the webview cannot tell).
 */
export function localZone(resolved: string | undefined = Intl.DateTimeFormat().resolvedOptions().timeZone): string {
  return resolved && resolved.trim() !== "" ? resolved : "UTC";
}

/** YYYY-MM-DD of a moment on the local clock. */
export function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The name the save dialog proposes: "mediawatch-brics-2026-12-07.pdf", after the title, else the topics,
 * else nothing ("mediawatch-2026-12-07.csv").
 */
export function defaultFileName(
  { title, topics, format }: { title: string | null; topics: readonly string[]; format: ReportFormat },
  now: Date = new Date(),
): string {
  const words = slug(title ?? "") || slug(topics.join(" "));
  const named = words === "" || words === "mediawatch" ? "mediawatch" : `mediawatch-${words.replace(/^mediawatch-/, "")}`;
  return `${named}-${localDay(now)}.${extensionOf(format)}`;
}

// ---------- The period ----------

export type Period = "24h" | "7d" | "30d" | "custom" | "all";

/** The period buttons, each with its catalogue message (translated where shown). */
export const PERIODS: readonly { value: Period; label: Key }[] = [
  { value: "24h", label: "reports.scope.period.presets.24h" },
  { value: "7d", label: "reports.scope.period.presets.7d" },
  { value: "30d", label: "reports.scope.period.presets.30d" },
  { value: "custom", label: "reports.scope.period.presets.custom" },
  { value: "all", label: "reports.scope.period.presets.all" },
];

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight at the start of a YYYY-MM-DD day (`offset` days later) as an ISO instant; null when it is no date. */
export function dayToIso(day: string, offset = 0): string | null {
  const m = DAY.exec(day.trim());
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + offset);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString();
}

/** The local day (YYYY-MM-DD) of an ISO instant; with `endExclusive`, the day that an exclusive end closes. */
export function isoToDay(iso: string, endExclusive = false): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  return localDay(new Date(endExclusive ? t - 1 : t));
}

// ---------- The scope form ----------

export type SourceMode = "all" | "group" | "pick";

/** The languages offered as checkboxes, each with its catalogue message (translated where shown); others are typed. */
export const COMMON_LANGS: readonly { code: string; name: Key }[] = [
  { code: "en", name: "reports.scope.langs.names.en" },
  { code: "ru", name: "reports.scope.langs.names.ru" },
  { code: "zh", name: "reports.scope.langs.names.zh" },
];

/** The Reports page's scope controls, as typed. */
export interface ScopeForm {
  topics: string[];
  period: Period;
  /** YYYY-MM-DD, first day included (custom period). */
  since: string;
  /** YYYY-MM-DD, last day included (custom period). */
  until: string;
  sourceMode: SourceMode;
  group: string;
  sources: number[];
  /** Chosen among COMMON_LANGS. */
  langs: string[];
  /** Other language codes, comma- or space-separated. */
  otherLangs: string;
  query: string;
  starred: boolean;
  /** The newest N articles: a whole number, or empty for all. */
  limit: string;
}

export function emptyScopeForm(period: Period = "7d"): ScopeForm {
  return {
    topics: [],
    period,
    since: "",
    until: "",
    sourceMode: "all",
    group: "",
    sources: [],
    langs: [],
    otherLangs: "",
    query: "",
    starred: false,
    limit: "",
  };
}

/** "de, fr pt" → ["de", "fr", "pt"] (lower case, no repeats). */
export function splitLangs(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const code = part.trim().toLowerCase();
    if (code !== "" && !out.includes(code)) out.push(code);
  }
  return out;
}

export interface ScopeCheck {
  scope: ReportScope;
  /** Why the form is not a scope yet (shown instead of the count), or null. */
  problem: string | null;
}

/** The form as the backend's scope, and what is wrong with it (if anything). */
export function formToScope(form: ScopeForm): ScopeCheck {
  let problem: string | null = null;
  let since: string | null = null;
  let until: string | null = null;
  let last: string | null = null;
  if (form.period === "custom") {
    if (form.since.trim() !== "") {
      since = dayToIso(form.since);
      if (since === null) problem = t("reports.scope.problems.since");
    }
    if (form.until.trim() !== "") {
      until = dayToIso(form.until, 1);
      if (until === null) problem = t("reports.scope.problems.until");
    }
    if (since && until && Date.parse(since) >= Date.parse(until)) problem = t("reports.scope.problems.order");
  } else if (form.period !== "all") {
    last = form.period;
  }
  const langs = [...form.langs];
  for (const code of splitLangs(form.otherLangs)) {
    if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(code)) problem ??= t("reports.scope.problems.lang", { code });
    if (!langs.includes(code)) langs.push(code);
  }
  let limit: number | null = null;
  if (form.limit.trim() !== "") {
    const n = Number(form.limit.trim());
    if (!Number.isInteger(n) || n < 1) problem ??= t("reports.scope.problems.limit");
    else limit = n;
  }
  if (form.sourceMode === "group" && form.group === "") problem ??= t("reports.scope.problems.group");
  if (form.sourceMode === "pick" && form.sources.length === 0) problem ??= t("reports.scope.problems.sources");
  const query = form.query.trim();
  return {
    scope: {
      topics: [...form.topics],
      since,
      until,
      last,
      sources: form.sourceMode === "pick" ? [...form.sources] : [],
      group: form.sourceMode === "group" && form.group !== "" ? form.group : null,
      langs,
      query: query === "" ? null : query,
      starred: form.starred,
      limit,
    },
    problem,
  };
}

/** A stored or handed-over scope back in the form (e.g. "Load" on a saved report). */
export function scopeToForm(scope: ReportScope): ScopeForm {
  const form = emptyScopeForm("all");
  form.topics = [...(scope.topics ?? [])];
  if (scope.last) {
    const preset = PERIODS.find((p) => p.value === scope.last);
    if (preset) {
      form.period = preset.value;
    } else {
      // A saved "last 14d": the nearest thing the form has is a custom period ending today.
      form.period = "custom";
      const days = /^(\d+)d$/i.exec(scope.last.trim());
      const start = new Date();
      start.setDate(start.getDate() - (days ? Number(days[1]) : 7));
      form.since = localDay(start);
    }
  } else if (scope.since || scope.until) {
    form.period = "custom";
    form.since = scope.since ? isoToDay(scope.since) : "";
    form.until = scope.until ? isoToDay(scope.until, true) : "";
  }
  if (scope.group) {
    form.sourceMode = "group";
    form.group = scope.group;
  } else if (scope.sources && scope.sources.length > 0) {
    form.sourceMode = "pick";
    form.sources = [...scope.sources];
  }
  const langs = (scope.langs ?? []).map((l) => l.toLowerCase());
  form.langs = langs.filter((l) => COMMON_LANGS.some((c) => c.code === l));
  form.otherLangs = langs.filter((l) => !form.langs.includes(l)).join(", ");
  form.query = scope.query ?? "";
  form.starred = scope.starred ?? false;
  form.limit = scope.limit ? String(scope.limit) : "";
  return form;
}

// ---------- The scope in a URL: #/reports?topic=BRICS&last=7d ----------

const LAST = /^\d+[mhd]$/i;

/**
 * A scope as the query string of `#/reports?…`, so that "Export these" on another page can hand it over:
 * `topic` (repeated), `last` or `since`/`until` (days, the end included), `lang` (repeated), `q`, `starred`,
 * `source` (repeated ids), `group`, `limit`. Empty filters are left out.
 */
export function scopeToQuery(scope: Partial<ReportScope>): string {
  const p = new URLSearchParams();
  for (const t of scope.topics ?? []) p.append("topic", t);
  if (scope.last) p.set("last", scope.last);
  else {
    if (scope.since) p.set("since", isoToDay(scope.since));
    if (scope.until) p.set("until", isoToDay(scope.until, true));
  }
  for (const l of scope.langs ?? []) p.append("lang", l);
  if (scope.query) p.set("q", scope.query);
  if (scope.starred) p.set("starred", "1");
  for (const s of scope.sources ?? []) p.append("source", String(s));
  if (scope.group) p.set("group", scope.group);
  if (scope.limit) p.set("limit", String(scope.limit));
  return p.toString();
}

/** `since`/`until` of a URL: a day (local midnight; an end day is included) or an ISO instant. */
function instantOf(value: string | null, end: boolean): string | null {
  if (!value) return null;
  const v = value.trim();
  if (DAY.test(v)) return dayToIso(v, end ? 1 : 0);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** The scope in a `#/reports?…` query string (what is malformed is left out); null when it names none. */
export function scopeFromQuery(query: string): ReportScope | null {
  const p = new URLSearchParams(query.replace(/^\?/, ""));
  const known = ["topic", "last", "since", "until", "lang", "q", "starred", "source", "group", "limit"];
  if (![...p.keys()].some((k) => known.includes(k))) return null;
  const last = p.get("last")?.trim() ?? "";
  const limit = Number(p.get("limit"));
  return {
    topics: p.getAll("topic").filter((t) => t.trim() !== ""),
    last: LAST.test(last) ? last.toLowerCase() : null,
    since: LAST.test(last) ? null : instantOf(p.get("since"), false),
    until: LAST.test(last) ? null : instantOf(p.get("until"), true),
    langs: p
      .getAll("lang")
      .flatMap(splitLangs)
      .filter((l, i, all) => all.indexOf(l) === i),
    query: p.get("q")?.trim() || null,
    starred: ["1", "true", "yes"].includes((p.get("starred") ?? "").toLowerCase()),
    sources: p
      .getAll("source")
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0),
    group: p.get("group")?.trim() || null,
    limit: Number.isInteger(limit) && limit > 0 ? limit : null,
  };
}

/** The `#/reports?…` link that opens the Reports page on a scope. */
export function reportsHref(scope: Partial<ReportScope>): string {
  const q = scopeToQuery(scope);
  return `#/reports${q ? `?${q}` : ""}`;
}

/** The query string of a location hash ("#/reports?topic=x" → "topic=x"), repeated keys kept. */
export function hashQuery(hash: string): string {
  const i = hash.indexOf("?");
  return i < 0 ? "" : hash.slice(i + 1);
}

// ---------- Words ----------

/** "1,284 mentions in 312 stories (980 articles) from 41 sources"; the articles only when they differ from the stories. */
export function countSentence(c: ScopeCount): string {
  if (c.mentions === 0) return t("reports.count.empty");
  return t("reports.count.sentence", {
    mentions: t("common.mentions", { n: c.mentions }),
    stories: t("reports.count.stories", { n: c.stories }),
    articles: c.articles !== c.stories ? ` (${t("common.articles", { n: c.articles })})` : "",
    sources: t("reports.count.fromSources", { n: c.sources }),
  });
}

const UNITS = { m: "m", h: "h", d: "d" } as const;

/** "last 7 days", "2026-12-01 – 2026-12-07", "all time". */
export function describePeriod(scope: Pick<ReportScope, "last" | "since" | "until">): string {
  if (scope.last) {
    const m = /^(\d+)([mhd])$/i.exec(scope.last);
    const unit = m ? UNITS[m[2].toLowerCase() as keyof typeof UNITS] : undefined;
    if (!m || !unit) return t("reports.describe.period.last", { value: scope.last });
    const n = Number(m[1]);
    // One unit has its own words ("last day", not "last 1 day"); the plural covers the rest (21 in Russian too).
    return n === 1 ? t(`reports.describe.period.lastOne.${unit}`) : t(`reports.describe.period.lastMany.${unit}`, { n });
  }
  const day = (iso: string, end: boolean) => isoToDay(iso, end);
  if (scope.since && scope.until) return `${day(scope.since, false)} – ${day(scope.until, true)}`;
  if (scope.since) return t("reports.describe.period.from", { day: day(scope.since, false) });
  if (scope.until) return t("reports.describe.period.until", { day: day(scope.until, true) });
  return t("reports.describe.period.allTime");
}

/** A source's name for a scope line when its name is not known: "source 12". */
function unnamedSource(id: number): string {
  return t("reports.describe.source", { id: String(id) });
}

/** One line about a scope: "SCO summitry · last 7 days · en, ru · starred only · query: BRICS". */
export function describeScope(scope: ReportScope, sourceName: (id: number) => string | undefined = () => undefined): string {
  const parts: string[] = [];
  const topics = scope.topics ?? [];
  parts.push(topics.length === 0 ? t("reports.describe.allTopics") : topics.join(", "));
  parts.push(describePeriod(scope));
  const sources = scope.sources ?? [];
  const named = (id: number) => sourceName(id) ?? unnamedSource(id);
  if (scope.group) parts.push(t("reports.describe.group", { group: scope.group }));
  else if (sources.length > 0) parts.push(sources.length <= 3 ? sources.map(named).join(", ") : t("common.sources", { n: sources.length }));
  if ((scope.langs ?? []).length > 0) parts.push((scope.langs ?? []).join(", "));
  if (scope.starred) parts.push(t("reports.describe.starred"));
  if (scope.query) parts.push(t("reports.describe.query", { query: scope.query }));
  if (scope.limit) parts.push(t("reports.describe.newest", { n: scope.limit }));
  return parts.join(" · ");
}

const decimals = new Map<string, Intl.NumberFormat>();

/** A figure with `digits` decimals in the interface's locale, never grouped ("1.5", "1,5", "1010"). */
function decimal(v: number, digits: number): string {
  const key = `${i18n.locale}|${digits}`;
  let f = decimals.get(key);
  if (!f) {
    f = new Intl.NumberFormat(i18n.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
    decimals.set(key, f);
  }
  return f.format(Number(v.toFixed(digits))); // rounded as toFixed does (0.35 → 0.3), then written for the locale
}

const SIZE_UNITS = ["reports.units.kb", "reports.units.mb", "reports.units.gb"] as const;

/** "980 B", "48 KB", "2.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return t("reports.units.bytes", { n: String(bytes) });
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < SIZE_UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return t(SIZE_UNITS[u], { n: v >= 10 ? decimal(Math.round(v), 0) : decimal(v, 1) });
}

/** "0.4 s", "12 s", "2 min 5 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return t("reports.units.seconds", { n: decimal(Math.max(seconds, 0.1), 1) });
  if (seconds < 60) return t("reports.units.seconds", { n: decimal(Math.round(seconds), 0) });
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return s === 0
    ? t("reports.units.minutes", { m: decimal(m, 0) })
    : t("reports.units.minutesSeconds", { m: decimal(m, 0), s: decimal(s, 0) });
}

/** The file name of a path (either separator). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** "12 articles, 48 KB, 0.4 s": what an export wrote. */
export function describeWritten(r: Pick<ExportResult, "articles" | "bytes" | "seconds">): string {
  const parts = [t("common.articles", { n: r.articles }), formatBytes(r.bytes)];
  if (r.seconds !== null) parts.push(formatSeconds(r.seconds));
  return parts.join(", ");
}

/** "Every Monday at 08:00 (Europe/Berlin), into /srv/reports" or "…, e-mailed to desk@example.org". */
export function describeReportSchedule(s: ReportSchedule): string {
  const when = describeSchedule({ every: s.every, at: s.at, day: s.day, tz: s.tz });
  if (s.email) return t("reports.schedule.emailed", { when, email: s.email });
  if (s.to_dir) return t("reports.schedule.into", { when, dir: s.to_dir });
  return when;
}

export type RunOutcome = { tone: "failed"; text: string } | { tone: "ok"; text: string } | null;

/** How the saved report's last run went: null when it never ran. */
export function lastRunOutcome(r: Pick<SavedReport, "last_run_at" | "last_path" | "last_error">): RunOutcome {
  if (r.last_error) return { tone: "failed", text: t("reports.saved.outcome.failed", { error: r.last_error }) };
  if (!r.last_run_at && !r.last_path) return null;
  if (r.last_path?.startsWith("email:")) {
    return { tone: "ok", text: t("reports.saved.outcome.emailed", { address: r.last_path.slice("email:".length) }) };
  }
  if (r.last_path) return { tone: "ok", text: t("reports.saved.outcome.wrote", { path: r.last_path }) };
  return { tone: "ok", text: t("reports.saved.outcome.done") };
}

// ---------- The schedule form ----------

/** The days a weekly report can run on, each with its catalogue message (translated where shown). */
export const SCHEDULE_DAYS: readonly { value: string; label: Key }[] = [
  { value: "mon", label: "reports.schedule.weekdays.mon" },
  { value: "tue", label: "reports.schedule.weekdays.tue" },
  { value: "wed", label: "reports.schedule.weekdays.wed" },
  { value: "thu", label: "reports.schedule.weekdays.thu" },
  { value: "fri", label: "reports.schedule.weekdays.fri" },
  { value: "sat", label: "reports.schedule.weekdays.sat" },
  { value: "sun", label: "reports.schedule.weekdays.sun" },
];

export interface ScheduleForm {
  every: "day" | "week";
  at: string;
  day: string;
  tz: string;
  target: "folder" | "email";
  folder: string;
  email: string;
}

export function scheduleToForm(s: ReportSchedule | null, tz: string): ScheduleForm {
  if (!s) return { every: "day", at: "08:00", day: "mon", tz, target: "folder", folder: "", email: "" };
  return {
    every: s.every === "week" ? "week" : "day",
    at: s.at,
    day: s.day || "mon",
    tz: s.tz || tz,
    target: s.email ? "email" : "folder",
    folder: s.to_dir ?? "",
    email: s.email ?? "",
  };
}

/** The schedule the form describes, or why it is not one yet. */
export function formToSchedule(f: ScheduleForm): { schedule: ReportSchedule } | { problem: string } {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(f.at.trim())) return { problem: t("reports.schedule.problems.time") };
  if (f.tz.trim() === "") return { problem: t("reports.schedule.problems.zone") };
  const folder = f.folder.trim();
  const email = f.email.trim();
  if (f.target === "folder" && folder === "") return { problem: t("reports.schedule.problems.folder") };
  if (f.target === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { problem: t("reports.schedule.problems.email") };
  return {
    schedule: {
      every: f.every,
      at: f.at.trim(),
      day: f.every === "week" ? f.day : "mon",
      tz: f.tz.trim(),
      to_dir: f.target === "folder" ? folder : null,
      email: f.target === "email" ? email : null,
    },
  };
}
