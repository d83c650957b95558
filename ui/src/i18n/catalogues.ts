// The catalogues: one per language (en.json, ru.json), each a tree of namespaces (one per page or area) of
// messages. lib/i18n.ts says what a message is; catalogue.test.ts checks that Russian has every English key with
// the same placeholders and all its plural forms.
import type { PluralMessage } from "../lib/i18n";
import english from "./en.json";
import russian from "./ru.json";

export const en = english;

/** A translation of English: the same keys; plurals with the language's own forms. */
export type Translation<T> = {
  [K in keyof T]: T[K] extends string ? string : T[K] extends { other: string } ? PluralMessage : Translation<T[K]>;
};

export const ru: Translation<typeof en> = russian;

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
