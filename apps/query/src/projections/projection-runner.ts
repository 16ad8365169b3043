import { Logger } from '@nestjs/common';
import type { KafkaConnection } from '@of/platform';
import type { EachBatchPayload } from 'kafkajs';
import type { DeadLetterPublisher } from './dead-letter.publisher';
import { BatchCoalescer } from './batch-coalescer';
import { OffsetCommitter } from './offset-committer';
import { backoff, ConsumerSupervisor, DEFAULT_STALL_MS, sleep, waitAtMost } from './consumer-supervisor';
import { type ConsumedEvent, parseEvent } from './parsed-event';
import type { CollectionNamer } from './projection';
import type { BatchResult, ProjectionEngine, WrittenListener } from './projection-engine';
import type { ProjectionMetrics } from './projection-metrics';

export interface RunnerOptions {
  groupId: string;
  collection: CollectionNamer;
  /** See WrittenListener; the live runner's is swapped in when a rebuild takes over. */
  onWritten?: WrittenListener;
  metrics?: ProjectionMetrics;
  /** See SupervisorOptions.stallMs. */
  stallMs?: number;
}

export interface PartitionActivity {
  lastEventAt: string | null;
  processedAt: string;
}

/**
 * Partition batches kafkajs may hand over at once; the coalescer merges
 * them. Partitions never share an aggregate; the documents every partition
 * feeds (creation seconds, customer ledgers) are insert-only or written
 * conditionally.
 */
const PARTITIONS_AT_ONCE = 64;
/** On stop, how long the last offsets may take to commit; a restart reads the rest again. */
const STOP_COMMIT_WAIT_MS = 5000;

/**
 * One consumer group feeding one generation of the read models. A batch's
 * offsets are committed only after its writes (and its dead letters) are
 * durable, once per round (see OffsetCommitter); while MongoDB fails, the
 * batch is retried with backoff and the partition waits. Nothing is skipped.
 * The consumer itself is kept running by a ConsumerSupervisor.
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private readonly coalescer: BatchCoalescer;
  private readonly supervisor: ConsumerSupervisor;
  private readonly offsets: OffsetCommitter;
  /** The last failure of a batch, until a batch succeeds. */
  private batchError: string | null = null;
  /** Rounds ended so far: a round ends each time no batch is left in hand. */
  private roundsEnded = 0;
  private readonly roundWaiters = new Set<{ until: number; finish(): void }>();
  readonly activity = new Map<string, PartitionActivity>();
  eventsApplied = 0;
  deadLettered = 0;

  constructor(
    connection: KafkaConnection,
    private readonly engine: ProjectionEngine,
    private readonly deadLetters: DeadLetterPublisher,
    readonly options: RunnerOptions,
  ) {
    this.logger = new Logger(`ProjectionRunner ${options.groupId}`);
    this.coalescer = new BatchCoalescer((events) =>
      this.engine.apply(events, this.options.collection, (readModel, written) =>
        this.options.onWritten?.(readModel, written),
      ),
    );
    this.supervisor = new ConsumerSupervisor(connection, {
      groupId: options.groupId,
      topics: [connection.settings.topics.orderEvents, connection.settings.topics.inventoryEvents],
      stallMs: options.stallMs ?? DEFAULT_STALL_MS,
      logger: this.logger,
      // Partitions may have moved to another instance and back: its writes are not in our cache.
      onJoin: () => {
        this.engine.forget();
        this.offsets.reset();
      },
      onIdle: () => {
        this.endRound();
        void this.offsets.commit();
      },
      run: (consumer) =>
        consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
          eachBatch: (payload) => this.supervisor.track(() => this.handleBatch(payload)),
        }),
    });
    this.offsets = new OffsetCommitter(
      (offsets) => this.supervisor.commitOffsets(offsets),
      (error) => this.logger.warn(`committing offsets failed, trying again: ${error.message}`),
    );
  }

  /** A consumer is in the group and fetching. */
  get running(): boolean {
    return this.supervisor.running;
  }

  get lastError(): string | null {
    return this.batchError ?? this.supervisor.error;
  }

  /** A batch is being applied now. */
  get busy(): boolean {
    return this.supervisor.busy;
  }

  /**
   * `done` resolves once `count` more rounds of batches have been applied, or
   * after `timeoutMs`, or on `cancel()`. A counter and one timer, not
   * AbortSignals: those made a DOMException or two per read-your-writes read,
   * about a tenth of the query app's CPU per read at 500 reads/s.
   */
  roundsApplied(count: number, timeoutMs: number): { done: Promise<void>; cancel(): void } {
    let cancel: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      const waiter = {
        until: this.roundsEnded + count,
        finish: () => {
          clearTimeout(timer);
          this.roundWaiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.finish, timeoutMs);
      this.roundWaiters.add(waiter);
      cancel = waiter.finish;
    });
    return { done, cancel };
  }

  private endRound(): void {
    this.roundsEnded += 1;
    for (const waiter of this.roundWaiters) if (waiter.until <= this.roundsEnded) waiter.finish();
  }

  start(): Promise<void> {
    return this.supervisor.start();
  }

  async stop(): Promise<void> {
    await waitAtMost(this.offsets.commit(), STOP_COMMIT_WAIT_MS);
    this.offsets.close();
    await this.supervisor.stop();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const events = batch.messages.map((message) =>
      parseEvent({
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
      }),
    );
    const result = await this.applyUntilDurable(payload, events);
    if (!result) return; // not committed: the batch comes again
    this.record(batch.topic, batch.partition, events, result);
    payload.resolveOffset(batch.lastOffset());
    this.offsets.applied(batch.topic, batch.partition, batch.lastOffset());
    const last = events[events.length - 1]?.envelope?.occurredAt ?? null;
    const key = `${batch.topic}:${batch.partition}`;
    this.activity.set(key, {
      lastEventAt: last ?? this.activity.get(key)?.lastEventAt ?? null,
      processedAt: new Date().toISOString(),
    });
    await payload.heartbeat();
  }

  /** Applies the batch, retrying with backoff; null when the partition was taken away meanwhile. */
  private async applyUntilDurable(payload: EachBatchPayload, events: ConsumedEvent[]): Promise<BatchResult | null> {
    for (let attempt = 1; ; attempt += 1) {
      if (!payload.isRunning() || payload.isStale()) return null;
      try {
        const result = await this.coalescer.submit(events);
        await this.deadLetters.publish(result.deadLetters);
        this.batchError = null;
        return result;
      } catch (error) {
        this.engine.forget(); // some writes may have landed: read them again
        this.batchError = (error as Error).message;
        this.options.metrics?.batchFailed();
        const delay = backoff(attempt);
        this.logger.error(
          `batch ${payload.batch.topic}/${payload.batch.partition} failed (attempt ${attempt}), retrying in ${delay} ms: ${this.batchError}`,
        );
        await sleep(delay);
        await payload.heartbeat().catch(() => undefined);
      }
    }
  }

  private record(topic: string, partition: number, events: ConsumedEvent[], result: BatchResult): void {
    // The documents are written (and readers told, see onWritten); the
    // offsets committed next only decide where a restart resumes.
    this.eventsApplied += events.length - result.deadLetters.length;
    this.deadLettered += result.deadLetters.length;
    for (const letter of result.deadLetters) {
      this.options.metrics?.deadLettered(letter.reason);
      this.logger.warn(
        `dead-lettered ${letter.event.topic}/${letter.event.partition}@${letter.event.offset}: ${letter.reason} ${letter.message}`,
      );
    }
    this.logger.log({
      msg: 'applied events',
      topic,
      partition,
      events: events.flatMap(({ envelope, offset }) =>
        envelope
          ? [
              {
                offset,
                eventType: envelope.eventType,
                aggregateId: envelope.aggregateId,
                version: envelope.aggregateVersion,
                correlationId: envelope.correlationId,
              },
            ]
          : [],
      ),
    });
  }
}
