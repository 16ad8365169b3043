import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ensureTopics, KafkaConnection } from '@of/platform';
import { IdempotencyStore } from '../command-handling/idempotency.store';
import { RecoveryState } from '../command-handling/recovery-state';
import { EventStore } from './event-store';
import { readCommitted } from './event-replayer';
import { KafkaEventPublisher } from './kafka-event-publisher';
import { LmdbStateStore, STATE_SCHEMA } from './lmdb-state-store';
import { SnapshotWriter } from './snapshot-writer';
import { ensureSnapshotTopic, restoreSnapshot } from './state-snapshot';
import { partitionKey } from './state-store';

/**
 * A replay allocates fast, so V8 grows its young generation (up to the
 * --max-semi-space-size the app starts with) and leaves it grown. One full
 * collection afterwards, when the app is started with --expose-gc, gives
 * that memory back before the app takes traffic.
 */
function releaseReplayMemory(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Rebuilds memory from Kafka at start (and after a commit whose outcome is
 * unknown), and lets in-flight commands finish on shutdown.
 */
@Injectable()
export class RecoveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RecoveryService.name);
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly publisher: KafkaEventPublisher,
    private readonly store: EventStore,
    private readonly idempotency: IdempotencyStore,
    private readonly state: RecoveryState,
    private readonly snapshots: SnapshotWriter,
    private readonly stateStore: LmdbStateStore,
  ) {
    if (store.stateStore !== stateStore)
      throw new Error('the event store must keep its state in the state store recovered here');
    store.onOutcomeUnknown = () => this.recover();
  }

  onApplicationBootstrap(): void {
    this.recover();
    this.snapshots.start(() => this.state.ready);
  }

  /** Starts a (re)build unless one is running; commands are refused until it is done. */
  recover(): void {
    this.state.ready = false;
    this.running ??= this.untilRecovered().finally(() => (this.running = null));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.state.stopping = true;
    await this.store.drain();
    await this.snapshots.stop();
    await this.stateStore.close();
  }

  private async untilRecovered(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      try {
        await this.rebuild();
        return;
      } catch (error) {
        this.state.error = (error as Error).message;
        this.logger.error(`recovery attempt ${attempt} failed: ${(error as Error).message}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * attempt)));
      }
    }
  }

  private async rebuild(): Promise<void> {
    await this.kafka.admin.connect();
    await ensureTopics(this.kafka.admin, this.kafka.settings);
    // Connecting the transactional producers fences any earlier instance and
    // settles its open transactions (events, and a snapshot round cut short)
    // before we read.
    await this.publisher.ready();
    await this.snapshots.ready();
    await this.store.reset();
    await ensureSnapshotTopic(this.kafka.admin, this.snapshots.topic);
    const topics = [this.kafka.settings.topics.orderEvents, this.kafka.settings.topics.inventoryEvents];
    const ahead = await this.checkpointAhead(this.stateStore.checkpoint(), topics);
    if (ahead) await this.emptyStore(ahead);
    if (this.stateStore.checkpoint().size === 0) await this.restoreFromSnapshot(topics);
    const checkpoint = this.stateStore.checkpoint();
    this.idempotency.clear();
    for (const record of this.stateStore.responses(this.idempotency.windowStart))
      this.idempotency.restoreRecord(record);

    const full = checkpoint.size === 0;
    const progress = new ReplayProgress(this.logger, full ? 'rebuilding the state store from the events' : null);
    const report = await readCommitted(this.kafka, {
      topics,
      startAt: (topic, partition) => checkpoint.get(partitionKey(topic, partition)) ?? 'beginning',
      apply: (message) => {
        this.store.replay(message.topic, message.key, message.bytes, {
          partition: message.partition,
          offset: Number(message.offset),
        });
        this.idempotency.restore(message);
        progress.count();
      },
      afterBatch: () => this.store.persistReplayed(true),
    });
    await this.store.persistReplayed();
    this.store.markSynced();
    releaseReplayMemory();
    this.state.lastReplay = { ...report, finishedAt: new Date().toISOString() };
    this.state.error = null;
    this.state.ready = true;
    const rate = report.durationMs > 0 ? Math.round((report.events * 1000) / report.durationMs) : report.events;
    this.logger.log(
      `recovered: ${report.events} events replayed from ${full ? 'the beginning' : "the state store's checkpoint"} ` +
        `in ${report.durationMs} ms (${rate}/s); ${this.store.streamCount} aggregates, ` +
        `${this.store.residentCount} in memory` +
        (this.store.gaps.length > 0 ? `; ${this.store.gaps.length} version gap(s) found` : ''),
    );
  }

  /** Fills an empty state store from the snapshot topic, if it holds a usable snapshot. */
  private async restoreFromSnapshot(topics: string[]): Promise<void> {
    const started = performance.now();
    const outcome = await restoreSnapshot(this.kafka, this.stateStore, this.snapshots.topic, STATE_SCHEMA);
    if (outcome.restored) {
      const ahead = await this.checkpointAhead(this.stateStore.checkpoint(), topics);
      if (ahead) {
        await this.emptyStore(`the snapshot does not match the event topics: ${ahead}`);
        return;
      }
      await this.store.reset();
      this.logger.log(
        `restored the state store from ${this.snapshots.topic}: ${outcome.entries} entries, ` +
          `${outcome.manifest.events} events' worth, in ${Math.round(performance.now() - started)} ms`,
      );
      return;
    }
    this.logger.log(`no snapshot restored (${outcome.reason}): the state store is rebuilt from the events`);
    if (outcome.generation > 0) {
      await this.emptyStore('what a snapshot without a usable manifest left', outcome.generation);
    }
  }

  /** Empties the state store (its next snapshots outrank every generation up to `seen`) and memory. */
  private async emptyStore(reason: string, seen = 0): Promise<void> {
    await this.stateStore.clear(reason);
    await this.stateStore.outrank(seen);
    await this.store.reset(true);
  }

  /**
   * Why the state store cannot be trusted, or null: a checkpoint past the end
   * of its partition means Kafka lost or replaced what the store was built
   * from (topics recreated, a new cluster), so the store is rebuilt.
   */
  private async checkpointAhead(checkpoint: Map<string, number>, topics: string[]): Promise<string | null> {
    if (checkpoint.size === 0) return null;
    for (const topic of topics) {
      for (const { partition, high } of await this.kafka.admin.fetchTopicOffsets(topic, { readUncommitted: true })) {
        const next = checkpoint.get(partitionKey(topic, partition)) ?? 0;
        if (next > Number(high)) {
          return `it covers ${topic}/${partition} up to offset ${next}, but Kafka ends at ${high}`;
        }
      }
    }
    return null;
  }
}

/** Logs a long replay's progress every ten seconds, so a rebuild is visibly moving. */
class ReplayProgress {
  private events = 0;
  private readonly started = performance.now();
  private lastLog = this.started;

  constructor(
    private readonly logger: Logger,
    private readonly what: string | null,
  ) {
    if (what) logger.log(`${what}: started`);
  }

  count(): void {
    this.events += 1;
    if ((this.events & 1023) !== 0) return;
    const now = performance.now();
    if (now - this.lastLog < 10_000) return;
    this.lastLog = now;
    const seconds = (now - this.started) / 1000;
    this.logger.log(
      `${this.what ?? 'replaying the events since the checkpoint'}: ${this.events} events in ${Math.round(seconds)} s ` +
        `(${Math.round(this.events / seconds)}/s)`,
    );
  }
}
