/**
 * The window's language tag, made valid. Under a POSIX locale (LANG=C, as on a minimal Debian or in CI),
 * WebKitGTK reports `navigator.language` as "C", which `Intl` rejects: uPlot formats its axes with
 * `new Intl.NumberFormat(navigator.language)` when its module loads, and the whole UI failed to start.
 * Importing this module first (main.ts) replaces an invalid tag with the nearest valid one.
 */

/** A BCP 47 tag for what a browser or the system reports: "en-GB" stays, "ru_RU.UTF-8" is "ru-RU", "C" or
 * "POSIX" (no language) is the fallback. */
export function validLocale(tag: string | undefined | null, fallback = "en-US"): string {
  if (!tag) return fallback;
  const [posix] = tag.split(/[.@]/);
  for (const candidate of [tag, posix.replace(/_/g, "-")]) {
    if (/^(c|posix)$/i.test(candidate)) return fallback;
    try {
      const [canonical] = Intl.getCanonicalLocales(candidate);
      if (canonical) return canonical;
    } catch {
      // not a tag; try the next reading
    }
  }
  return fallback;
}

/** Makes `navigator.language` (and `languages`) valid for the rest of the window's life. */
export function repairNavigatorLanguage(nav: Navigator | undefined = globalThis.navigator): void {
  if (!nav) return;
  const fixed = validLocale(nav.language);
  if (fixed === nav.language) return;
  try {
    Object.defineProperty(nav, "language", { value: fixed, configurable: true });
    Object.defineProperty(nav, "languages", {
      value: Object.freeze([fixed, ...(nav.languages ?? []).filter((l) => validLocale(l, "") === l)]),
      configurable: true,
    });
  } catch {
    // A navigator that cannot be changed keeps its tag; Intl then fails loudly where it is used.
  }
}

repairNavigatorLanguage();
