import { api, onAlertsChanged, onBackgroundFetch, onOpenAlert } from "./api";
import { href } from "./route";
import { Latest } from "./latest";
import { notices } from "./notices.svelte";

/** The badge is refreshed at least this often (alerts may come from `mediawatch run` on the same database). */
export const UNREAD_POLL_MS = 20_000;

/**
 * The number of unread alerts, for the navigation's badge. It lives outside the Alerts page so the badge
 * stays current everywhere: refreshed every 20 s, after every fetch cycle, when the shell says the alerts
 * changed, and after the Alerts page changed something.
 */
class UnreadAlerts {
  count = $state(0);
  #latest = new Latest();
  #failing = false;
  #following = false;

  /** Asks the backend for the count; only the newest answer counts. */
  async refresh(): Promise<void> {
    try {
      const r = await this.#latest.run(() => api.unreadAlertCount());
      if (r) this.#set(r.value);
      this.#failing = false;
    } catch (e) {
      // A poll that keeps failing shows its error once, not every 20 s.
      if (!this.#failing) notices.show(e);
      this.#failing = true;
    }
  }

  /** Follows the backend for the life of the window. Call once at start-up. */
  async follow(): Promise<void> {
    if (this.#following) return;
    this.#following = true;
    void this.refresh();
    setInterval(() => void this.refresh(), UNREAD_POLL_MS);
    try {
      await onAlertsChanged((event) => {
        // Newer than any answer on its way.
        this.#latest.invalidate();
        this.#set(event.unread);
      });
      await onBackgroundFetch((event) => {
        if (event.kind === "finished") void this.refresh();
      });
      // A desktop notification was clicked: its alert, with the mentions behind it, or the inbox.
      await onOpenAlert((event) => {
        window.location.hash = href("alerts", event.alert_id === null ? {} : { alert: String(event.alert_id) });
      });
    } catch (e) {
      notices.show(e);
    }
  }

  #set(n: number): void {
    if (n !== this.count) this.count = n;
  }
}

export const unreadAlerts = new UnreadAlerts();
