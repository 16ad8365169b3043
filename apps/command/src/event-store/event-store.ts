import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  aggregateTypeOfTopic,
  type AggregateType,
  deserializeEnvelope,
  type EventEnvelope,
  topicFor,
  type TopicNames,
  upcasters,
  validatePayload,
} from '@of/contracts';
import { ConcurrencyConflictError, InfrastructureError } from '@of/platform';
import { type AggregateState, type DomainEvent, toDomainEvent } from './aggregates';
import type { EventPublisher, EventRecord, RecordPosition } from './event-publisher';
import { GroupCommit, type GroupCommitOptions } from './group-commit';
import type { StreamLocation } from './history-reader';
import { MemoryStateStore } from './memory-state-store';
import type { StateStore } from './state-store';
import { StateWriter } from './state-writer';
import { envelopeJson, scanAggregateVersion } from './stored-event';
import { type StateChange, StreamRegistry } from './stream-registry';

export interface StreamChange {
  type: AggregateType;
  id: string;
  /** The version the decision was made against; 0 for a new stream. */
  expectedVersion: number;
  events: DomainEvent[];
  /**
   * The id was just minted by this app (a new UUID): no stream can have
   * it, so neither memory nor the state store is asked (a registration would
   * otherwise look up an order that cannot exist, in the store, twice).
   */
  minted?: boolean;
}

export interface CommandContext {
  correlationId: string;
  /** Shared by all events of one command. */
  causationId: string;
  now: Date;
  /**
   * Kafka headers for the command's last event (e.g. the idempotency record),
   * computed once the events are staged, so they can describe the outcome.
   */
  headers?: () => Record<string, string>;
}

export interface AppendResult {
  /** The new version of each stream, by `type:id`. */
  versions: Map<string, number>;
  /** Resolves when Kafka holds every event; rejects (and nothing is kept) when it cannot. */
  durable: Promise<void>;
}

export interface VersionGap {
  aggregateType: AggregateType;
  aggregateId: string;
  expectedVersion: number;
  foundVersion: number;
}

export interface EventStoreOptions extends GroupCommitOptions {
  /** Where committed state is kept (default: memory only, for tests and tools). */
  stateStore?: StateStore;
  /** How long committed changes gather before they are written to the state store (default 200 ms). */
  stateWriteIntervalMs?: number;
}

/** How many replayed events are written to the state store at a time. */
const REPLAY_WRITE_EVERY = 20_000;

const streamKey = (type: AggregateType, id: string): string => `${type}:${id}`;

/**
 * The in-memory event store, with Kafka as its durable log. It stages a
 * command's events at once (versions checked, state evolved: the state
 * registry), makes them durable in Kafka in groups (the group commit), and
 * knows where each stream's events are in Kafka (for the history reader).
 * Recovery feeds it what Kafka holds.
 */
export class EventStore {
  private readonly logger = new Logger(EventStore.name);
  private readonly registry: StreamRegistry;
  private readonly commits: GroupCommit;
  private readonly writer: StateWriter;
  readonly gaps: VersionGap[] = [];

  constructor(
    publisher: EventPublisher,
    private readonly topics: TopicNames,
    options: EventStoreOptions = {},
  ) {
    this.registry = new StreamRegistry(options.stateStore ?? new MemoryStateStore());
    this.writer = new StateWriter(this.registry, options.stateWriteIntervalMs);
    this.commits = new GroupCommit(publisher, this.registry, this.writer, options);
  }

  get stateStore(): StateStore {
    return this.registry.store;
  }

  /** Called when a commit's outcome is unknown and memory must be rebuilt from Kafka. */
  get onOutcomeUnknown(): () => void {
    return this.commits.onOutcomeUnknown;
  }

  set onOutcomeUnknown(handler: () => void) {
    this.commits.onOutcomeUnknown = handler;
  }

  /** Current state and version, including staged events (decisions build on them). */
  read(type: AggregateType, id: string): { state: AggregateState; version: number } {
    return this.registry.read(type, id);
  }

  /** Where a stream's durable events are in Kafka (for the history reader); null if it has none. */
  locate(type: AggregateType, id: string): StreamLocation | null {
    return this.registry.locate(type, id);
  }

  committedVersion(type: AggregateType, id: string): number {
    return this.registry.committedVersion(type, id);
  }

  /** Commands staged and waiting for their Kafka commit. */
  get pendingCommits(): number {
    return this.commits.pendingCommits;
  }

  get eventCount(): number {
    return this.registry.eventCount;
  }

  get streamCount(): number {
    return this.registry.streamCount;
  }

  /** Aggregates held in memory now: products, open orders, and streams with staged events. */
  get residentCount(): number {
    return this.registry.residentCount;
  }

  /** Set while memory may differ from Kafka; commands are refused until a resync clears it. */
  get unsyncedReason(): string | null {
    return this.commits.unsyncedReason;
  }

  /**
   * Stages the events of one command on one or more streams, atomically.
   * Throws ConcurrencyConflictError if any stream moved past its expected version.
   */
  append(changes: StreamChange[], context: CommandContext): AppendResult {
    const unsynced = this.commits.unsyncedReason;
    if (unsynced) {
      throw new InfrastructureError('EVENT_BUS_UNAVAILABLE', `The event store is resynchronizing: ${unsynced}`);
    }
    for (const change of changes) {
      const actual = change.minted ? 0 : this.read(change.type, change.id).version;
      if (actual !== change.expectedVersion) throw new ConcurrencyConflictError(change.expectedVersion, actual);
    }
    const occurredAt = context.now.toISOString();
    const staged: { type: AggregateType; envelope: EventEnvelope; event: DomainEvent; minted: boolean }[] = [];
    for (const change of changes) {
      change.events.forEach((event, index) => {
        validatePayload(event.type, event.data);
        staged.push({
          type: change.type,
          event,
          minted: change.minted === true,
          envelope: {
            eventId: randomUUID(),
            eventType: event.type,
            schemaVersion: 1,
            aggregateType: change.type,
            aggregateId: change.id,
            aggregateVersion: change.expectedVersion + index + 1,
            occurredAt,
            correlationId: context.correlationId,
            causationId: context.causationId,
            payload: event.data,
          },
        });
      });
    }

    const versions = new Map<string, number>();
    for (const change of changes) versions.set(streamKey(change.type, change.id), change.expectedVersion);
    const records: EventRecord[] = [];
    const marks: StateChange[] = [];
    for (const { type, envelope, event, minted } of staged) {
      const value = envelopeJson(envelope, JSON.stringify(envelope.payload));
      const mark = this.registry.stage(type, envelope.aggregateId, event, minted);
      versions.set(streamKey(type, envelope.aggregateId), envelope.aggregateVersion);
      marks.push(mark);
      // No per-event headers: the envelope already says the type and correlation,
      // and kafkajs decodes headers slowly (replay reads about twice as fast without).
      records.push({ topic: topicFor(type, this.topics), key: envelope.aggregateId, value, headers: {} });
    }
    if (records.length === 0) return { versions, durable: Promise.resolve() };
    if (context.headers) Object.assign(records[records.length - 1].headers, context.headers());

    return { versions, durable: this.commits.enqueue(records, marks) };
  }

  /**
   * Takes one event read back from Kafka during recovery. The stream comes
   * from the topic and the message key (the aggregate id), the version from a
   * scan of the bytes: an event the state already holds is skipped without
   * being parsed. A message without a key or a readable version is parsed.
   */
  replay(topic: string, key: string | null, value: Buffer, position: RecordPosition): void {
    let type = this.typeOf(topic);
    let id = key;
    let version = scanAggregateVersion(value);
    let parsed: EventEnvelope | null = null;
    if (id === null || id === '' || version === null) {
      parsed = deserializeEnvelope(value);
      [type, id, version] = [parsed.aggregateType, parsed.aggregateId, parsed.aggregateVersion];
    }
    const [streamType, streamId, streamVersion] = [type, id, version];
    const outcome = this.registry.restore(type, id, version, () => {
      const envelope = upcasters.upcast(parsed ?? deserializeEnvelope(value));
      if (
        envelope.aggregateType !== streamType ||
        envelope.aggregateId !== streamId ||
        envelope.aggregateVersion !== streamVersion
      ) {
        // Only a foreign writer could cause this; the event cannot be placed.
        throw new Error(
          `the event keyed ${streamType} ${streamId} version ${streamVersion} is ` +
            `${envelope.aggregateType} ${envelope.aggregateId} version ${envelope.aggregateVersion}`,
        );
      }
      return toDomainEvent(envelope);
    });
    const at = { topic, ...position };
    if (typeof outcome === 'object') {
      this.registry.commit(outcome, at, this.writer.batch);
      return;
    }
    this.writer.batch.covered(topic, position.partition, position.offset);
    if (typeof outcome === 'number') {
      if (this.gaps.length < 1000) {
        this.gaps.push({ aggregateType: type, aggregateId: id, expectedVersion: outcome, foundVersion: version });
      }
      this.logger.error(`version gap in ${type} ${id}: expected ${outcome}, found ${version}`);
    }
  }

  /**
   * Writes what replay applied to the state store; with `whenLarge`, only
   * once enough has gathered. Finished streams then leave memory, so a
   * replay of any length holds no more than what can still change.
   */
  async persistReplayed(whenLarge = false): Promise<void> {
    if (whenLarge && this.writer.gathered < REPLAY_WRITE_EVERY) return;
    await this.writer.flush();
  }

  /**
   * Forgets memory before a resync from the state store and Kafka, once what
   * committed is in the store; with `discard`, drops what was not yet written
   * (the store is being emptied).
   */
  async reset(discard = false): Promise<void> {
    if (discard) this.writer.discard();
    await this.writer.flush();
    await this.registry.store.flushed();
    this.registry.clear();
    this.gaps.length = 0;
  }

  markSynced(): void {
    this.commits.markSynced();
  }

  /** Resolves once nothing is waiting for Kafka or the state store (graceful shutdown). */
  async drain(): Promise<void> {
    await this.commits.drain();
    await this.writer.flush();
    await this.registry.store.flushed();
  }

  private typeOf(topic: string): AggregateType {
    const type = aggregateTypeOfTopic(topic, this.topics);
    if (type === null) throw new Error(`${topic} is not an event topic of this store`);
    return type;
  }
}
