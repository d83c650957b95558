import { CATALOGUES, type Key } from "../i18n/catalogues";
import {
  fill,
  formatNumber,
  formattingLocale,
  isLanguageChoice,
  languageOf,
  messageTable,
  resolveLanguage,
  type Language,
  type LanguageChoice,
  type Message,
  type Params,
} from "./i18n";

const KEY = "mediawatch.language";

/** Every catalogue as flat keys, built once per language on first use. */
const tables: Partial<Record<Language, ReadonlyMap<string, Message>>> = {};

function lookup(language: Language, key: string): Message | undefined {
  return (tables[language] ??= messageTable(CATALOGUES[language])).get(key);
}

/**
 * The interface's language: the analyst's choice (kept in this machine's web storage beside the theme, so
 * the first page draws in it) and, for "system", the desktop's. Switching re-renders every string on the
 * spot: `t()` reads `language`, so whatever calls it in a template or a `$derived` follows.
 */
class I18n {
  choice = $state<LanguageChoice>("system");
  /** The desktop's language tag (navigator.language, made valid by lib/locale.ts). */
  readonly system: string = globalThis.navigator?.language ?? "en-US";

  constructor() {
    const stored = globalThis.localStorage?.getItem(KEY);
    if (isLanguageChoice(stored)) this.choice = stored;
    this.#apply();
  }

  /** The language "system" resolves to. */
  get systemLanguage(): Language {
    return languageOf(this.system);
  }

  get language(): Language {
    return resolveLanguage(this.choice, this.system);
  }

  /** The locale dates and numbers are formatted in. */
  get locale(): string {
    return formattingLocale(this.language, this.system);
  }

  set(choice: LanguageChoice) {
    this.choice = choice;
    globalThis.localStorage?.setItem(KEY, choice);
    this.#apply();
  }

  #apply() {
    if (typeof document !== "undefined") document.documentElement.lang = this.language;
  }
}

export const i18n = new I18n();

/** The message `key` in the interface's language, filled in; English when the language lacks it. */
export function t(key: Key, params?: Params): string {
  const language = i18n.language;
  const message = lookup(language, key) ?? lookup("en", key);
  return message === undefined ? key : fill(message, params, i18n.locale);
}

/** A number for the interface's locale. */
export function num(n: number): string {
  return formatNumber(n, i18n.locale);
}
