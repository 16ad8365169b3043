import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { connectFencing, type KafkaConnection } from '@of/platform';
import { CompressionTypes, type Message, type Producer, type Transaction } from 'kafkajs';
import type { SnapshotObserver } from './snapshot-metrics';
import { manifestMessage, type SnapshotSource, snapshotMessages } from './state-snapshot';

/** Changed keys gathered before their values are read: a key changed twice within them is sent once. */
const DEDUPLICATION_WINDOW = 5000;
/**
 * Entries read from the store at a time. Reading and encoding them holds the
 * event loop, so a read is kept to a few milliseconds and commands run
 * between reads (a read of thousands held the commands behind it for tens of
 * milliseconds).
 */
const ENTRIES_PER_READ = 250;
/**
 * Bytes per send: Kafka takes one send's records for a partition as one
 * record batch, and refuses a batch over the topic's max.message.bytes (1 MB
 * by default). kafkajs encodes a send's records in one go, so a send is also
 * kept small enough not to hold the event loop for long.
 */
const SEND_BYTES = 256 * 1024;
/** What a record costs beyond its key and value, about (headers, framing). */
const RECORD_OVERHEAD_BYTES = 64;
/** The longest a round's transaction may stay open (a first round after a rebuild sends the whole store). */
const ROUND_TIMEOUT_MS = 10 * 60 * 1000;

export interface SnapshotWriterOptions {
  topic: string;
  /** The writer's own transactional id (fences an earlier instance's writer). */
  transactionalId: string;
  intervalMs: number;
  observer?: SnapshotObserver;
}

/**
 * Snapshot rounds: every interval, what the state store changed since the
 * last round goes to the compacted snapshot topic, from one consistent view
 * of the store, and the round's manifest last, saying which offsets of the
 * event partitions it covers, all in one Kafka transaction: a round cut short
 * by a crash is aborted as a whole (its entries are sent again next round).
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

  /**
   * Connects the writer's producer, which fences an earlier instance's
   * writer: a round it left open (a crash mid-round) is aborted now, not when
   * its transaction times out. A restore reads the snapshot topic committed
   * up to its end, so it must come after this.
   */
  async ready(): Promise<void> {
    await this.connected();
  }

  /** Writes one round now (or waits for the one running); a failed round is logged and retried at the next. */
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
    const round = this.store.openSnapshotRound();
    if (!round) return;
    const started = performance.now();
    this.logger.log('snapshot round: writing');
    let entries = 0;
    try {
      const producer = await this.connected();
      const transaction = await producer.transaction();
      try {
        // One transaction for the whole round: a round cut short leaves nothing
        // visible. Read a few entries at a time, so commands run in between.
        const { generation, schema } = round.manifest;
        const sends = new SendBuffer();
        for (const chunk of round.chunks(DEDUPLICATION_WINDOW, ENTRIES_PER_READ)) {
          entries += chunk.length;
          for (const message of snapshotMessages(chunk, generation, schema)) {
            const full = sends.add(message);
            if (full) await this.send(transaction, full);
          }
          await nextTurn();
        }
        const rest = sends.take();
        if (rest) await this.send(transaction, rest);
        await transaction.send({ topic: this.options.topic, messages: [manifestMessage(round.manifest)] });
        await transaction.commit();
      } catch (error) {
        await transaction.abort().catch(() => undefined);
        throw error;
      }
      await this.store.snapshotTaken(round.upTo);
    } catch (error) {
      this.options.observer?.round('failed', entries, (performance.now() - started) / 1000);
      // A producer in an unknown state is replaced at the next round.
      await this.producer?.disconnect().catch(() => undefined);
      this.producer = null;
      throw error;
    } finally {
      round.done();
    }
    const elapsedMs = performance.now() - started;
    this.options.observer?.round('written', entries, elapsedMs / 1000);
    const durationMs = Math.round(elapsedMs);
    this.last = { at: new Date().toISOString(), records: entries, durationMs };
    this.logger.log(`snapshot round: ${entries} entries written in ${durationMs} ms`);
  }

  private async send(transaction: Transaction, messages: Message[]): Promise<void> {
    // Compressed: a round's records are JSON states of one shape, which gzip
    // shrinks several-fold (the changelog's cost in Kafka bytes), and zlib
    // works off the event loop.
    await transaction.send({ topic: this.options.topic, messages, compression: CompressionTypes.GZIP });
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.connection.kafka.producer({
      transactionalId: this.options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: ROUND_TIMEOUT_MS,
    });
    return (this.producer = await connectFencing(producer));
  }
}

/** Gathers records into sends of at most SEND_BYTES (a larger record goes alone). */
class SendBuffer {
  private messages: Message[] = [];
  private bytes = 0;

  /** Adds a record; returns the records gathered before it when it would overflow them. */
  add(message: Message): Message[] | null {
    const size = String(message.key).length + (message.value?.length ?? 0) + RECORD_OVERHEAD_BYTES;
    const full = this.messages.length > 0 && this.bytes + size > SEND_BYTES ? this.take() : null;
    this.messages.push(message);
    this.bytes += size;
    return full;
  }

  /** The records gathered, if any, and an empty buffer. */
  take(): Message[] | null {
    const messages = this.messages;
    [this.messages, this.bytes] = [[], 0];
    return messages.length > 0 ? messages : null;
  }
}
