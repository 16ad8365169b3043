/**
 * Counts a consumer's rounds (a round ends each time no batch is left in
 * hand) and lets readers wait for some more of them: a read-your-writes read
 * that finds nothing in the cache waits until what was in flight is applied.
 */
export class RoundCounter {
  private ended = 0;
  private readonly waiters = new Set<{ until: number; finish(): void }>();

  end(): void {
    this.ended += 1;
    for (const waiter of this.waiters) if (waiter.until <= this.ended) waiter.finish();
  }

  /**
   * `done` resolves once `count` more rounds have ended, or after `timeoutMs`,
   * or on `cancel()`. A counter and one timer, not AbortSignals: those made a
   * DOMException or two per read-your-writes read, a share of the query app's
   * CPU per read worth saving (see docs/performance.md).
   */
  waitFor(count: number, timeoutMs: number): { done: Promise<void>; cancel(): void } {
    let cancel: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      const waiter = {
        until: this.ended + count,
        finish: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.finish, timeoutMs);
      this.waiters.add(waiter);
      cancel = waiter.finish;
    });
    return { done, cancel };
  }
}
