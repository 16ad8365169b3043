import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  ensureTopics,
  InfrastructureError,
  KafkaConnection,
  type MetricsRegistry,
  MongoConnection,
} from '@of/platform';
import { consumerLag } from './consumer-lag';
import type { ConsumedEvent } from './parsed-event';
import { DeadLetterPublisher } from '../dead-letters/dead-letter.publisher';
import type { DeadLetterStore } from '../dead-letters/dead-letter-store';
import { ProjectionMetrics } from './projection-metrics';
import { type DeadLetter, ProjectionEngine } from './projection-engine';
import { DEFAULT_STALL_MS } from './consumer-supervisor';
import { ProjectionRunner } from './projection-runner';
import { untilCaughtUp } from './rebuild-catch-up';
import { activateGeneration, collectionNamer, dropGeneration, readActiveGeneration } from './projection-state';
import { finishedRebuild, IDLE, projectionsStatus, type RebuildStatus } from './projections-status';
import { READ_MODELS, READ_MODELS_SCHEMA } from './read-models';
import { ServingReadModels } from './serving-read-models';
import { WrittenVersions } from './written-versions';
import { type FlushPolicy, REBUILD_FLUSH } from '../read-store/write-behind';

export class RebuildAlreadyRunningError extends Error {}

/**
 * Runs the live projections and, on request, a rebuild into a fresh
 * generation of collections that replaces the live one once it has caught up.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionsService.name);
  private readonly engine: ProjectionEngine;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly metrics: ProjectionMetrics | undefined;
  private readonly written = new WrittenVersions();
  private live: ProjectionRunner | null = null;
  private rebuilding: ProjectionRunner | null = null;
  /** The generation a rebuild replaced, being stopped and dropped. */
  private retiring: Promise<void> | null = null;
  private stopping = false;
  generation = 1;
  /** The read-model schema the serving generation was built by (see READ_MODELS_SCHEMA). */
  schema = READ_MODELS_SCHEMA;
  ready = false;
  startError: string | null = null;
  rebuild: RebuildStatus = { ...IDLE };
  /** What the query endpoints read: the generation that serves now. */
  readonly readModels: ServingReadModels;

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly mongo: MongoConnection,
    private readonly deadLetterStore: DeadLetterStore,
    private readonly baseGroupId: string,
    metricsRegistry?: MetricsRegistry,
    /** See RunnerOptions.stallMs. */
    private readonly stallMs = DEFAULT_STALL_MS,
  ) {
    this.metrics = metricsRegistry
      ? new ProjectionMetrics(metricsRegistry, () =>
          consumerLag(this.kafka.admin, this.live?.options.groupId ?? '', this.topics()),
        )
      : undefined;
    this.engine = new ProjectionEngine(mongo.db, READ_MODELS, (readModel, events, seconds) =>
      this.metrics?.readModelApplied(readModel, events, seconds),
    );
    this.deadLetters = new DeadLetterPublisher(kafka, deadLetterStore);
    this.readModels = new ServingReadModels(mongo.db, this.engine, this.written, () => ({
      generation: this.generation,
      schema: this.schema,
      live: this.live,
    }));
  }

  get lastError(): string | null {
    return this.live?.lastError ?? this.startError;
  }

  /** The live consumer is in its group (not starting, crashed or being replaced). */
  get consuming(): boolean {
    return this.live?.running ?? false;
  }

  onApplicationBootstrap(): void {
    void this.startLive();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.rebuilding?.stop();
    await this.retiring;
    await this.live?.stop();
    await this.deadLetters.close();
  }

  /**
   * Applies an event again to the serving generation, between two batches of
   * the live projection (a dead letter, after a fix). Null when every read
   * model has it now; else why it still cannot be applied.
   */
  async applyAgain(event: ConsumedEvent): Promise<DeadLetter | null> {
    if (!this.live?.running) {
      throw new InfrastructureError('NOT_READY', 'The projections are not running; try again shortly.');
    }
    const [still] = await this.live.applyAlone([event]);
    return still ?? null;
  }

  status(): Promise<Record<string, unknown>> {
    return projectionsStatus({
      admin: this.kafka.admin,
      topics: this.topics(),
      generation: this.generation,
      schema: this.schema,
      live: this.live,
      rebuilding: this.rebuilding,
      rebuild: this.rebuild,
      lastError: this.lastError,
    });
  }

  /** Starts a rebuild into a fresh generation; the live one keeps serving until the switch. */
  async startRebuild(reason: RebuildStatus['reason'] = 'requested'): Promise<RebuildStatus> {
    if (this.rebuild.state === 'running') throw new RebuildAlreadyRunningError('A rebuild is already running.');
    const generation = this.generation + 1;
    const groupId = `${this.baseGroupId}-g${generation}-${randomUUID().slice(0, 8)}`;
    await dropGeneration(this.mongo.db, generation);
    await this.engine.ensureIndexes(collectionNamer(generation));
    const runner = this.runner(groupId, generation, { flush: REBUILD_FLUSH });
    this.rebuilding = runner;
    this.rebuild = { ...IDLE, state: 'running', generation, groupId, startedAt: new Date().toISOString(), reason };
    await runner.start();
    void this.switchWhenCaughtUp(runner, generation);
    return this.rebuild;
  }

  private topics(): string[] {
    return [this.kafka.settings.topics.orderEvents, this.kafka.settings.topics.inventoryEvents];
  }

  private async startLive(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      try {
        await this.kafka.admin.connect();
        await ensureTopics(this.kafka.admin, this.kafka.settings);
        const active = await readActiveGeneration(this.mongo.db, this.baseGroupId, READ_MODELS_SCHEMA);
        this.generation = active.generation;
        this.schema = active.schema ?? 1;
        await this.engine.ensureIndexes(collectionNamer(active.generation));
        await this.deadLetterStore.ensureIndexes();
        this.live = this.runner(active.groupId, active.generation);
        await this.live.start();
        this.ready = true;
        this.startError = null;
        this.logger.log(`projecting into generation ${active.generation} as group ${active.groupId}`);
        if (this.schema !== READ_MODELS_SCHEMA && this.rebuild.state !== 'running') {
          this.logger.warn(
            `generation ${active.generation} was built by read-model schema ${this.schema}, this code writes ` +
              `schema ${READ_MODELS_SCHEMA}: rebuilding it while it serves`,
          );
          await this.startRebuild('schema');
        }
        return;
      } catch (error) {
        this.startError = (error as Error).message;
        this.logger.error(`could not start the projections (attempt ${attempt}): ${this.startError}`);
        await this.live?.stop().catch(() => undefined);
        this.live = null;
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * attempt)));
      }
    }
  }

  /** The live runner tells read-your-writes readers what it wrote; a rebuild's holds shared documents longer. */
  private runner(groupId: string, generation: number, rebuild?: { flush: FlushPolicy }): ProjectionRunner {
    return new ProjectionRunner(this.kafka, this.engine, this.deadLetters, {
      groupId,
      generation,
      collection: collectionNamer(generation),
      onWritten: rebuild ? undefined : this.written.notify,
      flush: rebuild?.flush,
      metrics: this.metrics,
      stallMs: this.stallMs,
    });
  }

  private async switchWhenCaughtUp(runner: ProjectionRunner, generation: number): Promise<void> {
    // What served until the switch: stopped and dropped once the new generation serves.
    let previous = this.generation;
    let old: ProjectionRunner | null = null;
    try {
      await untilCaughtUp(runner, {
        admin: this.kafka.admin,
        topics: this.topics(),
        progress: this.rebuild,
        stopping: () => this.stopping,
      });
      if (this.stopping) return;
      previous = this.generation;
      await activateGeneration(
        this.mongo.db,
        { generation, groupId: runner.options.groupId, schema: READ_MODELS_SCHEMA },
        previous,
      );
      // The rebuilt generation serves from now on; its runner becomes the live one.
      old = this.live;
      runner.options.onWritten = this.written.notify;
      runner.options.flush = undefined; // from now on, written behind as the live projection's are
      this.generation = generation;
      this.schema = READ_MODELS_SCHEMA;
      this.live = runner;
      this.rebuilding = null;
      // Complete once it serves (the status shows both at once); the old generation goes next.
      this.rebuild = finishedRebuild(this.rebuild, { eventsApplied: runner.eventsApplied });
      this.logger.log(`rebuild complete: generation ${generation} now serves queries`);
    } catch (error) {
      this.rebuild = finishedRebuild(this.rebuild, { error: (error as Error).message });
      this.logger.error(`rebuild failed: ${(error as Error).message}`);
      await runner.stop().catch(() => undefined);
      this.rebuilding = null;
      return;
    }
    // The new generation serves: a failure from here on only leaves the old one's collections behind.
    this.retiring = (async () => {
      await old?.stop();
      await dropGeneration(this.mongo.db, previous);
    })().catch((error: unknown) =>
      this.logger.warn(`generation ${previous} was not dropped: ${(error as Error).message}`),
    );
    await this.retiring;
  }
}
