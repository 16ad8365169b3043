import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ensureTopics, KafkaConnection } from '@of/platform';
import { IdempotencyStore } from '../commands/idempotency.store';
import { RecoveryState } from '../commands/recovery-state';
import { EventStore } from './event-store';
import { replayTopics } from './event-replayer';
import { KafkaEventPublisher } from './kafka-event-publisher';

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
  ) {
    store.onOutcomeUnknown = () => this.recover();
  }

  onApplicationBootstrap(): void {
    this.recover();
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
    // Connecting the transactional producer fences any earlier instance and
    // settles its open transaction before we read.
    await this.publisher.ready();
    this.store.reset();
    this.idempotency.clear();
    const report = await replayTopics(this.kafka, (message) => {
      this.store.replay(message.topic, message.key, message.bytes, {
        partition: message.partition,
        offset: Number(message.offset),
      });
      this.idempotency.restore(message);
    });
    this.store.markSynced();
    releaseReplayMemory();
    this.state.lastReplay = { ...report, finishedAt: new Date().toISOString() };
    this.state.error = null;
    this.state.ready = true;
    const rate = report.durationMs > 0 ? Math.round((report.events * 1000) / report.durationMs) : report.events;
    this.logger.log(
      `recovered ${report.events} events into ${this.store.streamCount} aggregates in ${report.durationMs} ms (${rate}/s)` +
        (this.store.gaps.length > 0 ? `; ${this.store.gaps.length} version gap(s) found` : ''),
    );
  }
}
