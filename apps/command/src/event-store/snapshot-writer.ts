import { Logger } from '@nestjs/common';
import type { KafkaConnection } from '@of/platform';
import type { Message, Producer } from 'kafkajs';
import { manifestMessage, type SnapshotRound, type SnapshotSource, snapshotMessages } from './state-snapshot';

/** Records per Kafka transaction of a round; a product's entries never straddle two. */
const RECORDS_PER_TRANSACTION = 5000;

export interface SnapshotWriterOptions {
  topic: string;
  /** The writer's own transactional id (fences an earlier instance's writer). */
  transactionalId: string;
  intervalMs: number;
}

/**
 * Snapshot rounds: every interval, what the state store changed since the
 * last round goes to the compacted snapshot topic, from one consistent view
 * of the store, and the round's manifest last, saying which offsets of the
 * event partitions it covers. A round too large for one transaction takes
 * several; only its last carries the manifest, so a round cut short by a
 * crash is not taken for complete (its entries are sent again next round).
 * The store only holds what Kafka committed, so no snapshot claims a version
 * the events do not have.
 */
export class SnapshotWriter {
  private readonly logger = new Logger('Snapshots');
  private producer: Producer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** When the last round finished and what it sent, for health and metrics. */
  last: { at: string; records: number; durationMs: number } | null = null;
  /** Set while a round is being written. */
  inProgress = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly store: SnapshotSource,
    private readonly options: SnapshotWriterOptions,
  ) {}

  get topic(): string {
    return this.options.topic;
  }

  /** Starts the rounds; `ready` says whether the store is consistent with Kafka now (not mid-recovery). */
  start(ready: () => boolean): void {
    const tick = () => {
      this.timer = setTimeout(() => {
        if (!this.stopped && ready()) void this.round().finally(tick);
        else tick();
      }, this.options.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /** Writes one round now (or waits for the one running); resolves with the records sent. */
  round(): Promise<void> {
    this.running ??= this.write()
      .catch((error: unknown) => this.logger.error(`snapshot round failed: ${(error as Error).message}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.producer?.disconnect();
    this.producer = null;
  }

  private async write(): Promise<void> {
    const round = this.store.changesToSnapshot();
    if (!round) return;
    const started = performance.now();
    this.inProgress = true;
    this.logger.log(`snapshot round: writing ${round.entries.length} entries`);
    try {
      const producer = await this.connected();
      const chunks = chunked(round);
      for (const [index, messages] of chunks.entries()) {
        const transaction = await producer.transaction();
        try {
          const last = index === chunks.length - 1;
          await transaction.send({
            topic: this.options.topic,
            messages: last ? [...messages, manifestMessage(round.manifest)] : messages,
          });
          await transaction.commit();
        } catch (error) {
          await transaction.abort().catch(() => undefined);
          throw error;
        }
      }
      await this.store.snapshotTaken(round.upTo);
    } catch (error) {
      // A producer in an unknown state is replaced at the next round.
      await this.producer?.disconnect().catch(() => undefined);
      this.producer = null;
      throw error;
    } finally {
      this.inProgress = false;
    }
    const durationMs = Math.round(performance.now() - started);
    this.last = { at: new Date().toISOString(), records: round.entries.length, durationMs };
    this.logger.log(`snapshot round: ${round.entries.length} entries written in ${durationMs} ms`);
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.connection.kafka.producer({
      transactionalId: this.options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }
}

/**
 * The round's records in transactions of about RECORDS_PER_TRANSACTION, a
 * product's header and its allocation entries always in the same one: a
 * restore that stops at an incomplete round never pairs a product with
 * allocations of another version.
 */
function chunked(round: SnapshotRound): Message[][] {
  const messages = snapshotMessages(round);
  const groupOf = (key: (string | number)[]): string =>
    key[0] === 'a' ? `Inventory:${key[1]}` : key[0] === 's' ? `${key[1]}:${key[2]}` : JSON.stringify(key);
  const groups = new Map<string, Message[]>();
  round.entries.forEach(({ key }, index) => {
    const group = groupOf(key);
    const members = groups.get(group);
    if (members) members.push(messages[index]);
    else groups.set(group, [messages[index]]);
  });
  const chunks: Message[][] = [[]];
  for (const members of groups.values()) {
    const current = chunks[chunks.length - 1];
    if (current.length > 0 && current.length + members.length > RECORDS_PER_TRANSACTION) chunks.push([...members]);
    else current.push(...members);
  }
  return chunks;
}
