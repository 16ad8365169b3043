import { type AggregateType, deserializeEnvelope, type EventEnvelope, upcasters } from '@of/contracts';
import { AGGREGATES, type AggregateState, type DomainEvent, toDomainEvent } from './aggregates';
import { EventLog } from './event-log';
import type { RecordPosition } from './event-publisher';

/**
 * Every how many versions a stream notes where its event is in Kafka: the
 * history reader starts reading at the noted offset below the first version
 * it wants (a sparse index: a stream of n events notes n / 100 + 1 offsets).
 */
export const POSITION_EVERY = 100;

/** One aggregate's stream as the store holds it. */
export interface Stream {
  type: AggregateType;
  id: string;
  /** Where each event's text is in the event log, index = version - 1. */
  positions: number[];
  /** Versions up to here are durable in Kafka; the rest wait for their commit. */
  committed: number;
  /** Null until a command needs it: replay and rollback leave the fold for later. */
  state: AggregateState | null;
  /** The partition of its events (all of a stream's events share its key, so one partition); -1 until known. */
  partition: number;
  /** Offsets of versions 1, 1 + POSITION_EVERY, 1 + 2 * POSITION_EVERY, ... as far as known. */
  offsets: number[];
}

function fold(type: AggregateType, events: readonly EventEnvelope[]): AggregateState {
  const kind = AGGREGATES[type];
  return events.map(toDomainEvent).reduce((state, event) => kind.evolve(state, event), kind.initialState());
}

/**
 * The state registry: every stream, its current state (staged events
 * included) and how far it is durable. It knows nothing of Kafka: the group
 * commit tells it what committed, and what to roll back.
 */
export class StreamRegistry {
  /** By type, then id: no key to build per lookup (replay looks up every event's stream). */
  private readonly streams: Record<AggregateType, Map<string, Stream>> = { Order: new Map(), Inventory: new Map() };
  private readonly log = new EventLog();
  private totalEvents = 0;

  /** Current state and version, including staged events (decisions build on them). */
  read(type: AggregateType, id: string): { state: AggregateState; version: number } {
    const stream = this.streams[type].get(id);
    return stream
      ? { state: this.stateOf(stream), version: stream.positions.length }
      : { state: AGGREGATES[type].initialState(), version: 0 };
  }

  /** The stream, null if it has no event. */
  find(type: AggregateType, id: string): Stream | null {
    return this.streams[type].get(id) ?? null;
  }

  get eventCount(): number {
    return this.totalEvents;
  }

  get streamCount(): number {
    return Object.values(this.streams).reduce((count, streams) => count + streams.size, 0);
  }

  /** Adds an event a command decided: the state moves on at once, durable later. */
  stage(type: AggregateType, id: string, event: DomainEvent, text: string): Stream {
    const stream = this.stream(type, id);
    stream.state = AGGREGATES[type].evolve(this.stateOf(stream), event);
    stream.positions.push(this.log.append(text));
    this.totalEvents += 1;
    return stream;
  }

  /**
   * Adds an event read back from Kafka (durable by definition), as its bytes.
   * Returns what its version means for the stream: the next one, a
   * duplicate, or a gap (with the version expected).
   */
  restore(
    type: AggregateType,
    id: string,
    version: number,
    bytes: Uint8Array,
    position: RecordPosition,
  ): 'applied' | 'duplicate' | number {
    const stream = this.stream(type, id);
    const expected = stream.positions.length + 1;
    if (version < expected) return 'duplicate';
    if (version > expected) return expected;
    stream.positions.push(this.log.appendBytes(bytes));
    stream.committed = stream.positions.length;
    this.notePosition(stream, version, position);
    stream.state = null;
    this.totalEvents += 1;
    return 'applied';
  }

  /** Versions up to `version` are durable; `position` is where Kafka put that version's event, if known. */
  markCommitted(stream: Stream, version: number, position: RecordPosition | null): void {
    stream.committed = Math.max(stream.committed, version);
    if (position) this.notePosition(stream, version, position);
  }

  private notePosition(stream: Stream, version: number, position: RecordPosition): void {
    stream.partition = position.partition;
    if ((version - 1) % POSITION_EVERY === 0) stream.offsets[(version - 1) / POSITION_EVERY] = position.offset;
  }

  /** Drops a stream's staged events: its state is folded again from what is durable. */
  rollback(stream: Stream): void {
    const dropped = stream.positions.length - stream.committed;
    if (dropped <= 0) return;
    this.totalEvents -= dropped;
    // The dropped texts stay in the log unreferenced: a few bytes per failed commit.
    stream.positions.length = stream.committed;
    if (stream.committed === 0) {
      this.streams[stream.type].delete(stream.id);
      return;
    }
    stream.state = null;
  }

  /** Forgets everything; used before a full resync from Kafka. */
  clear(): void {
    for (const streams of Object.values(this.streams)) streams.clear();
    this.log.clear();
    this.totalEvents = 0;
  }

  /** State as of `version`, folded from the stream's events. */
  foldUpTo(stream: Stream, version: number): AggregateState {
    return fold(stream.type, this.eventsOf(stream, 1, version));
  }

  /**
   * Events `from`..`to` of a stream, parsed and upcast. Each must be the one
   * its place says: replay placed it by message key and a scan of its bytes.
   */
  eventsOf(stream: Stream, from: number, to: number): EventEnvelope[] {
    const events: EventEnvelope[] = [];
    for (let version = from; version <= to; version += 1) {
      const envelope = upcasters.upcast(deserializeEnvelope(this.log.read(stream.positions[version - 1])));
      if (
        envelope.aggregateType !== stream.type ||
        envelope.aggregateId !== stream.id ||
        envelope.aggregateVersion !== version
      ) {
        // Only a foreign writer could cause this; the stream cannot be trusted.
        throw new Error(
          `event ${version} of ${stream.type} ${stream.id} is ${envelope.aggregateType} ` +
            `${envelope.aggregateId} version ${envelope.aggregateVersion}`,
        );
      }
      events.push(envelope);
    }
    return events;
  }

  private stream(type: AggregateType, id: string): Stream {
    let stream = this.streams[type].get(id);
    if (!stream) {
      stream = { type, id, positions: [], committed: 0, state: null, partition: -1, offsets: [] };
      this.streams[type].set(id, stream);
    }
    return stream;
  }

  private stateOf(stream: Stream): AggregateState {
    stream.state ??= this.foldUpTo(stream, stream.positions.length);
    return stream.state;
  }
}
