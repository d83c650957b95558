import { parseHash, type Route } from "./route";

class Router {
  current = $state<Route>(parseHash(window.location.hash));

  constructor() {
    window.addEventListener("hashchange", () => {
      this.current = parseHash(window.location.hash);
    });
  }
}

/** The current hash route; pages are mounted afresh on every change, so they reload their data. */
export const router = new Router();
