export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read, as Kafka commits it. */
  offset: string;
}

export type CommitOffsets = (offsets: PartitionOffset[]) => Promise<void>;

/** After a failed commit, the next try (unless a round ends first). */
const RETRY_MS = 1000;

/**
 * Commits a consumer's offsets once per round (each time the batches in hand
 * are all applied), in one request for every partition of the round. kafkajs's
 * auto-commit sent one request after every partition batch: at 500
 * registrations/s, 79 offset commits a second against 12 fetches, the broker's
 * most frequent request, each awaited before the next fetch. Committing less
 * often loses nothing: a batch is applied before its offset is noted, and
 * whatever a restart reads again is skipped by the read models' versions.
 */
export class OffsetCommitter {
  /** Next offset to read by `topic:partition`, applied and not yet committed. */
  private readonly pending = new Map<string, PartitionOffset>();
  private committing: Promise<void> | null = null;
  private again = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly commitOffsets: CommitOffsets,
    private readonly onError: (error: Error) => void,
  ) {}

  /** The batch up to `lastOffset` is applied and durable. */
  applied(topic: string, partition: number, lastOffset: string): void {
    this.pending.set(`${topic}:${partition}`, { topic, partition, offset: (BigInt(lastOffset) + 1n).toString() });
  }

  /**
   * Partitions may have moved to another member: what this one noted is no
   * longer its to commit. A batch that ends after the rejoin still notes its
   * offset; its writes are durable, so at worst the new owner reads again.
   */
  reset(): void {
    this.pending.clear();
  }

  get uncommitted(): number {
    return this.pending.size;
  }

  /** Commits what is pending; a commit already under way is followed by one more. Never rejects. */
  commit(): Promise<void> {
    this.cancelRetry();
    if (this.committing) {
      this.again = true;
      return this.committing;
    }
    if (this.pending.size === 0) return Promise.resolve();
    this.committing = this.send().finally(() => {
      this.committing = null;
      if (this.again) {
        this.again = false;
        void this.commit();
      }
    });
    return this.committing;
  }

  /** Stops retrying; what is pending stays uncommitted (read again after a restart). */
  close(): void {
    this.cancelRetry();
    this.pending.clear();
  }

  private cancelRetry(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private async send(): Promise<void> {
    const offsets = [...this.pending.values()];
    try {
      await this.commitOffsets(offsets);
    } catch (error) {
      this.onError(error as Error);
      // Retried even if no batch comes: lag is measured against committed offsets.
      this.retry ??= setTimeout(() => void this.commit(), RETRY_MS).unref();
      return;
    }
    for (const sent of offsets) {
      const key = `${sent.topic}:${sent.partition}`;
      if (this.pending.get(key) === sent) this.pending.delete(key);
    }
  }
}
