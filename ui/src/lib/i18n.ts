/**
 * The interface's languages, pure: which catalogue a choice resolves to, the locale dates and numbers are
 * formatted in, and how one message is filled in.
 *
 * A message is a string with `{name}` placeholders, or a plural: an object with a string per CLDR plural
 * category (`one`, `few`, `many`, `other`; `other` is required) chosen by the number in the `n` parameter
 * with `Intl.PluralRules` (English needs one/other, Russian one/few/many/other). A number put into a
 * placeholder is formatted for the locale (1 234 in Russian, 1,234 in English); pass a string for numbers
 * that must not be grouped (years, ports, ids).
 */

export const LANGUAGES = ["en", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_CHOICES = ["system", ...LANGUAGES] as const;
export type LanguageChoice = (typeof LANGUAGE_CHOICES)[number];

/** Each language's own name, as its speakers write it (the switch shows them untranslated). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", ru: "Русский" };

export function isLanguageChoice(v: unknown): v is LanguageChoice {
  return typeof v === "string" && (LANGUAGE_CHOICES as readonly string[]).includes(v);
}

/** The catalogue for a BCP 47 tag: its language when we have a catalogue for it, else English. */
export function languageOf(tag: string | undefined | null): Language {
  const primary = (tag ?? "").toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : "en";
}

/** The catalogue a choice shows: "system" follows the window's (the desktop's) language. */
export function resolveLanguage(choice: LanguageChoice, systemTag: string | undefined | null): Language {
  return choice === "system" ? languageOf(systemTag) : choice;
}

/**
 * The locale dates and numbers are formatted in: the system's own tag when it is of the chosen language
 * (an analyst in en-GB keeps day-month dates), else the language itself.
 */
export function formattingLocale(language: Language, systemTag: string | undefined | null): string {
  if (systemTag && languageOf(systemTag) === language && systemTag.toLowerCase().startsWith(language)) {
    try {
      return Intl.getCanonicalLocales(systemTag)[0] ?? language;
    } catch {
      return language;
    }
  }
  return language;
}

export type PluralMessage = { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string };
export type Message = string | PluralMessage;
export type Params = Record<string, string | number>;

export function isPlural(m: unknown): m is PluralMessage {
  return typeof m === "object" && m !== null && typeof (m as { other?: unknown }).other === "string";
}

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function rules(locale: string): Intl.PluralRules {
  let r = pluralRules.get(locale);
  if (!r) pluralRules.set(locale, (r = new Intl.PluralRules(locale)));
  return r;
}

/** A whole or fractional number for the locale: 12,345 / 12 345. */
export function formatNumber(n: number, locale: string): string {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })));
  return f.format(n);
}

/** Fills in a message: picks the plural form by `params.n`, then replaces each `{name}` with its parameter. */
export function fill(message: Message, params: Params | undefined, locale: string): string {
  let text: string;
  if (isPlural(message)) {
    const n = Number(params?.n ?? 0);
    const category = rules(locale).select(n) as keyof PluralMessage;
    text = message[category] ?? message.other;
  } else {
    text = message;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === "number" ? formatNumber(v, locale) : v;
  });
}

/** The placeholders a message uses (every form of a plural), sorted: the catalogues' test compares them. */
export function placeholders(message: Message): string[] {
  const forms = isPlural(message) ? Object.values(message) : [message];
  const names = new Set<string>();
  for (const form of forms) for (const m of String(form).matchAll(/\{(\w+)\}/g)) names.add(m[1]);
  return [...names].sort();
}

/** A nested catalogue read as flat keys: { a: { b: "x" } } → ["a.b", "x"]. Plurals are leaves. */
export function flatten(tree: object, prefix = ""): [string, Message][] {
  const out: [string, Message][] = [];
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string" || isPlural(v)) out.push([key, v as Message]);
    else if (typeof v === "object" && v !== null) out.push(...flatten(v, key));
  }
  return out;
}

export type Segment = { text: string; tag?: undefined } | { tag: string; text: string };

/**
 * A message with marked-up pieces, "On <link>Sources</link>, paste a URL", read as segments: plain text and
 * tagged pieces, which the `Msg` component renders with the snippet of the tag's name (a link, a strong, a
 * kbd). Tags do not nest; a tag without its end is text.
 */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  const re = /<(\w+)>(.*?)<\/\1>/gs;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at) });
    out.push({ tag: m[1], text: m[2] });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** A catalogue's messages by flat key, for lookups. */
export function messageTable(tree: object): ReadonlyMap<string, Message> {
  return new Map(flatten(tree));
}
