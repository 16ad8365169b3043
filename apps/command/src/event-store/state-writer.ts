import { Logger } from '@nestjs/common';
import { StateWriteBatch } from './state-store';
import type { StreamRegistry } from './stream-registry';

/**
 * How long committed changes gather before they are written to the state
 * store. One write then carries many Kafka commits: a product changed by
 * every registration is written once, and an order registered and shipped
 * within the interval once (Kafka Streams' record cache and commit interval).
 * Nothing depends on the write for durability: Kafka already has the events.
 */
export const STATE_WRITE_INTERVAL_MS = 200;

/**
 * Gathers what commits and replay change into one batch and writes it to the
 * state store every interval (or when asked), one write after the other, so
 * the store's checkpoint only ever covers states it holds.
 */
export class StateWriter {
  private readonly logger = new Logger('StateStore');
  private pending: StateWriteBatch | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly registry: StreamRegistry,
    private readonly intervalMs = STATE_WRITE_INTERVAL_MS,
  ) {}

  /** The batch changes go into now; a write of it is scheduled. */
  get batch(): StateWriteBatch {
    this.pending ??= new StateWriteBatch();
    if (!this.timer && this.intervalMs > 0) {
      this.timer = setTimeout(() => void this.flush(), this.intervalMs);
      this.timer.unref();
    }
    return this.pending;
  }

  /** Events gathered and not yet handed to the store. */
  get gathered(): number {
    return this.pending?.events ?? 0;
  }

  /**
   * Writes what has gathered; resolves once it, and every write before it,
   * is in the store. A write that fails is logged: the store then lags, and
   * the next start replays from its checkpoint.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = null;
    if (batch && !batch.empty) {
      this.writing = this.registry.persist(batch).catch((error: unknown) => {
        this.logger.error(`the state store did not take a write: ${(error as Error).message}`);
      });
    }
    return this.writing;
  }

  /** Drops what has gathered (the store is being emptied). */
  discard(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }
}
