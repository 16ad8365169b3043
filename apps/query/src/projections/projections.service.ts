import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { deadLetterTopic } from '@of/contracts';
import { ensureTopics, KafkaConnection, type MetricsRegistry, MongoConnection } from '@of/platform';
import type { Collection, Document, Filter } from 'mongodb';
import { consumerLag, type PartitionLag, topicSize } from './consumer-lag';
import { CREATION_SECONDS } from './creation-seconds';
import { type Projection, type ReadModelDocument, storageOf } from './projection';
import { assertFilterable, type IdDocument } from './stored-document';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { ProjectionMetrics } from './projection-metrics';
import { ProjectionEngine, type WrittenListener } from './projection-engine';
import { DEFAULT_STALL_MS } from './consumer-supervisor';
import { ProjectionRunner } from './projection-runner';
import { activateGeneration, collectionNamer, readActiveGeneration } from './projection-state';
import { READ_MODELS } from './read-models';

export interface RebuildStatus {
  state: 'idle' | 'running' | 'completed' | 'failed';
  generation: number | null;
  groupId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  eventsApplied: number;
  lag: number | null;
  error: string | null;
}

export class RebuildAlreadyRunningError extends Error {}

/** The most a read-your-writes read of an uncached document waits before asking the server. */
const UNCACHED_WAIT_MS = 1000;

const IDLE: RebuildStatus = {
  state: 'idle',
  generation: null,
  groupId: null,
  startedAt: null,
  finishedAt: null,
  eventsApplied: 0,
  lag: null,
  error: null,
};

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
  /** Versions written to the live read models, by `readModel/id`. */
  private readonly written = new EventEmitter().setMaxListeners(0);
  private live: ProjectionRunner | null = null;
  private rebuilding: ProjectionRunner | null = null;
  private stopping = false;
  generation = 1;
  ready = false;
  startError: string | null = null;
  rebuild: RebuildStatus = { ...IDLE };

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly mongo: MongoConnection,
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
    this.deadLetters = new DeadLetterPublisher(kafka);
  }

  private secondsCache: { generation: number; at: number; seconds: Promise<string[]> } | null = null;

  /**
   * Every creation second of the serving generation, ascending (see
   * creation-seconds.ts); re-read at most once a second.
   */
  creationSeconds(): Promise<string[]> {
    const now = performance.now();
    const cached = this.secondsCache;
    if (cached && cached.generation === this.generation && now - cached.at < 1000) return cached.seconds;
    const seconds = this.collection<{ _id: string }>(CREATION_SECONDS)
      .find({}, { projection: { _id: 1 } })
      .toArray()
      .then((entries) => entries.map((entry) => entry._id).sort());
    this.secondsCache = { generation: this.generation, at: now, seconds };
    seconds.catch(() => {
      if (this.secondsCache?.seconds === seconds) this.secondsCache = null;
    });
    return seconds;
  }

  /** A collection of the generation that serves queries now. */
  collection<T extends Document>(base: string): Collection<T> {
    return this.mongo.db.collection<T>(collectionNamer(this.generation)(base));
  }

  /**
   * The documents of a read model that serve queries now and match `filter`,
   * decoded. The filter may only name the fields the read model keeps as
   * fields (see stored-document.ts).
   */
  async find<T extends ReadModelDocument>(readModel: Projection<T>, filter: Filter<T>): Promise<T[]> {
    const storage = storageOf(readModel);
    assertFilterable(storage, filter, readModel.name);
    const stored = await this.collection<IdDocument>(readModel.name)
      .find(filter as Filter<IdDocument>)
      .toArray();
    return stored.map((document) => storage.decode(document) as unknown as T);
  }

  /**
   * A live read-model document straight from the projection's write-through
   * cache, when it holds it: the same document the server holds, since this
   * process wrote it (the cache is dropped on every rebalance).
   */
  cached<T extends ReadModelDocument>(base: string, id: string): T | undefined {
    return this.engine.cached<T>(collectionNamer(this.generation)(base), id);
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
    await this.live?.stop();
    await this.deadLetters.close();
  }

  /**
   * A live read-model document at `minVersion` or newer (read-your-writes),
   * waiting up to `timeoutMs` for the projection to write it; after that, what
   * there is (older, or null).
   */
  async readAtLeast<T extends ReadModelDocument>(
    projection: Projection<T>,
    id: string,
    minVersion: number,
    timeoutMs: number,
  ): Promise<T | null> {
    const readModel = projection.name;
    const read = async (): Promise<T | null> =>
      this.cached<T>(readModel, id) ?? (await this.find(projection, { _id: id } as Filter<T>))[0] ?? null;
    const cached = this.cached<T>(readModel, id);
    if (minVersion <= 0 || (cached && cached.version >= minVersion)) return cached ?? read();
    // Watch before reading, so a version written in between is not missed.
    const watch = this.waitFor(readModel, id, minVersion, timeoutMs);
    try {
      // Asked for right after its command, a document is almost always in the
      // batch being applied or the next one. While batches are in hand, asking
      // the server first would be a miss that competes with those very writes,
      // and under load it slowed freshness several times over.
      // Documents written long ago and no longer cached wait at most two rounds.
      const live = this.live;
      if (!cached && live?.busy) {
        const rounds = live.roundsApplied(2, UNCACHED_WAIT_MS);
        await Promise.race([watch.reached, rounds.done]);
        rounds.cancel(); // the version may have come first: stop waiting for rounds
      }
      let document = await read();
      if ((document?.version ?? 0) < minVersion && (await watch.reached)) document = await read();
      return document;
    } finally {
      watch.cancel();
    }
  }

  /**
   * Watches for the live `readModel` to hold `version` of `aggregateId`.
   * `reached` resolves true when it does, false after `timeoutMs` or `cancel()`.
   */
  private waitFor(
    readModel: string,
    aggregateId: string,
    version: number,
    timeoutMs: number,
  ): { reached: Promise<boolean>; cancel(): void } {
    const key = `${readModel}/${aggregateId}`;
    let finish: (reached: boolean) => void = () => undefined;
    const reached = new Promise<boolean>((resolve) => {
      const listener = (written: number): void => {
        if (written >= version) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      finish = (result) => {
        clearTimeout(timer);
        this.written.off(key, listener);
        resolve(result);
      };
      this.written.on(key, listener);
    });
    return { reached, cancel: () => finish(false) };
  }

  async status(): Promise<Record<string, unknown>> {
    const topics = this.topics();
    const admin = this.kafka.admin;
    const partitions: (PartitionLag & { lastEventAt: string | null })[] = (
      await consumerLag(admin, this.live?.options.groupId ?? '', topics)
    ).map((lag) => ({
      ...lag,
      lastEventAt: this.live?.activity.get(`${lag.topic}:${lag.partition}`)?.lastEventAt ?? null,
    }));
    const deadLetters: Record<string, number> = {};
    for (const topic of topics) deadLetters[deadLetterTopic(topic)] = await topicSize(admin, deadLetterTopic(topic));
    if (this.rebuilding && this.rebuild.state === 'running') {
      this.rebuild.eventsApplied = this.rebuilding.eventsApplied;
      this.rebuild.lag = (await consumerLag(admin, this.rebuilding.options.groupId, topics)).reduce(
        (sum, p) => sum + p.lag,
        0,
      );
    }
    const lastEventAt =
      partitions
        .map((p) => p.lastEventAt)
        .filter((at): at is string => at !== null)
        .sort()
        .pop() ?? null;
    return {
      generation: this.generation,
      groupId: this.live?.options.groupId ?? null,
      running: this.live?.running ?? false,
      lag: partitions.reduce((sum, p) => sum + p.lag, 0),
      lastEventAt,
      partitions,
      deadLetters,
      deadLetterCount: Object.values(deadLetters).reduce((sum, count) => sum + count, 0),
      lastError: this.lastError,
      rebuild: this.rebuild,
    };
  }

  /** Starts a rebuild into a fresh generation; the live one keeps serving until the switch. */
  async startRebuild(): Promise<RebuildStatus> {
    if (this.rebuild.state === 'running') throw new RebuildAlreadyRunningError('A rebuild is already running.');
    const generation = this.generation + 1;
    const groupId = `${this.baseGroupId}-g${generation}-${randomUUID().slice(0, 8)}`;
    const namer = collectionNamer(generation);
    await this.dropGeneration(generation);
    await this.engine.ensureIndexes(namer);
    const runner = new ProjectionRunner(this.kafka, this.engine, this.deadLetters, {
      groupId,
      collection: namer,
      metrics: this.metrics,
      stallMs: this.stallMs,
    });
    this.rebuilding = runner;
    this.rebuild = { ...IDLE, state: 'running', generation, groupId, startedAt: new Date().toISOString() };
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
        const active = await readActiveGeneration(this.mongo.db, this.baseGroupId);
        this.generation = active.generation;
        const namer = collectionNamer(active.generation);
        await this.engine.ensureIndexes(namer);
        this.live = this.runner(active.groupId, active.generation);
        await this.live.start();
        this.ready = true;
        this.startError = null;
        this.logger.log(`projecting into generation ${active.generation} as group ${active.groupId}`);
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

  private readonly notify: WrittenListener = (readModel, written) => {
    for (const [id, version] of written) this.written.emit(`${readModel}/${id}`, version);
  };

  private runner(groupId: string, generation: number): ProjectionRunner {
    return new ProjectionRunner(this.kafka, this.engine, this.deadLetters, {
      groupId,
      collection: collectionNamer(generation),
      onWritten: this.notify,
      metrics: this.metrics,
      stallMs: this.stallMs,
    });
  }

  private async switchWhenCaughtUp(runner: ProjectionRunner, generation: number): Promise<void> {
    try {
      while (!this.stopping) {
        const lag = (await consumerLag(this.kafka.admin, runner.options.groupId, this.topics())).reduce(
          (sum, p) => sum + p.lag,
          0,
        );
        this.rebuild.lag = lag;
        this.rebuild.eventsApplied = runner.eventsApplied;
        if (lag === 0 && runner.lastError === null) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (this.stopping) return;
      const previous = this.generation;
      const switched = await activateGeneration(
        this.mongo.db,
        { _id: 'active', generation, groupId: runner.options.groupId, activatedAt: new Date().toISOString() },
        previous,
      );
      if (!switched) throw new Error('the active generation changed during the rebuild');
      // The rebuilt generation serves from now on; its runner becomes the live one.
      const old = this.live;
      runner.options.onWritten = this.notify;
      this.generation = generation;
      this.live = runner;
      await old?.stop();
      this.rebuilding = null;
      this.rebuild = {
        ...this.rebuild,
        state: 'completed',
        finishedAt: new Date().toISOString(),
        lag: 0,
        eventsApplied: runner.eventsApplied,
      };
      this.logger.log(`rebuild complete: generation ${generation} now serves queries`);
      await this.dropGeneration(previous);
    } catch (error) {
      this.rebuild = {
        ...this.rebuild,
        state: 'failed',
        error: (error as Error).message,
        finishedAt: new Date().toISOString(),
      };
      this.logger.error(`rebuild failed: ${(error as Error).message}`);
      await runner.stop().catch(() => undefined);
      this.rebuilding = null;
    }
  }

  private async dropGeneration(generation: number): Promise<void> {
    const namer = collectionNamer(generation);
    const names = READ_MODELS.flatMap((model) => [
      model.name,
      ...(model.extraCollections ?? []).map((extra) => extra.name),
    ]);
    for (const name of names) {
      await this.mongo.db.dropCollection(namer(name)).catch(() => undefined);
    }
  }
}
