import { EventEmitter } from 'node:events';
import type { WrittenListener } from './projection-engine';

/**
 * The versions the live read models write, as they write them: a
 * read-your-writes read (`minVersion`) waits here for the version it asks for.
 */
export class WrittenVersions {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** Given to the live runner, which calls it as soon as a read model's documents are written. */
  readonly notify: WrittenListener = (readModel, written) => {
    for (const [id, version] of written) this.emitter.emit(`${readModel}/${id}`, version);
  };

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
