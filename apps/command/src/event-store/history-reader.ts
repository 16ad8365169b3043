import { type AggregateType, deserializeEnvelope, type EventEnvelope, topicFor, upcasters } from '@of/contracts';
import { InfrastructureError, type KafkaConnection, withTimeout } from '@of/platform';
import { AGGREGATES, type AggregateState, toDomainEvent } from './aggregates';
import { readCommitted } from './event-replayer';
import { POSITION_EVERY } from './state-store';

/** Where a stream's events are in Kafka, as far as the store knows. */
export interface StreamLocation {
  partition: number;
  /** Offsets of versions 1, 1 + POSITION_EVERY, ... (holes where unknown). */
  offsets: readonly number[];
  /** Its last durable version. */
  committed: number;
}

/**
 * An aggregate's durable history, read from Kafka itself, for the admin API:
 * its events and its state as of any version. The store keeps only a sparse
 * index of where a stream's events are; a read starts at the indexed offset
 * at or below the first version asked for and scans that one partition,
 * keeping the stream's own events. What it returns is what Kafka holds,
 * read-committed: fresh as of the request.
 */
export class HistoryReader {
  constructor(
    private readonly connection: KafkaConnection,
    private readonly timeoutMs = 15000,
  ) {}

  /** Events `from`..`to` of a stream, parsed and upcast, in version order. */
  async events(
    type: AggregateType,
    id: string,
    location: StreamLocation,
    from: number,
    to: number,
  ): Promise<EventEnvelope[]> {
    if (from > to) return [];
    const topic = topicFor(type, this.connection.settings.topics);
    const start = startOffset(location.offsets, from);
    const found = new Map<number, EventEnvelope>();
    const read = readCommitted(this.connection, {
      topics: [topic],
      startAt: (name, partition) => (name === topic && partition === location.partition ? start : 'skip'),
      apply: (message) => {
        if (message.key !== id) return;
        const envelope = upcasters.upcast(deserializeEnvelope(message.bytes));
        const version = envelope.aggregateVersion;
        if (envelope.aggregateType === type && version >= from && version <= to) found.set(version, envelope);
      },
      done: () => found.has(to),
    });
    try {
      await withTimeout(read, this.timeoutMs, 'reading history from Kafka');
    } catch (error) {
      throw new InfrastructureError(
        'EVENT_BUS_UNAVAILABLE',
        `The event history cannot be read from Kafka right now: ${(error as Error).message}`,
      );
    }
    const events: EventEnvelope[] = [];
    for (let version = from; version <= to; version += 1) {
      const event = found.get(version);
      // The store only indexes what Kafka acknowledged: a missing event means the log was changed under us.
      if (!event) throw new Error(`event ${version} of ${type} ${id} is not in Kafka where it was written`);
      events.push(event);
    }
    return events;
  }

  /** State as of `version`, folded from the events read back. */
  async stateAt(type: AggregateType, id: string, location: StreamLocation, version: number): Promise<AggregateState> {
    const kind = AGGREGATES[type];
    const events = await this.events(type, id, location, 1, version);
    return events.map(toDomainEvent).reduce((state, event) => kind.evolve(state, event), kind.initialState());
  }
}

/** The indexed offset at or below `version`, or the partition's beginning when none is known. */
function startOffset(offsets: readonly number[], version: number): number | 'beginning' {
  for (let index = Math.floor((version - 1) / POSITION_EVERY); index >= 0; index -= 1) {
    const offset = offsets[index];
    if (offset !== undefined) return offset;
  }
  return 'beginning';
}
