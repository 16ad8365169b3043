import { Logger } from '@nestjs/common';
import type { KafkaConnection } from '@of/platform';
import type { EachBatchPayload } from 'kafkajs';
import type { DeadLetterPublisher } from '../dead-letters/dead-letter.publisher';
import { BatchCoalescer } from './batch-coalescer';
import { RoundCounter } from './round-counter';
import { OffsetCommitter } from './offset-committer';
import { backoff, ConsumerSupervisor, DEFAULT_STALL_MS, sleep, waitAtMost } from './consumer-supervisor';
import { type ConsumedEvent, loggedEvents, parseEvent } from './parsed-event';
import type { CollectionNamer } from './projection';
import type { BatchResult, ProjectionEngine, WrittenListener } from './projection-engine';
import { CATCH_UP_FLUSH, type FlushPolicy, LIVE_FLUSH } from '../read-store/write-behind';
import type { ProjectionMetrics } from './projection-metrics';

export interface RunnerOptions {
  groupId: string;
  /** The generation of the read models it feeds, and their collections. */
  generation: number;
  collection: CollectionNamer;
  /** See WrittenListener; the live runner's is swapped in when a rebuild takes over. */
  onWritten?: WrittenListener;
  metrics?: ProjectionMetrics;
  /** See SupervisorOptions.stallMs. */
  stallMs?: number;
  /** When shared documents written behind are written (see read-store/write-behind.ts); when absent, by how far behind it is. */
  flush?: FlushPolicy;
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
/** Events left unread, over all partitions, beyond which the projection is catching up. */
const CATCH_UP_LAG = 10_000;
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
  /** A round ends each time no batch is left in hand. */
  private readonly rounds = new RoundCounter();
  readonly activity = new Map<string, PartitionActivity>();
  eventsApplied = 0;
  deadLettered = 0;
  /** When the last batch was applied (performance.now()). */
  lastBatchAt = 0;
  /**
   * Per partition, the batches applied whose shared writes are not durable
   * yet, chained in order: an offset is noted for commit only once every
   * batch before it in its partition is durable.
   */
  private durableChains = new Map<string, Promise<void>>();
  /** The policy the last batch was applied under. */
  private policyInUse: FlushPolicy = LIVE_FLUSH;
  /** Per partition, how far its last batch was from the end of the partition. */
  private readonly lagByPartition = new Map<string, number>();

  constructor(
    connection: KafkaConnection,
    private readonly engine: ProjectionEngine,
    private readonly deadLetters: DeadLetterPublisher,
    readonly options: RunnerOptions,
  ) {
    this.logger = new Logger(`ProjectionRunner ${options.groupId}`);
    this.coalescer = new BatchCoalescer((events) =>
      this.engine.apply(
        events,
        this.options.collection,
        (readModel, written) => this.options.onWritten?.(readModel, written),
        (this.policyInUse = this.flushPolicy()),
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
        this.durableChains = new Map();
      },
      onIdle: () => {
        this.rounds.end();
        this.flushWhenCaughtUp();
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

  /** See RoundCounter.waitFor. */
  roundsApplied(count: number, timeoutMs: number): { done: Promise<void>; cancel(): void } {
    return this.rounds.waitFor(count, timeoutMs);
  }

  /**
   * Applies events outside the flow of the topics (a dead letter an operator
   * retries), between two batches, and waits until it is durable. Their dead
   * letters are returned, not parked again.
   */
  async applyAlone(events: ConsumedEvent[]): Promise<BatchResult['deadLetters']> {
    try {
      const result = await this.coalescer.submitAlone(events);
      // Its shared documents are written now, not when the next batch's would be.
      await this.engine.flushShared(this.options.collection);
      await result.durable;
      return result.deadLetters;
    } catch (error) {
      this.engine.forget(); // some writes may have landed: read them again
      throw error;
    }
  }

  start(): Promise<void> {
    return this.supervisor.start();
  }

  /** Writes what is written behind, then commits every offset that became durable. */
  async flushShared(): Promise<void> {
    await this.engine.flushShared(this.options.collection);
    await Promise.allSettled([...this.durableChains.values()]);
    await this.offsets.commit();
  }

  async stop(): Promise<void> {
    await waitAtMost(this.flushShared(), STOP_COMMIT_WAIT_MS);
    this.offsets.close();
    await this.supervisor.stop();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    this.lagByPartition.set(`${batch.topic}:${batch.partition}`, Number(batch.offsetLag()));
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
    this.lastBatchAt = performance.now();
    this.noteWhenDurable(batch.topic, batch.partition, batch.lastOffset(), result.durable);
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
        await this.deadLetters.publish(result.deadLetters, this.options.generation);
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

  /**
   * Caught up after catching up: what is held behind under the catch-up
   * policy is written now, rather than when it is old enough (no later batch
   * may come to shorten the wait, and the last offsets wait for it).
   */
  private flushWhenCaughtUp(): void {
    if (this.policyInUse !== CATCH_UP_FLUSH || this.flushPolicy() === CATCH_UP_FLUSH) return;
    this.policyInUse = LIVE_FLUSH;
    // A failed write fails the batches that wait for it (see noteWhenDurable).
    this.engine.flushShared(this.options.collection).catch(() => undefined);
  }

  /** Live, shared documents are written soon; far behind, they are held longer (see read-store/write-behind.ts). */
  private flushPolicy(): FlushPolicy {
    if (this.options.flush) return this.options.flush;
    let behind = 0;
    for (const lag of this.lagByPartition.values()) behind += lag;
    return behind > CATCH_UP_LAG ? CATCH_UP_FLUSH : LIVE_FLUSH;
  }

  /** Notes the batch's offset for commit once it and every batch before it in its partition are durable. */
  private noteWhenDurable(topic: string, partition: number, lastOffset: string, durable: Promise<void>): void {
    const chains = this.durableChains;
    const key = `${topic}:${partition}`;
    const chain = (chains.get(key) ?? Promise.resolve()).then(() => durable);
    chains.set(key, chain);
    chain.then(
      () => {
        if (chains !== this.durableChains) return; // the partitions were assigned again meanwhile
        if (chains.get(key) === chain) chains.delete(key);
        this.offsets.applied(topic, partition, lastOffset);
        if (!this.supervisor.busy) void this.offsets.commit();
      },
      (error: unknown) => {
        if (chains !== this.durableChains) return;
        // Writes held behind were lost: read again from the committed offsets, and make them again.
        this.durableChains = new Map();
        this.engine.forget();
        this.batchError = `a write held behind failed: ${(error as Error).message}`;
        this.options.metrics?.batchFailed();
        this.logger.error(`${this.batchError}; reading again from the committed offsets`);
        void this.supervisor.restart(this.batchError);
      },
    );
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
      events: loggedEvents(events),
    });
  }
}
