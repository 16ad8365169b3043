import type { AggregateType } from '@of/contracts';
import { AGGREGATES, type AggregateState, type DomainEvent, type StoredState } from './aggregates';
import type { RecordPosition } from './event-publisher';
import type { StreamLocation } from './history-reader';
import { POSITION_EVERY, type StateStore, type StateWriteBatch } from './state-store';

/** What undoes one staged event: the state before it, and the allocation entry it changed. */
interface Undo {
  state: AggregateState;
  allocation: { orderId: string; held: number | undefined } | null;
}

/** One aggregate's stream as memory holds it: its decided state, not its events. */
export interface Stream {
  type: AggregateType;
  id: string;
  /** The version of `state`, staged events included. */
  version: number;
  /** Versions up to here are durable in Kafka; the rest wait for their commit. */
  committed: number;
  state: AggregateState;
  /** The partition of its events (one key, one partition); -1 until known. */
  partition: number;
  /** The offset of its first event there; -1 until known. */
  firstOffset: number;
  /** One entry per staged event, oldest first: what a rollback restores. */
  undo: Undo[];
}

/** What one event changed, in the form the state store keeps; captured when it is staged. */
export interface StateChange {
  stream: Stream;
  version: number;
  stored: StoredState;
  /** The allocation entry it changed: units held now, and whether the entry is new (none held before). */
  allocation: { orderId: string; held: number; created: boolean } | null;
}

/** Where Kafka put an event's record. */
export interface CommittedPosition extends RecordPosition {
  topic: string;
}

/**
 * The state registry: the current state of the products and of every stream
 * with events waiting for their commit, over the state store that holds all
 * committed state. An order leaves memory once the store holds its state; a
 * command on it reads it back. It knows nothing of Kafka: the group commit
 * tells it what committed, and what to roll back.
 */
export class StreamRegistry {
  /** By type, then id: no key to build per lookup. */
  private readonly streams: Record<AggregateType, Map<string, Stream>> = { Order: new Map(), Inventory: new Map() };
  private events: number;
  private streamTotal: number;

  constructor(readonly store: StateStore) {
    ({ events: this.events, streams: this.streamTotal } = store.counts());
  }

  /** Current state and version, including staged events (decisions build on them). */
  read(type: AggregateType, id: string): { state: AggregateState; version: number } {
    const stream = this.streams[type].get(id) ?? this.loaded(type, id);
    return stream
      ? { state: stream.state, version: stream.version }
      : { state: AGGREGATES[type].initialState(), version: 0 };
  }

  committedVersion(type: AggregateType, id: string): number {
    const stream = this.streams[type].get(id);
    return stream ? stream.committed : (this.store.load(type, id)?.version ?? 0);
  }

  /** Where a stream's durable events are in Kafka; null if it has none. */
  locate(type: AggregateType, id: string): StreamLocation | null {
    const stream = this.streams[type].get(id) ?? this.loaded(type, id);
    if (!stream || stream.committed === 0) return null;
    const offsets = this.store.offsets(type, id);
    if (stream.firstOffset >= 0) offsets[0] = stream.firstOffset;
    return { partition: stream.partition, offsets, committed: stream.committed };
  }

  /** Events ever committed or staged. */
  get eventCount(): number {
    return this.events;
  }

  /** Aggregates ever created. */
  get streamCount(): number {
    return this.streamTotal;
  }

  /** Streams held in memory now. */
  get residentCount(): number {
    return this.streams.Order.size + this.streams.Inventory.size;
  }

  /**
   * Adds an event a command decided: the state moves on at once, durable
   * later. A `minted` id names a new stream: the store is not asked for it.
   */
  stage(type: AggregateType, id: string, event: DomainEvent, minted = false): StateChange {
    const stream = this.resident(type, id, minted);
    const kind = AGGREGATES[type];
    const orderId = kind.allocationKey(event);
    const allocation = orderId === null ? null : { orderId, held: kind.allocations(stream.state)?.get(orderId) };
    stream.undo.push({ state: stream.state, allocation });
    if (stream.version === 0) this.streamTotal += 1;
    this.events += 1;
    return this.advance(stream, event, orderId);
  }

  /**
   * Applies an event read back from Kafka (durable by definition). Returns
   * its change, or what its version means otherwise: a duplicate of one the
   * stream has, or a gap (with the version expected).
   */
  restore(
    type: AggregateType,
    id: string,
    version: number,
    event: () => DomainEvent,
  ): StateChange | 'duplicate' | number {
    const stream = this.streams[type].get(id) ?? this.loaded(type, id);
    const held = stream?.version ?? 0;
    if (version <= held) return 'duplicate';
    if (version > held + 1) return held + 1;
    const decoded = event(); // may throw: then nothing changes
    const resident = stream ?? this.resident(type, id);
    if (!this.streams[type].has(id)) this.streams[type].set(id, resident);
    if (resident.version === 0) this.streamTotal += 1;
    this.events += 1;
    const change = this.advance(resident, decoded, AGGREGATES[type].allocationKey(decoded));
    resident.committed = version;
    return change;
  }

  /** Version `change.version` is durable at `position`: the stream moves on, and `batch` notes what to store. */
  commit(change: StateChange, position: CommittedPosition | null, batch: StateWriteBatch): void {
    const { stream, version } = change;
    if (stream.committed < version) {
      stream.committed = version;
      stream.undo.shift();
    }
    if (position && position.offset >= 0) {
      stream.partition = position.partition;
      batch.covered(position.topic, position.partition, position.offset);
      if (version === 1) {
        stream.firstOffset = position.offset;
      } else if ((version - 1) % POSITION_EVERY === 0) {
        batch.offsets.push({
          type: stream.type,
          id: stream.id,
          index: (version - 1) / POSITION_EVERY,
          offset: position.offset,
        });
      }
    }
    const { partition, firstOffset } = stream;
    batch.stream(stream.type, stream.id, { version, partition, firstOffset, state: change.stored });
    if (change.allocation) {
      const { orderId, held, created } = change.allocation;
      batch.allocation(stream.id, orderId, held, created);
    }
    batch.events += 1;
    if (version === 1) batch.newStreams += 1;
  }

  /**
   * Writes `batch` to the state store; once it is there, streams that need
   * not stay resident (orders) leave memory unless they have staged events.
   */
  async persist(batch: StateWriteBatch): Promise<void> {
    await this.store.write(batch);
    for (const { type, id, stored } of batch.streams.values()) {
      const stream = this.streams[type].get(id);
      // Only if the store now holds its latest state: a later commit of it may
      // still wait for the next write, and a staged event for its commit.
      if (stream && stream.version === stored.version && stream.committed === stored.version) {
        if (!AGGREGATES[type].resident) this.streams[type].delete(id);
      }
    }
  }

  /** Drops a stream's staged events: it returns to its last committed state. */
  rollback(stream: Stream): void {
    const kind = AGGREGATES[stream.type];
    for (let undo = stream.undo.pop(); undo; undo = stream.undo.pop()) {
      const held = kind.allocations(stream.state);
      if (undo.allocation && held) {
        if (undo.allocation.held === undefined) held.delete(undo.allocation.orderId);
        else held.set(undo.allocation.orderId, undo.allocation.held);
      }
      stream.state = undo.state;
      stream.version -= 1;
      this.events -= 1;
    }
    if (stream.committed === 0) {
      this.streams[stream.type].delete(stream.id);
      this.streamTotal -= 1;
    }
  }

  /** Forgets memory: what a resync rebuilds from the state store and Kafka (await the store's writes first). */
  clear(): void {
    for (const streams of Object.values(this.streams)) streams.clear();
    ({ events: this.events, streams: this.streamTotal } = this.store.counts());
  }

  private advance(stream: Stream, event: DomainEvent, orderId: string | null): StateChange {
    const kind = AGGREGATES[stream.type];
    const created = orderId !== null && kind.allocations(stream.state)?.get(orderId) === undefined;
    stream.state = kind.evolve(stream.state, event);
    stream.version += 1;
    return {
      stream,
      version: stream.version,
      stored: kind.toStored(stream.state),
      allocation:
        orderId === null ? null : { orderId, held: kind.allocations(stream.state)?.get(orderId) ?? 0, created },
    };
  }

  /** The stream in memory, brought in from the store (or new) if it is not. */
  private resident(type: AggregateType, id: string, minted = false): Stream {
    let stream = this.streams[type].get(id);
    if (!stream) {
      stream = (minted ? null : this.loaded(type, id)) ?? {
        type,
        id,
        version: 0,
        committed: 0,
        state: AGGREGATES[type].initialState(),
        partition: -1,
        firstOffset: -1,
        undo: [],
      };
      this.streams[type].set(id, stream);
    }
    return stream;
  }

  /** The stream as the state store holds it, not made resident; null if it has none. */
  private loaded(type: AggregateType, id: string): Stream | null {
    const stored = this.store.load(type, id);
    if (!stored) return null;
    const { version, partition, firstOffset } = stored;
    const state = AGGREGATES[type].fromStored(stored.state, stored.allocations);
    return { type, id, version, committed: version, state, partition, firstOffset, undo: [] };
  }
}
