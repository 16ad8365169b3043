import { Logger } from '@nestjs/common';
import type { KafkaConnection } from '@of/platform';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { DeadLetterPublisher } from './dead-letter.publisher';
import { BatchCoalescer } from './batch-coalescer';
import { consumerLag } from './consumer-lag';
import { type ConsumedEvent, parseEvent } from './parsed-event';
import type { CollectionNamer } from './projection';
import type { BatchResult, ProjectionEngine } from './projection-engine';
import type { ProjectionMetrics } from './projection-metrics';

export interface RunnerOptions {
  groupId: string;
  collection: CollectionNamer;
  /** Called after each batch is durable, with the newest version written per aggregate. */
  onApplied?: (applied: Map<string, number>) => void;
  metrics?: ProjectionMetrics;
  /** A consumer that leaves lag unread this long, with no batch in hand, is replaced. */
  stallMs?: number;
}

export interface PartitionActivity {
  lastEventAt: string | null;
  processedAt: string;
}

const MAX_BACKOFF_MS = 5000;
const backoff = (attempt: number): number => Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(attempt, 6));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const waitAtMost = (promise: Promise<unknown>, ms: number): Promise<unknown> =>
  Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
/**
 * Partition batches kafkajs may hand over at once; the coalescer merges
 * them. Partitions never share a document (an order's entries follow the
 * order, a product's status the product; creation seconds are insert-only).
 */
const PARTITIONS_AT_ONCE = 64;
export const DEFAULT_STALL_MS = 30000;
/** A stuck consumer may never finish disconnecting; its replacement does not wait for it. */
const DISCONNECT_WAIT_MS = 10000;

/**
 * One consumer group feeding one generation of the read models. A batch's
 * offsets are committed only after its writes (and its dead letters) are
 * durable; while MongoDB fails, the batch is retried with backoff and the
 * partition waits. Nothing is skipped.
 *
 * The runner also supervises its kafkajs consumer. kafkajs restarts a
 * consumer after a retriable crash only; some crashes that follow a broker
 * restart are not retriable (no group coordinator yet, kafkajs#1630), and the
 * consumer would then sit idle while the app looks healthy. Such a consumer,
 * or one that leaves lag unread for `stallMs`, is replaced by a new one.
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private readonly coalescer: BatchCoalescer;
  private readonly stallMs: number;
  private consumer: Consumer | null = null;
  private stopped = false;
  private replacing = false;
  private rebalancing = false;
  private watchdog: NodeJS.Timeout | null = null;
  /** Batches handed over and not yet finished. */
  private inFlight = 0;
  /** When a batch last finished or the consumer last joined its group. */
  private progressAt = Date.now();
  /** The last failure of a batch, until a batch succeeds. */
  private batchError: string | null = null;
  /** Why the consumer stopped, until a consumer has joined the group again. */
  private consumerError: string | null = null;
  readonly activity = new Map<string, PartitionActivity>();
  eventsApplied = 0;
  deadLettered = 0;
  /** A consumer is in the group and fetching. */
  running = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly engine: ProjectionEngine,
    private readonly deadLetters: DeadLetterPublisher,
    readonly options: RunnerOptions,
  ) {
    this.logger = new Logger(`ProjectionRunner ${options.groupId}`);
    this.coalescer = new BatchCoalescer((events) => this.engine.apply(events, this.options.collection));
    this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  }

  get lastError(): string | null {
    return this.batchError ?? this.consumerError;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
    this.watchdog ??= setInterval(() => void this.checkProgress(), Math.max(250, this.stallMs / 3)).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect();
  }

  private async connect(): Promise<void> {
    const consumer = this.connection.kafka.consumer({
      groupId: this.options.groupId,
      readUncommitted: false,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.REBALANCING, () => {
      if (consumer === this.consumer) this.rebalancing = true;
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (consumer !== this.consumer) return;
      this.rebalancing = false;
      // Partitions may have moved to another instance and back: its writes are not in our cache.
      this.engine.forget();
      this.consumerError = null;
      this.progressAt = Date.now();
      this.running = true;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (consumer !== this.consumer || this.stopped) return;
      this.running = false;
      this.consumerError = `the Kafka consumer crashed: ${payload.error.message}`;
      this.logger.error(`${this.consumerError}; ${payload.restart ? 'kafkajs restarts it' : 'replacing it'}`);
      if (!payload.restart) void this.replace(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics(), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    if (this.stopped) await this.stop(); // stop() came while this consumer was connecting
  }

  private topics(): string[] {
    return [this.connection.settings.topics.orderEvents, this.connection.settings.topics.inventoryEvents];
  }

  /** Replaces `old` with a new consumer, retrying with backoff until one runs or the runner stops. */
  private async replace(old: Consumer): Promise<void> {
    if (this.replacing) return;
    this.replacing = true;
    try {
      await waitAtMost(
        old.disconnect().catch(() => undefined),
        DISCONNECT_WAIT_MS,
      );
      for (let attempt = 1; !this.stopped; attempt += 1) {
        await sleep(backoff(attempt));
        if (this.stopped) return;
        try {
          await this.connect(); // kafkajs reports a failed join as a crash, not by throwing
          if (!this.running) throw new Error(this.consumerError ?? 'it did not join its group');
          this.logger.log(`a new Kafka consumer runs (attempt ${attempt})`);
          return;
        } catch (error) {
          this.consumerError = `the Kafka consumer could not be replaced: ${(error as Error).message}`;
          this.logger.error(`${this.consumerError} (attempt ${attempt})`);
          await this.consumer?.disconnect().catch(() => undefined);
        }
      }
    } finally {
      this.replacing = false;
      this.progressAt = Date.now();
    }
  }

  /** The watchdog: lag left unread for `stallMs` with no batch in hand means the consumer is stuck. */
  private async checkProgress(): Promise<void> {
    const consumer = this.consumer;
    // A consumer still joining its group (kafkajs bounds that, and crashes if it fails) is not judged.
    if (!consumer || !this.running || this.rebalancing || this.replacing || this.inFlight > 0) return;
    if (Date.now() - this.progressAt < this.stallMs) return;
    const lag = await consumerLag(this.connection.admin, this.options.groupId, this.topics()).then(
      (partitions) => partitions.reduce((sum, partition) => sum + partition.lag, 0),
      () => null, // Kafka itself is away: nothing a new consumer could do better
    );
    if (lag === null || consumer !== this.consumer || this.inFlight > 0) return;
    if (lag === 0 || Date.now() - this.progressAt < this.stallMs) {
      this.progressAt = Date.now();
      return;
    }
    this.running = false;
    this.consumerError = `the Kafka consumer read nothing for ${this.stallMs} ms with ${lag} events waiting`;
    this.logger.error(`${this.consumerError}; replacing it`);
    await this.replace(consumer);
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    this.inFlight += 1;
    try {
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
      await payload.commitOffsetsIfNecessary();
      const last = events[events.length - 1]?.envelope?.occurredAt ?? null;
      const key = `${batch.topic}:${batch.partition}`;
      this.activity.set(key, {
        lastEventAt: last ?? this.activity.get(key)?.lastEventAt ?? null,
        processedAt: new Date().toISOString(),
      });
      await payload.heartbeat();
    } finally {
      this.inFlight -= 1;
      this.progressAt = Date.now();
    }
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
    // Readers may see it now: the documents are written. The offsets
    // committed next only decide where a restart resumes.
    this.options.onApplied?.(result.applied);
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
