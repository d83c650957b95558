import { describe, expect, it } from "vitest";
import { flatten, isPlural, placeholders, type Message } from "../lib/i18n";
import { en, ru } from "./catalogues";

const english = new Map(flatten(en));
const russian = new Map(flatten(ru));

/** The plural forms Russian needs (CLDR): 1, 21 → one; 2–4, 22 → few; 5–20, 25 → many; 1.5 → other. */
const RUSSIAN_FORMS = ["one", "few", "many", "other"];

describe("the catalogues", () => {
  it("has messages", () => {
    expect(english.size).toBeGreaterThan(50);
  });

  it("has every English message in Russian, and nothing English lacks", () => {
    const missing = [...english.keys()].filter((k) => !russian.has(k));
    const extra = [...russian.keys()].filter((k) => !english.has(k));
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
  });

  it("uses the same placeholders in both languages", () => {
    const differ: string[] = [];
    for (const [key, message] of english) {
      const other = russian.get(key);
      if (other !== undefined && placeholders(other).join() !== placeholders(message).join()) differ.push(key);
    }
    expect(differ).toEqual([]);
  });

  it("gives every plural the language's forms and the count", () => {
    const bad: string[] = [];
    const check = (key: string, m: Message, forms: string[]) => {
      if (!isPlural(m)) return;
      if (!forms.every((f) => typeof (m as Record<string, unknown>)[f] === "string")) bad.push(key);
    };
    for (const [key, m] of english) check(key, m, ["one", "other"]);
    for (const [key, m] of russian) check(key, m, RUSSIAN_FORMS);
    // A plural in one language is a plural in the other.
    for (const [key, m] of english) if (isPlural(m) !== isPlural(russian.get(key))) bad.push(key);
    expect(bad).toEqual([]);
  });

  it("translates: a Russian message that is the English one is a mistake, unless it has no words", () => {
    const same = [...english].filter(([key, m]) => {
      const r = russian.get(key);
      const text = isPlural(m) ? m.other : m;
      return r !== undefined && JSON.stringify(r) === JSON.stringify(m) && /[a-z]{3}/.test(text.replace(/\{\w+\}/g, ""));
    });
    // Names that stay as they are in Russian text (brands, formats) are listed here, each for a reason.
    const kept = new Set(KEPT_AS_IS);
    expect(same.map(([k]) => k).filter((k) => !kept.has(k))).toEqual([]);
  });

  it("leaves no message empty", () => {
    const empty = [...english, ...russian]
      .filter(([, m]) => (isPlural(m) ? Object.values(m) : [m]).some((f) => String(f).trim() === ""))
      .map(([k]) => k);
    expect(empty).toEqual([]);
  });
});

/** Messages that read the same in Russian: product and format names. */
const KEPT_AS_IS: string[] = ["app.brand", "settings.fetch.userAgent"];
