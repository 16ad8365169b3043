import { EventEmitter } from 'node:events';
import type { ReadModelDocument } from './projection';
import type { WrittenListener } from './projection-engine';
import type { ProjectionRunner } from './projection-runner';

/** The most a read-your-writes read of an uncached document waits before asking the server. */
const UNCACHED_WAIT_MS = 1000;

/**
 * The versions the live read models write, as they write them, and the
 * read-your-writes reads (`minVersion`) that wait for them.
 */
export class WrittenVersions {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** Given to the live runner, which calls it as soon as a read model's documents are written. */
  readonly notify: WrittenListener = (readModel, written) => {
    for (const [id, version] of written) this.emitter.emit(`${readModel}/${id}`, version);
  };

  /**
   * A document at `minVersion` or newer (read-your-writes), waiting up to
   * `timeoutMs` for the projection to write it; after that, what there is
   * (older, or null).
   */
  async readAtLeast<T extends ReadModelDocument>(options: {
    readModel: string;
    id: string;
    minVersion: number;
    timeoutMs: number;
    /** The document as the projection's cache holds it, if it does. */
    cached: T | undefined;
    read: () => Promise<T | null>;
    live: ProjectionRunner | null;
  }): Promise<T | null> {
    const { readModel, id, minVersion, timeoutMs, cached, read, live } = options;
    if (minVersion <= 0 || (cached && cached.version >= minVersion)) return cached ?? read();
    // Watch before reading, so a version written in between is not missed.
    const watch = this.waitFor(readModel, id, minVersion, timeoutMs);
    try {
      // Asked for right after its command, a document is almost always in the
      // batch being applied or the next one. While batches are in hand, asking
      // the server first would be a miss that competes with those very writes,
      // and under load it slowed freshness several times over.
      // Documents written long ago and no longer cached wait at most two rounds.
      if (!cached && live?.busy) {
        const rounds = live.roundsApplied(2, UNCACHED_WAIT_MS);
        await Promise.race([watch.reached, rounds.done]);
        rounds.cancel(); // the version may have come first: stop waiting for rounds
      }
      let document = await read();
      if ((document?.version ?? 0) < minVersion && (await watch.reached)) document = await read();
      return document;
    } finally {
      watch.cancel();
    }
  }

  /**
   * Watches for `readModel` to hold `version` of `aggregateId`. `reached`
   * resolves true when it does, false after `timeoutMs` or `cancel()`.
   */
  waitFor(
    readModel: string,
    aggregateId: string,
    version: number,
    timeoutMs: number,
  ): { reached: Promise<boolean>; cancel(): void } {
    const key = `${readModel}/${aggregateId}`;
    let finish: (reached: boolean) => void = () => undefined;
    const reached = new Promise<boolean>((resolve) => {
      const listener = (written: number): void => {
        if (written >= version) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      finish = (result) => {
        clearTimeout(timer);
        this.emitter.off(key, listener);
        resolve(result);
      };
      this.emitter.on(key, listener);
    });
    return { reached, cancel: () => finish(false) };
  }
}
