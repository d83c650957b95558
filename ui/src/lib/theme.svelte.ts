import { isThemeChoice, resolveTheme, type ResolvedTheme, type ThemeChoice } from "./themes";

const KEY = "mediawatch.theme";

/**
 * The window's theme: the analyst's choice (kept in this machine's web storage, like the window's size: it
 * belongs to the screen, not to the data) and, for "system", the desktop's preference, followed live. The
 * resolved theme is set as `data-theme` on the document, which app.css reads.
 */
class Theme {
  choice = $state<ThemeChoice>("system");
  systemDark = $state(false);

  constructor() {
    const stored = globalThis.localStorage?.getItem(KEY);
    if (isThemeChoice(stored)) this.choice = stored;
    const media = globalThis.matchMedia?.("(prefers-color-scheme: dark)");
    if (media) {
      this.systemDark = media.matches;
      media.addEventListener("change", (e) => {
        this.systemDark = e.matches;
        this.#apply();
      });
    }
    this.#apply();
  }

  get resolved(): ResolvedTheme {
    return resolveTheme(this.choice, this.systemDark);
  }

  set(choice: ThemeChoice) {
    this.choice = choice;
    globalThis.localStorage?.setItem(KEY, choice);
    this.#apply();
  }

  #apply() {
    if (typeof document !== "undefined") document.documentElement.dataset.theme = this.resolved;
  }
}

export const theme = new Theme();
