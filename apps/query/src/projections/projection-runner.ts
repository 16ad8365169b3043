import { Logger } from '@nestjs/common';
import type { KafkaConnection } from '@of/platform';
import type { Consumer } from 'kafkajs';
import type { DeadLetterPublisher } from './dead-letter.publisher';
import { BatchCoalescer } from './batch-coalescer';
import { parseEvent } from './parsed-event';
import type { CollectionNamer } from './projection';
import type { ProjectionEngine } from './projection-engine';
import type { ProjectionMetrics } from './projection-metrics';

export interface RunnerOptions {
  groupId: string;
  collection: CollectionNamer;
  /** Called after each batch is durable, with the newest version written per aggregate. */
  onApplied?: (applied: Map<string, number>) => void;
  metrics?: ProjectionMetrics;
}

export interface PartitionActivity {
  lastEventAt: string | null;
  processedAt: string;
}

const MAX_BACKOFF_MS = 5000;
/**
 * Partition batches kafkajs may hand over at once; the coalescer merges
 * them. Partitions never share a document (an order's entries follow the
 * order, a product's status the product; creation seconds are insert-only).
 */
const PARTITIONS_AT_ONCE = 64;

/**
 * One consumer group feeding one generation of the read models. A batch's
 * offsets are committed only after its writes (and its dead letters) are
 * durable; while MongoDB fails, the batch is retried with backoff and the
 * partition waits. Nothing is skipped.
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private consumer: Consumer | null = null;
  private readonly coalescer: BatchCoalescer;
  readonly activity = new Map<string, PartitionActivity>();
  eventsApplied = 0;
  deadLettered = 0;
  lastError: string | null = null;
  running = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly engine: ProjectionEngine,
    private readonly deadLetters: DeadLetterPublisher,
    readonly options: RunnerOptions,
  ) {
    this.logger = new Logger(`ProjectionRunner ${options.groupId}`);
    this.coalescer = new BatchCoalescer((events) => this.engine.apply(events, this.options.collection));
  }

  async start(): Promise<void> {
    const topics = [this.connection.settings.topics.orderEvents, this.connection.settings.topics.inventoryEvents];
    const consumer = this.connection.kafka.consumer({
      groupId: this.options.groupId,
      readUncommitted: false,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    // Partitions may have moved to another instance and back: its writes are not in our cache.
    consumer.on(consumer.events.GROUP_JOIN, () => this.engine.forget());
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    this.running = true;
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
      eachBatch: async (payload) => {
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
        for (let attempt = 1; ; attempt += 1) {
          if (!payload.isRunning() || payload.isStale()) return; // not committed: the batch comes again
          try {
            const result = await this.coalescer.submit(events);
            await this.deadLetters.publish(result.deadLetters);
            // Readers may see it now: the documents are written. The offsets
            // committed below only decide where a restart resumes.
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
              topic: batch.topic,
              partition: batch.partition,
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
            this.lastError = null;
            break;
          } catch (error) {
            this.engine.forget(); // some writes may have landed: read them again
            this.lastError = (error as Error).message;
            this.options.metrics?.batchFailed();
            const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(attempt, 6));
            this.logger.error(
              `batch ${batch.topic}/${batch.partition} failed (attempt ${attempt}), retrying in ${delay} ms: ${this.lastError}`,
            );
            await new Promise((resolve) => setTimeout(resolve, delay));
            await payload.heartbeat().catch(() => undefined);
          }
        }
        payload.resolveOffset(batch.lastOffset());
        await payload.commitOffsetsIfNecessary();
        const last = events[events.length - 1]?.envelope?.occurredAt ?? null;
        const key = `${batch.topic}:${batch.partition}`;
        this.activity.set(key, {
          lastEventAt: last ?? this.activity.get(key)?.lastEventAt ?? null,
          processedAt: new Date().toISOString(),
        });
        await payload.heartbeat();
      },
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
