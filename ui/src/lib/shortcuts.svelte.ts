import type { PageAction } from "./keys";

/** The page that takes the page actions (j, k, o, s, m, n, p): the Mentions page registers while mounted. */
class Shortcuts {
  #handler: ((action: PageAction) => void) | null = null;
  helpOpen = $state(false);

  /** Registers the page's handler; returns the function that unregisters it. */
  register(handler: (action: PageAction) => void): () => void {
    this.#handler = handler;
    return () => {
      if (this.#handler === handler) this.#handler = null;
    };
  }

  dispatch(action: PageAction): boolean {
    if (!this.#handler) return false;
    this.#handler(action);
    return true;
  }
}

export const shortcuts = new Shortcuts();
