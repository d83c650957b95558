import { api, onBackgroundFetch, toAppError, type FetchSummary } from "./api";
import { notices } from "./notices.svelte";

export interface SourceProgress {
  sourceId: number;
  name: string;
  newArticles: number;
  error: string | null;
}

/**
 * State of the one fetch that can run at a time. It lives outside the Sources
 * page so progress survives navigating away and back.
 */
class Fetcher {
  running = $state(false);
  /** The source being fetched, or null for all sources. */
  scope = $state<number | null>(null);
  total = $state(0);
  done = $state(0);
  lastName = $state<string | null>(null);
  log = $state<SourceProgress[]>([]);
  summary = $state<FetchSummary | null>(null);
  cancelled = $state(false);
  cancelling = $state(false);
  /** Increments whenever a fetch ends (ours or the background scheduler's), so pages can re-list. */
  generation = $state(0);
  /** The summary of the last cycle the background scheduler finished, and when. */
  background = $state<{ summary: FetchSummary; at: number } | null>(null);

  /** Follows the background scheduler: pages re-list after each of its cycles. Call once at start-up. */
  async followBackground(): Promise<void> {
    try {
      await onBackgroundFetch((event) => {
        if (event.kind === "finished") {
          this.background = { summary: event.summary, at: Date.now() };
          this.generation++;
        }
      });
    } catch (e) {
      notices.show(e);
    }
  }

  async start(sourceId: number | null): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.scope = sourceId;
    this.total = 0;
    this.done = 0;
    this.lastName = null;
    this.log = [];
    this.summary = null;
    this.cancelled = false;
    this.cancelling = false;
    try {
      this.summary = await api.fetchNow(sourceId, (event) => {
        switch (event.kind) {
          case "started":
            this.total = event.total;
            break;
          case "source_done":
            this.total = event.total;
            this.done = event.done;
            this.lastName = event.name;
            this.log.push({
              sourceId: event.source_id,
              name: event.name,
              newArticles: event.new_articles,
              error: event.error,
            });
            break;
          case "finished":
            this.summary = event.summary;
            break;
        }
      });
      // A backend may end a cancelled run with a partial summary instead of an error.
      if (this.cancelling) this.cancelled = true;
    } catch (e) {
      if (toAppError(e).code === "cancelled") this.cancelled = true;
      else notices.show(e);
    } finally {
      this.running = false;
      this.cancelling = false;
      this.generation++;
    }
  }

  async cancel(): Promise<void> {
    if (!this.running || this.cancelling) return;
    this.cancelling = true;
    try {
      await api.cancelFetch();
    } catch (e) {
      this.cancelling = false;
      notices.show(e);
    }
  }
}

export const fetcher = new Fetcher();
