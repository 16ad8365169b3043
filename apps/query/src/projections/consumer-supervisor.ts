import type { Logger } from '@nestjs/common';
import type { KafkaConnection } from '@of/platform';
import type { Consumer } from 'kafkajs';
import { consumerLag } from './consumer-lag';
import type { PartitionOffset } from './offset-committer';

export const DEFAULT_STALL_MS = 30000;
const MAX_BACKOFF_MS = 5000;
/** A stuck consumer may never finish disconnecting; its replacement does not wait for it. */
const DISCONNECT_WAIT_MS = 10000;

export const backoff = (attempt: number): number => Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(attempt, 6));
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export const waitAtMost = (promise: Promise<unknown>, ms: number): Promise<unknown> =>
  Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);

export interface SupervisorOptions {
  groupId: string;
  topics: string[];
  /** A consumer that leaves lag unread this long, with no batch in hand, is replaced. */
  stallMs: number;
  logger: Logger;
  /** Subscribes nothing, just runs the (already subscribed) consumer: `consumer.run({...})`. */
  run(consumer: Consumer): Promise<void>;
  /** Each time a consumer joins its group (partitions may have moved). */
  onJoin(): void;
  /** Each time the last batch in hand finishes (a round of one fetch's partitions ends). */
  onIdle?(): void;
}

/**
 * Keeps one kafkajs consumer of a group running. kafkajs restarts a consumer
 * after a retriable crash only; some crashes that follow a broker restart are
 * not retriable (no group coordinator yet, kafkajs#1630), and the consumer
 * would then sit idle while the app looks healthy. Such a consumer, or one
 * that has joined its group but leaves lag unread for `stallMs` with no batch
 * in hand, is replaced by a new one, with backoff, until one runs.
 */
export class ConsumerSupervisor {
  private consumer: Consumer | null = null;
  private stopped = false;
  private replacing = false;
  private rebalancing = false;
  private watchdog: NodeJS.Timeout | null = null;
  /** Batches handed over and not yet finished. */
  private inFlight = 0;
  /** When a batch last finished or a consumer last joined its group (monotonic: wall-clock steps are no stall). */
  private progressAt = performance.now();
  /** Why no consumer runs, until one has joined the group again. */
  error: string | null = null;
  /** A consumer is in the group and fetching. */
  running = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly options: SupervisorOptions,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
    const every = Math.max(250, this.options.stallMs / 3);
    this.watchdog ??= setInterval(() => void this.checkProgress(), every).unref();
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

  /** A batch is in hand now. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Commits offsets for the group, as the member the consumer is now. */
  async commitOffsets(offsets: PartitionOffset[]): Promise<void> {
    if (!this.consumer) throw new Error('no Kafka consumer runs');
    await this.consumer.commitOffsets(offsets);
  }

  /** Wraps the handling of one batch, so the watchdog knows a batch is in hand. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      this.progressAt = performance.now();
      if (this.inFlight === 0) this.options.onIdle?.();
    }
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
      this.error = null;
      this.progressAt = performance.now();
      this.running = true;
      this.options.onJoin();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (consumer !== this.consumer || this.stopped) return;
      this.running = false;
      this.error = `the Kafka consumer crashed: ${payload.error.message}`;
      this.options.logger.error(`${this.error}; ${payload.restart ? 'kafkajs restarts it' : 'replacing it'}`);
      if (!payload.restart) void this.replace(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await this.options.run(consumer);
    if (this.stopped) await this.stop(); // stop() came while this consumer was connecting
  }

  /** Replaces the consumer, so that a new one reads again from the committed offsets. */
  async restart(reason: string): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || this.stopped) return;
    this.running = false;
    this.error = reason;
    await this.replace(consumer);
  }

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
          if (!this.running) throw new Error(this.error ?? 'it did not join its group');
          this.options.logger.log(`a new Kafka consumer runs (attempt ${attempt})`);
          return;
        } catch (error) {
          this.error = `the Kafka consumer could not be replaced: ${(error as Error).message}`;
          this.options.logger.error(`${this.error} (attempt ${attempt})`);
          await this.consumer?.disconnect().catch(() => undefined);
        }
      }
    } finally {
      this.replacing = false;
      this.progressAt = performance.now();
    }
  }

  /** The watchdog: lag left unread for `stallMs` with no batch in hand means the consumer is stuck. */
  private async checkProgress(): Promise<void> {
    const consumer = this.consumer;
    const { stallMs } = this.options;
    // A consumer still joining its group (kafkajs bounds that, and crashes if it fails) is not judged.
    if (!consumer || !this.running || this.rebalancing || this.replacing || this.inFlight > 0) return;
    if (performance.now() - this.progressAt < stallMs) return;
    const lag = await consumerLag(this.connection.admin, this.options.groupId, this.options.topics).then(
      (partitions) => partitions.reduce((sum, partition) => sum + partition.lag, 0),
      () => null, // Kafka itself is away: nothing a new consumer could do better
    );
    if (lag === null || consumer !== this.consumer || this.inFlight > 0) return;
    if (lag === 0 || performance.now() - this.progressAt < stallMs) {
      this.progressAt = performance.now();
      return;
    }
    this.running = false;
    this.error = `the Kafka consumer read nothing for ${stallMs} ms with ${lag} events waiting`;
    this.options.logger.error(`${this.error}; replacing it`);
    await this.replace(consumer);
  }
}
