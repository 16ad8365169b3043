import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { KafkaConnection } from '@of/platform';
import type { KafkaMessage } from 'kafkajs';

/**
 * One committed event as read back. Replay needs only the value of most
 * events, so the key, headers and timestamp are decoded only when asked for:
 * decoding them for every event was a large share of the replay's time.
 */
export class ReplayedMessage {
  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly message: KafkaMessage,
  ) {}

  get offset(): string {
    return this.message.offset;
  }

  get value(): string {
    return this.bytes.toString('utf8');
  }

  /** The value (every record has one, unless the plan reads `tombstones`). */
  get bytes(): Buffer {
    return this.message.value as Buffer;
  }

  /** The value, or null for a tombstone (read only with `tombstones` in the plan). */
  get nullableBytes(): Buffer | null {
    return this.message.value;
  }

  get key(): string | null {
    return this.message.key?.toString() ?? null;
  }

  get timestamp(): number {
    return Number(this.message.timestamp);
  }

  header(name: string): string | undefined {
    return this.message.headers?.[name]?.toString();
  }
}

/** Called for every committed event, in partition order. */
export type ReplayHandler = (message: ReplayedMessage) => void;

export interface ReplayReport {
  events: number;
  skipped: number;
  durationMs: number;
}

/** Where to read a partition from: its beginning, an offset, or not at all. */
export type StartAt = 'beginning' | number | 'skip';

export interface ReadPlan {
  topics: string[];
  /** Where each partition is read from (default: its beginning). */
  startAt?: (topic: string, partition: number) => StartAt;
  apply: ReplayHandler;
  /** Awaited after each fetched batch is applied (e.g. to write what it applied), before the next. */
  afterBatch?: () => Promise<void>;
  /** Hands records without a value (compacted topics' tombstones) to `apply` too. */
  tombstones?: boolean;
  /** Checked after each batch: true ends the read before the end of the partitions. */
  done?: () => boolean;
}

/**
 * Reads the event topics (read-committed, from the start) and resolves once
 * every partition is read up to the end it had when the replay began. Call it
 * after the transactional producer has connected: that fences any earlier
 * instance, so no transaction of ours is left open to wait on.
 */
export function replayTopics(connection: KafkaConnection, apply: ReplayHandler): Promise<ReplayReport> {
  const topics = [connection.settings.topics.orderEvents, connection.settings.topics.inventoryEvents];
  return readCommitted(connection, { topics, apply });
}

/**
 * Reads committed events from where the plan says up to the end each
 * partition had when the read began (or until `done`), in partition order.
 */
export async function readCommitted(connection: KafkaConnection, plan: ReadPlan): Promise<ReplayReport> {
  const logger = new Logger('EventReplay');
  // The monotonic clock: this VM's wall clock is adjusted now and then (by
  // Date.now(), one replay took 32.6 s in an app that was ready after 16.0 s).
  const started = performance.now();
  const admin = connection.admin;
  await admin.connect();

  // Where each partition ends now; reading past these points is not needed.
  // The high watermark, not the last stable offset: a commit is acknowledged
  // before its markers are written, and a transaction committed but not yet
  // marked lies past the stable offset (a read-back right after a commit
  // stopped short of it). Reading committed up to the watermark waits for it.
  const remaining = new Map<string, bigint>();
  const seeks: { topic: string; partition: number; offset: string }[] = [];
  const firstWanted = new Map<string, bigint>();
  for (const topic of plan.topics) {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic, { readUncommitted: true })) {
      const start = plan.startAt?.(topic, partition) ?? 'beginning';
      const from = start === 'beginning' ? BigInt(low) : start === 'skip' ? BigInt(high) : BigInt(start);
      firstWanted.set(`${topic}:${partition}`, from);
      if (start !== 'beginning') seeks.push({ topic, partition, offset: String(from) });
      if (BigInt(high) > from) remaining.set(`${topic}:${partition}`, BigInt(high));
    }
  }
  let events = 0;
  let skipped = 0;
  if (remaining.size === 0) return { events, skipped, durationMs: Math.round(performance.now() - started) };

  const groupId = `${connection.settings.clientId}-replay-${randomUUID()}`;
  const consumer = connection.kafka.consumer({
    groupId,
    readUncommitted: false,
    // Small fetches beat large ones: kafkajs copies each response into a new
    // buffer, and a large one is fresh memory the kernel must fault in page by
    // page.
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: 8 * 1024 * 1024,
    sessionTimeout: 30000,
  });
  let finish: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // Batch events carry the last offset read, control records included, so a
  // partition that ends with a transaction marker is still seen as finished.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const key = `${payload.topic}:${payload.partition}`;
    const end = remaining.get(key);
    if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) {
      remaining.delete(key);
      if (remaining.size === 0) finish();
    }
    if (plan.done?.()) finish();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => fail(payload.error));

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: plan.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        const first = firstWanted.get(`${batch.topic}:${batch.partition}`) ?? 0n;
        for (const message of batch.messages) {
          if ((!message.value && !plan.tombstones) || BigInt(message.offset) < first) continue;
          try {
            plan.apply(new ReplayedMessage(batch.topic, batch.partition, message));
            events += 1;
          } catch (error) {
            skipped += 1;
            logger.error(
              `unreadable event at ${batch.topic}/${batch.partition}@${message.offset}: ${(error as Error).message}`,
            );
          }
        }
        await plan.afterBatch?.();
      },
    });
    for (const seek of seeks) consumer.seek(seek);
    await done;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return { events, skipped, durationMs: Math.round(performance.now() - started) };
}
