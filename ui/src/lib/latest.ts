/**
 * Keeps only the newest of overlapping asynchronous requests: a live check, a preview or a search started
 * while an older one is still running makes the older one's answer stale, and a stale answer is dropped
 * (never shown over a newer one), its failure too.
 */
export class Latest {
  #seq = 0;

  /** Makes every request started so far stale (e.g. when the input was cleared). */
  invalidate(): void {
    this.#seq++;
  }

  /**
   * Runs `job` as the newest request. Resolves `{ value }` when no newer request was started (and nothing
   * was invalidated) before it settled, `null` when it went stale; rejects only when the newest one failed.
   */
  async run<T>(job: () => Promise<T>): Promise<{ value: T } | null> {
    const seq = ++this.#seq;
    try {
      const value = await job();
      return seq === this.#seq ? { value } : null;
    } catch (e) {
      if (seq === this.#seq) throw e;
      return null;
    }
  }

  /** A ticket for work that continues an earlier request (e.g. "Load more"): still current while `isCurrent`. */
  ticket(): number {
    return this.#seq;
  }

  isCurrent(ticket: number): boolean {
    return ticket === this.#seq;
  }
}
