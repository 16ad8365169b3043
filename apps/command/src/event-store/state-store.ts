import type { AggregateType } from '@of/contracts';
import type { StoredState } from './aggregates';

/**
 * Every how many versions a stream notes where its event is in Kafka: the
 * history reader starts reading at the noted offset below the first version
 * it wants (a sparse index: a stream of n events notes n / 100 + 1 offsets).
 * The first, where the stream starts, is kept with its state (most streams,
 * orders, never need another); the rest are entries of their own.
 */
export const POSITION_EVERY = 100;

/** A stream's committed state as the state store holds it. */
export interface StoredStream {
  version: number;
  /** The Kafka partition of its events (one key, one partition); -1 when unknown. */
  partition: number;
  /** The offset of its first event in that partition; -1 when unknown. */
  firstOffset: number;
  state: StoredState;
  /** A product's units held per order. */
  allocations: Iterable<[string, number]>;
}

/** An idempotency record: the first response to a keyed command. */
export interface StoredResponse {
  key: string;
  fingerprint: string;
  /** The response, as JSON. */
  response: string;
  /** When it was recorded, epoch milliseconds. */
  at: number;
}

/** The checkpoint key of a topic partition. */
export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/**
 * What one Kafka commit (or one stretch of replay) changed, to be written to
 * the state store in one transaction: the latest stored form of each stream
 * touched, the allocation entries changed, new sparse-index offsets, how far
 * each partition is now covered, and idempotency records.
 */
export class StateWriteBatch {
  readonly streams = new Map<string, { type: AggregateType; id: string; stored: Omit<StoredStream, 'allocations'> }>();
  /**
   * Units held by product and order; 0 removes the entry. `created`: the
   * entry did not exist before this batch, so one removed again within it
   * never reaches the store, and the store need not write a removal.
   */
  readonly allocations = new Map<string, { productId: string; orderId: string; held: number; created: boolean }>();
  /** Sparse-index offsets from index 1 on (index 0 travels with the stream as its `firstOffset`). */
  readonly offsets: { type: AggregateType; id: string; index: number; offset: number }[] = [];
  /** Next offset to read per partition (`partitionKey`). */
  readonly checkpoint = new Map<string, number>();
  readonly responses: StoredResponse[] = [];
  events = 0;
  newStreams = 0;

  get empty(): boolean {
    return this.events === 0 && this.checkpoint.size === 0 && this.responses.length === 0;
  }

  stream(type: AggregateType, id: string, stored: Omit<StoredStream, 'allocations'>): void {
    this.streams.set(`${type}:${id}`, { type, id, stored });
  }

  allocation(productId: string, orderId: string, held: number, created: boolean): void {
    const key = `${productId}\u0000${orderId}`;
    const earlier = this.allocations.get(key);
    this.allocations.set(key, { productId, orderId, held, created: earlier ? earlier.created : created });
  }

  /** Notes a record at `offset` of `topic`/`partition` as covered. */
  covered(topic: string, partition: number, offset: number): void {
    const key = partitionKey(topic, partition);
    this.checkpoint.set(key, Math.max(this.checkpoint.get(key) ?? 0, offset + 1));
  }
}

/**
 * The state store: the committed state of every aggregate, how far into each
 * event partition it is complete (its checkpoint), where each stream's events
 * are in Kafka, and the idempotency records. A cache of what Kafka holds:
 * losing it costs a rebuild from the events, never data.
 */
export interface StateStore {
  /** Reads a stream's committed state; null when the store has none. */
  load(type: AggregateType, id: string): StoredStream | null;
  /**
   * The sparse index of a stream's event offsets beyond its first (index i:
   * version 1 + i * POSITION_EVERY, from 1 on; index 0 is its `firstOffset`).
   */
  offsets(type: AggregateType, id: string): number[];
  /** Next offset to read per partition; partitions it has not seen are absent. */
  checkpoint(): Map<string, number>;
  /** Events and streams it covers. */
  counts(): { events: number; streams: number };
  /** Writes one batch atomically, after every batch written before it. */
  write(batch: StateWriteBatch): Promise<void>;
  /** Resolves once every write so far is readable. */
  flushed(): Promise<void>;
  /** Idempotency records made at or after `since`, oldest first. */
  responses(since: number): StoredResponse[];
  /** Forgets idempotency records made before `cutoff`. */
  forgetResponses(cutoff: number): Promise<void>;
  /** Empties the store (its content no longer matches Kafka, or its schema changed). */
  clear(reason: string): Promise<void>;
  close(): Promise<void>;
}
