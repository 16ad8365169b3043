import type { AggregateType, ValidEvent } from '@of/contracts';
import type { DocumentStore } from '../read-store/document-store';
import type { ConsumedEvent } from './parsed-event';
import type { WriteBehind } from '../read-store/write-behind';

/** Every read-model document remembers the last aggregate version applied to it. */
export interface ReadModelDocument {
  _id: string;
  version: number;
}

/** Collection names of one generation of the read models (a rebuild writes a new generation). */
export type CollectionNamer = (base: string) => string;

/**
 * What a read model's documents are asked for. The read store decides how to
 * keep them so that each query costs what its page holds (indexes, packing,
 * creation keys: see read-store/storage-layout.ts).
 */
export interface ReadModelQueries {
  /** Fields of its documents that queries filter on by equality (strings or booleans). */
  readonly filters?: readonly string[];
  /**
   * With an order: the filters each list combines (default: none, the first
   * filter, the first two, and so on).
   */
  readonly lists?: readonly (readonly string[])[];
  /**
   * How its lists are ordered, with those filters: by creation (`createdAt`,
   * then `_id`; newest or oldest first), by `_id`, or by sequence (the number
   * `seq` the projection gives a document; one without a number is in no
   * list). Without an order, each filter finds documents on its own.
   */
  readonly order?: 'creation' | 'id' | 'sequence';
}

/**
 * A read model: which aggregate it follows, how one event changes one
 * document (pure), and what its documents are asked for. It sees every event
 * of that aggregate, in version order, so its version bookkeeping has no
 * holes. The engine does the I/O and the exactly-once bookkeeping; the read
 * store decides how documents are kept.
 */
export interface Projection<D extends ReadModelDocument = ReadModelDocument, E extends ValidEvent = ValidEvent> {
  readonly name: string;
  readonly aggregateType: AggregateType;
  readonly queries: ReadModelQueries;
  /**
   * The document after the event (pure); `document` is null before the
   * aggregate's first event. The events are those of `aggregateType`, typed:
   * a switch on `eventType` gives each its payload.
   */
  apply(document: D | null, event: E): D;
  /** Collections of documents shared across aggregates, which `prepare` keeps (e.g. customer ledgers). */
  readonly shared?: readonly string[];
  /**
   * State kept across aggregates beside the documents (a customer's summary
   * over all the customer's orders): prepared from each batch once its
   * documents are folded, before they are written.
   */
  prepare?(batch: FoldedBatch<D>): Promise<BatchStep<D>>;
}

/** A batch of one read model, folded in memory and not yet written. */
export interface FoldedBatch<D extends ReadModelDocument> {
  /** Its events in the order read, without those set aside as dead letters. */
  events: readonly ConsumedEvent[];
  /** The document of every aggregate the batch touches, as folded. */
  documents: ReadonlyMap<string, D>;
  store: DocumentStore;
  collection: CollectionNamer;
  /** The buffered writer of a collection every partition may change (see read-store/write-behind.ts). */
  shared(name: string): WriteBehind;
}

/** What `prepare` asks of the engine for one batch. */
export interface BatchStep<D extends ReadModelDocument> {
  /** A folded document with what the step adds to it, or null when it adds nothing new. */
  complete(document: D): D | null;
  /**
   * Called once the batch's documents are written; resolves when what the
   * step changed besides them is durable, and the batch's offsets may be
   * committed.
   */
  written(): Promise<void>;
}

/**
 * The `default` of a projection's switch over the event types it follows:
 * `event` is `never` there when every type is handled, so a new event type
 * fails to compile until its projections say what it changes.
 */
export function unhandledEvent(readModel: string, event: never): never {
  throw new Error(`${readModel} does not handle ${(event as { eventType: string }).eventType}`);
}

/** An event that cannot be applied; it goes to the dead-letter topic with this reason. */
export class UnprocessableEventError extends Error {
  override readonly name = 'UnprocessableEventError';
  constructor(
    readonly reason:
      'VERSION_GAP' | 'INVALID_PAYLOAD' | 'UNKNOWN_EVENT_TYPE' | 'MALFORMED_ENVELOPE' | 'PROJECTION_FAILED',
    message: string,
  ) {
    super(message);
  }
}
