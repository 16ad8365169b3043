import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { connectFencing, withTimeout, type KafkaConnection } from '@of/platform';
import {
  CompressionTypes,
  type PartitionMetadata,
  Partitioners,
  type Producer,
  type TopicMessages,
  type Transaction,
} from 'kafkajs';
import {
  type EventPublisher,
  type EventRecord,
  type OpenTransaction,
  PublishError,
  type RecordPosition,
} from './event-publisher';

/**
 * Idempotence needs unbounded retries; our own timeout bounds each call and a
 * failed producer is replaced, which stops its retries. A short first retry
 * matters: the next transaction's AddPartitionsToTxn is refused
 * (CONCURRENT_TRANSACTIONS) until the broker has written the previous
 * commit's markers, a few ms: with one producer nearly every transaction
 * waited one retry (with two, see below, a slow broker still makes some wait),
 * and kafkajs's default first retry is many times longer than the wait.
 * Retries stay close together: with kafkajs's doubling, a broker slow to
 * settle the previous commit kept the next transaction waiting far longer
 * than the broker did.
 */
export const TRANSACTIONAL_RETRY = { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 2, maxRetryTime: 50 };

export interface KafkaPublisherSettings {
  /** The first producer's transactional id; further ones add `-2`, `-3`, ... */
  transactionalId: string;
  /** Producers taking transactions in turn (default 2). */
  producers?: number;
  /** How long one transaction may take before the commands in it get 503. */
  timeoutMs: number;
}

/** One transactional producer of the pool and its connection in progress. */
interface ProducerSlot {
  readonly transactionalId: string;
  producer: Producer | null;
  connecting: Promise<Producer> | null;
  /** Settles when the producer's open transaction (if any) has committed or aborted. */
  idle: Promise<void>;
}

/**
 * Publishes each batch in one Kafka transaction (acks=all, idempotent,
 * exactly-once). After any failure the producer is replaced: a new producer
 * with the same transactional id fences the old one, so a transaction we gave
 * up on can never commit later.
 *
 * Transactions go to two producers in turn. A producer's next transaction is
 * refused (CONCURRENT_TRANSACTIONS) until the broker has written its previous
 * commit's markers; the other producer's previous commit is one transaction
 * older and almost always settled (see docs/decisions/0003). Two
 * producers also let the event store send the next batch while the previous
 * one commits. Order is kept: the store sends a batch only once the previous
 * one has been sent (so its records follow in every partition, and
 * read-committed readers see them in that order), and commits it only once
 * the previous one committed.
 */
export class KafkaEventPublisher implements EventPublisher, OnApplicationShutdown {
  private readonly logger = new Logger(KafkaEventPublisher.name);
  private readonly slots: ProducerSlot[];
  private turn = 0;
  private closed = false;
  /** Each topic's partitions, as the partitioner takes them: records are placed by key here, so their offsets can be told apart. */
  private readonly partitionsOf = new Map<string, PartitionMetadata[]>();
  private readonly partitioner = Partitioners.DefaultPartitioner();

  constructor(
    private readonly connection: KafkaConnection,
    private readonly settings: KafkaPublisherSettings,
  ) {
    const count = settings.producers ?? 2;
    this.slots = Array.from({ length: count }, (_, index) => ({
      transactionalId: index === 0 ? settings.transactionalId : `${settings.transactionalId}-${index + 1}`,
      producer: null,
      connecting: null,
      idle: Promise.resolve(),
    }));
  }

  /** Connects every producer and initializes transactions: fences any earlier producer with our transactional ids. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.connected(slot)));
  }

  async begin(records: EventRecord[]): Promise<OpenTransaction> {
    if (this.closed) throw new PublishError('the command service is shutting down', false);
    const slot = this.slots[this.turn];
    this.turn = (this.turn + 1) % this.slots.length;
    // A producer has one transaction at a time: wait until its last one has settled.
    const previous = slot.idle;
    let settle = (): void => undefined;
    slot.idle = new Promise((resolve) => (settle = resolve));
    await previous;
    let producer: Producer;
    try {
      producer = await withTimeout(this.connected(slot), this.settings.timeoutMs, 'Kafka producer');
    } catch (error) {
      settle();
      throw new PublishError(`Kafka is not reachable: ${(error as Error).message}`, false, error);
    }
    let transaction: Transaction | null = null;
    let positions: RecordPosition[];
    try {
      const placed = await this.place(records);
      const byTopic = new Map<string, TopicMessages>();
      records.forEach((record, index) => {
        let topic = byTopic.get(record.topic);
        if (!topic) byTopic.set(record.topic, (topic = { topic: record.topic, messages: [] }));
        topic.messages.push({
          key: record.key,
          value: record.value,
          headers: record.headers,
          partition: placed[index],
        });
      });
      transaction = await withTimeout(producer.transaction(), this.settings.timeoutMs, 'Kafka transaction');
      const written = await withTimeout(
        transaction.sendBatch({ topicMessages: [...byTopic.values()], acks: -1, compression: CompressionTypes.None }),
        this.settings.timeoutMs,
        'Kafka send',
      );
      positions = positionsOf(records, placed, written);
    } catch (error) {
      // A timed-out send may still be retrying inside kafkajs: the producer is replaced either way.
      if (transaction) await withTimeout(transaction.abort(), 1000, 'Kafka abort').catch(() => undefined);
      this.discardProducer(slot);
      settle();
      throw new PublishError((error as Error).message, false, error);
    }
    const open = transaction;
    return {
      positions,
      commit: async () => {
        try {
          await withTimeout(open.commit(), this.settings.timeoutMs, 'Kafka commit');
        } catch (error) {
          this.discardProducer(slot);
          throw new PublishError((error as Error).message, true, error);
        } finally {
          settle();
        }
      },
      abort: () => this.abort(slot, open).finally(settle),
    };
  }

  /** Sends and commits one transaction. */
  async publish(records: EventRecord[]): Promise<void> {
    await (await this.begin(records)).commit();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const connecting = slot.connecting;
        await slot.producer?.disconnect();
        await connecting?.then((producer) => producer.disconnect()).catch(() => undefined);
      }),
    );
  }

  /** The partition of each record, as Kafka's default partitioner places its key. */
  private async place(records: EventRecord[]): Promise<number[]> {
    const missing = [...new Set(records.map((record) => record.topic))].filter(
      (topic) => !this.partitionsOf.has(topic),
    );
    if (missing.length > 0) {
      const { topics } = await withTimeout(
        this.connection.admin.fetchTopicMetadata({ topics: missing }),
        this.settings.timeoutMs,
        'Kafka metadata',
      );
      for (const topic of topics) {
        this.partitionsOf.set(
          topic.name,
          topic.partitions.map((_, partitionId) => ({
            partitionId,
            leader: 0,
            partitionErrorCode: 0,
            replicas: [],
            isr: [],
          })),
        );
      }
    }
    return records.map((record) =>
      this.partitioner({
        topic: record.topic,
        partitionMetadata: this.partitionsOf.get(record.topic)!,
        message: { key: record.key, value: record.value },
      }),
    );
  }

  private connected(slot: ProducerSlot): Promise<Producer> {
    if (slot.producer) return Promise.resolve(slot.producer);
    slot.connecting ??= this.connect(slot).finally(() => (slot.connecting = null));
    return slot.connecting;
  }

  private async connect(slot: ProducerSlot): Promise<Producer> {
    const producer = this.connection.kafka.producer({
      transactionalId: slot.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 60000,
      allowAutoTopicCreation: false,
      retry: TRANSACTIONAL_RETRY,
    });
    return (slot.producer = await connectFencing(producer));
  }

  /** Aborts an open transaction; a producer that cannot is replaced, and its successor's fencing aborts it. */
  private async abort(slot: ProducerSlot, transaction: Transaction): Promise<void> {
    try {
      await withTimeout(transaction.abort(), 1000, 'Kafka abort');
    } catch {
      this.discardProducer(slot);
    }
  }

  private discardProducer(slot: ProducerSlot): void {
    const old = slot.producer;
    slot.producer = null;
    if (old) {
      this.logger.warn(`replacing the Kafka producer ${slot.transactionalId} after a failed transaction`);
      void old.disconnect().catch(() => undefined);
    }
  }
}

/** Each record's offset: a partition's records of one send are written in order from its base offset. */
function positionsOf(
  records: EventRecord[],
  partitions: number[],
  written: { topicName: string; partition: number; baseOffset?: string }[],
): RecordPosition[] {
  const next = new Map(written.map((meta) => [`${meta.topicName}:${meta.partition}`, Number(meta.baseOffset ?? -1)]));
  return records.map((record, index) => {
    const key = `${record.topic}:${partitions[index]}`;
    const offset = next.get(key) ?? -1;
    next.set(key, offset + 1);
    return { partition: partitions[index], offset };
  });
}
