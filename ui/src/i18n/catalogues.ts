// The catalogues, one per language, each a tree of namespaces (one per page or area) of messages.
// lib/i18n.ts says what a message is; catalogue.test.ts checks that Russian has every English key with the
// same placeholders and all its plural forms.
import type { PluralMessage } from "../lib/i18n";
import common_en from "./parts/common.en.json";
import app_en from "./parts/app.en.json";
import time_en from "./parts/time.en.json";
import errors_en from "./parts/errors.en.json";
import overview_en from "./parts/overview.en.json";
import mentions_en from "./parts/mentions.en.json";
import reader_en from "./parts/reader.en.json";
import analysis_en from "./parts/analysis.en.json";
import search_en from "./parts/search.en.json";
import topics_en from "./parts/topics.en.json";
import alerts_en from "./parts/alerts.en.json";
import sources_en from "./parts/sources.en.json";
import reports_en from "./parts/reports.en.json";
import settings_en from "./parts/settings.en.json";
import common_ru from "./parts/common.ru.json";
import app_ru from "./parts/app.ru.json";
import time_ru from "./parts/time.ru.json";
import errors_ru from "./parts/errors.ru.json";
import overview_ru from "./parts/overview.ru.json";
import mentions_ru from "./parts/mentions.ru.json";
import reader_ru from "./parts/reader.ru.json";
import analysis_ru from "./parts/analysis.ru.json";
import search_ru from "./parts/search.ru.json";
import topics_ru from "./parts/topics.ru.json";
import alerts_ru from "./parts/alerts.ru.json";
import sources_ru from "./parts/sources.ru.json";
import reports_ru from "./parts/reports.ru.json";
import settings_ru from "./parts/settings.ru.json";

export const en = {
  common: common_en,
  app: app_en,
  time: time_en,
  errors: errors_en,
  overview: overview_en,
  mentions: mentions_en,
  reader: reader_en,
  analysis: analysis_en,
  search: search_en,
  topics: topics_en,
  alerts: alerts_en,
  sources: sources_en,
  reports: reports_en,
  settings: settings_en,
};

/** A translation of English: the same keys; plurals with the language's own forms. */
export type Translation<T> = {
  [K in keyof T]: T[K] extends string ? string : T[K] extends { other: string } ? PluralMessage : Translation<T[K]>;
};

export const ru: Translation<typeof en> = {
  common: common_ru,
  app: app_ru,
  time: time_ru,
  errors: errors_ru,
  overview: overview_ru,
  mentions: mentions_ru,
  reader: reader_ru,
  analysis: analysis_ru,
  search: search_ru,
  topics: topics_ru,
  alerts: alerts_ru,
  sources: sources_ru,
  reports: reports_ru,
  settings: settings_ru,
};

export const CATALOGUES = { en, ru };

/** Every message's key, "namespace.name" (or deeper), checked when the code is type-checked. */
type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K}`
    : T[K] extends { other: string }
      ? `${P}${K}`
      : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type Key = Leaves<typeof en>;
