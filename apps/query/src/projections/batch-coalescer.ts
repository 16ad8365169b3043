import type { ConsumedEvent } from './parsed-event';
import type { BatchResult } from './projection-engine';

type Apply = (events: ConsumedEvent[]) => Promise<BatchResult>;

interface Waiting {
  events: ConsumedEvent[];
  resolve: (result: BatchResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Applies the batches that kafkajs hands over side by side (one per
 * partition of a fetch) as one: a read model then costs one round of reads
 * and writes per fetch, not one per partition. Partitions never share an
 * aggregate, and each keeps its own order, so merging changes no outcome.
 * Each caller gets the part of the result that concerns its own events; if
 * the merged apply fails, every caller sees the failure and retries.
 */
export class BatchCoalescer {
  private waiting: Waiting[] = [];
  /** Applies that must not be merged with any other (see `alone`), in order. */
  private alone: (() => Promise<void>)[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(private readonly apply: Apply) {}

  submit(events: ConsumedEvent[]): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Applies `events` on their own, between two merged applies: events that
   * are not in their partition's order (a dead letter applied again) must
   * not be folded together with that partition's next batch.
   */
  submitAlone(events: ConsumedEvent[]): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve, reject) => {
      this.alone.push(() => this.apply(events).then(resolve, reject));
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // The other partitions of the same fetch are handed over in the same turn.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /**
   * One merged apply at a time: batches that arrive meanwhile wait and go
   * together next. Some documents take events from every partition (a
   * customer's ledger), so two applies side by side would race for them.
   */
  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length > 0 || this.alone.length > 0) {
      const single = this.alone.shift();
      if (single) {
        await single();
        continue;
      }
      const group = this.waiting;
      this.waiting = [];
      try {
        const result = await this.apply(group.flatMap((member) => member.events));
        for (const member of group) member.resolve(share(result, member.events));
      } catch (error) {
        for (const member of group) member.reject(error);
      }
    }
    this.flushing = false;
  }
}

function share(result: BatchResult, events: ConsumedEvent[]): BatchResult {
  const mine = new Set(events);
  return { deadLetters: result.deadLetters.filter((letter) => mine.has(letter.event)), durable: result.durable };
}
