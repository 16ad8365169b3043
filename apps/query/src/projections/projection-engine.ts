import { type Collection, type Db, type Document, MongoServerError } from 'mongodb';
import { DocumentStore } from '../read-store/document-store';
import type { ConsumedEvent } from './parsed-event';
import { type FlushPolicy, LIVE_FLUSH, WriteBehind } from '../read-store/write-behind';
import { layoutOf, SHARED_DOCUMENT_CODEC } from '../read-store/storage-layout';
import {
  type CollectionNamer,
  type Projection,
  type ReadModelDocument,
  type UnprocessableEventError,
} from './projection';

/** MongoDB's error code for a collection that does not exist. */
const NAMESPACE_NOT_FOUND = 26;

export interface DeadLetter {
  event: ConsumedEvent;
  reason: UnprocessableEventError['reason'];
  message: string;
}

export interface BatchResult {
  deadLetters: DeadLetter[];
  /** Resolves once every write of the batch is durable (shared documents are written behind); then its offsets may be committed. */
  durable: Promise<void>;
}

/**
 * Told, as soon as one read model's documents of a batch are written, the
 * newest version written per aggregate id: readers waiting for a version of
 * that read model may see it then, before the others are written.
 */
export type WrittenListener = (readModel: string, written: Map<string, number>) => void;

/**
 * Applies batches of events to every read model with exactly-once effect:
 * read the current documents, fold the events in memory (skipping versions
 * already applied, parking gaps), and write the results back. A batch that
 * fails is retried from scratch: re-reading makes every retry idempotent.
 */
export class ProjectionEngine {
  private readonly store: DocumentStore;
  /** Buffered writers of the collections every partition may change, by collection name. */
  private readonly shared = new Map<string, WriteBehind>();

  constructor(
    private readonly db: Db,
    private readonly projections: readonly Projection[],
    /** Told how long each read model took per batch, for metrics. */
    private readonly observe: (readModel: string, eventsApplied: number, seconds: number) => void = () => undefined,
    cacheSize?: number,
  ) {
    this.store = new DocumentStore(db, cacheSize);
  }

  async ensureIndexes(collection: CollectionNamer): Promise<void> {
    const all = this.projections.flatMap((projection) => [
      { name: projection.name, indexes: layoutOf(projection).indexes },
      ...layoutOf(projection).companions,
    ]);
    for (const { name, indexes } of all) {
      // Only what is missing, one index per call: FerretDB 1.24 fails on an
      // empty list, and panics and drops the connection when createIndexes
      // re-sends several indexes that exist (real MongoDB takes both as no-ops).
      const documents = this.db.collection(collection(name));
      const existing = new Set((await existingIndexes(documents)).map((index) => String(index.name)));
      const wanted = new Set(indexes.map((index) => String(index.name)));
      // An index a read model no longer names (its queries changed) only costs
      // every insert; these collections are ours alone. Dropped first: a
      // renamed index on the same keys could not be created beside it.
      for (const stale of [...existing].filter((index) => index !== '_id_' && !wanted.has(index))) {
        await documents.dropIndex(stale);
      }
      for (const index of indexes.filter((candidate) => !existing.has(String(candidate.name)))) {
        await documents.createIndexes([index]);
      }
    }
  }

  async apply(
    events: ConsumedEvent[],
    collection: CollectionNamer,
    onWritten: WrittenListener = () => undefined,
    flush: FlushPolicy = LIVE_FLUSH,
  ): Promise<BatchResult> {
    const durable: Promise<void>[] = [];
    const deadLetters = new Map<ConsumedEvent, DeadLetter>();
    for (const event of events) {
      if (event.problem)
        deadLetters.set(event, { event, reason: event.problem.reason, message: event.problem.message });
    }
    const valid = events.filter((event) => event.envelope !== null);
    // One read model after the other: on a shared machine, writing them side by
    // side took CPU from the command path (see docs/performance.md).
    for (const projection of this.projections) {
      const mine = valid.filter((event) => event.envelope!.aggregateType === projection.aggregateType);
      if (mine.length === 0) continue;
      const started = performance.now();
      const written = new Map<string, number>();
      const count = await this.applyTo(projection, mine, { collection, flush, durable }, deadLetters, written);
      this.observe(projection.name, count, (performance.now() - started) / 1000);
      onWritten(projection.name, written);
    }
    const all = Promise.all(durable).then(() => undefined);
    all.catch(() => undefined); // the runner handles a failure; a batch retried before that must not crash the process
    return { deadLetters: [...deadLetters.values()], durable: all };
  }

  /** Writes what the shared collections of a generation hold (before offsets are committed on a stop, or when a rebuild is quiet). */
  async flushShared(collection: CollectionNamer): Promise<void> {
    const names = this.projections.flatMap((projection) => (projection.shared ?? []).map((name) => collection(name)));
    await Promise.all(names.flatMap((name) => this.shared.get(name)?.flush() ?? []));
  }

  /**
   * A document this engine wrote or read for its own partitions, as the
   * server holds it; undefined when not cached (then ask the server).
   */
  cached<T extends { _id: string }>(collectionName: string, id: string): T | undefined {
    return this.store.peek<T>(collectionName, id);
  }

  /** Drops every cached document: after a failed batch, or when partitions may have moved. */
  forget(): void {
    this.store.forget();
  }

  private async applyTo(
    projection: Projection,
    events: ConsumedEvent[],
    { collection, flush, durable }: { collection: CollectionNamer; flush: FlushPolicy; durable: Promise<void>[] },
    deadLetters: Map<ConsumedEvent, DeadLetter>,
    written: Map<string, number>,
  ): Promise<number> {
    const name = collection(projection.name);
    const layout = layoutOf(projection);
    const storage = layout.codec;
    const byAggregate = new Map<string, ConsumedEvent[]>();
    for (const event of events) {
      const id = event.envelope!.aggregateId;
      const list = byAggregate.get(id);
      if (list) list.push(event);
      else byAggregate.set(id, [event]);
    }
    // An aggregate whose batch starts at version 1 is new unless this is a
    // redelivery: it is inserted without a read, and a duplicate key sends it
    // down the read-fold-replace path with everything else.
    const presumedNew = [...byAggregate].filter(
      ([id, mine]) => mine[0].envelope!.aggregateVersion === 1 && !this.store.known(name, id),
    );
    const presumedNewIds = new Set(presumedNew.map(([id]) => id));
    const existingIds = [...byAggregate.keys()].filter((id) => !presumedNewIds.has(id));
    const folds = new Map<string, Fold>();
    for (const [id, mine] of presumedNew) folds.set(id, fold(projection, null, mine));
    const current = await this.store.load<ReadModelDocument>(name, existingIds, storage);
    for (const id of existingIds) folds.set(id, fold(projection, current.get(id) ?? null, byAggregate.get(id)!));

    const step = await projection.prepare?.({
      events: events.filter((event) => !isParked(folds, event)),
      documents: new Map([...folds].flatMap(([id, result]) => (result.document ? [[id, result.document]] : []))),
      store: this.store,
      collection,
      shared: (sharedName) => {
        let writer = this.shared.get(sharedName);
        if (!writer)
          this.shared.set(sharedName, (writer = new WriteBehind(this.store, sharedName, SHARED_DOCUMENT_CODEC)));
        writer.setPolicy(flush);
        return writer;
      },
    });
    const complete = (ids: Iterable<string>) => {
      for (const id of ids) {
        const result = folds.get(id);
        const completed = result?.document && step?.complete(result.document);
        if (result && completed) Object.assign(result, { document: completed, changed: true });
      }
    };
    complete(folds.keys());

    const changed = (ids: Iterable<string>): ReadModelDocument[] =>
      [...ids].flatMap((id) => (folds.get(id)?.changed ? [folds.get(id)!.document!] : []));
    const inserts = changed(presumedNewIds);
    const replaces = changed(existingIds);
    if (inserts.length + replaces.length > 0) {
      const redelivered = await this.store.insertNew(name, inserts, storage);
      if (redelivered.size > 0) {
        const there = await this.store.load<ReadModelDocument>(name, [...redelivered], storage);
        for (const id of redelivered) {
          folds.set(id, fold(projection, there.get(id) ?? null, byAggregate.get(id)!));
        }
        complete(redelivered);
        replaces.push(...changed(redelivered));
      }
      // This consumer is the only writer of its generation's documents, and the
      // versions were checked against what it just read: a plain replace is safe.
      await this.store.replace(name, replaces, storage);
    }
    if (step) durable.push(step.written());

    let count = 0;
    for (const [id, result] of folds) {
      count += result.count;
      if (result.count > 0) written.set(id, result.document!.version);
      for (const letter of result.deadLetters) deadLetters.set(letter.event, letter);
    }
    return count;
  }
}

interface Fold {
  document: ReadModelDocument | null;
  changed: boolean;
  count: number;
  deadLetters: DeadLetter[];
}

/** One aggregate's events of a batch, in order, onto its document; versions already applied are skipped. */
function fold(projection: Projection, start: ReadModelDocument | null, events: ConsumedEvent[]): Fold {
  const result: Fold = { document: start, changed: false, count: 0, deadLetters: [] };
  for (const event of events) {
    const envelope = event.envelope!;
    const version = result.document?.version ?? 0;
    if (envelope.aggregateVersion <= version) continue; // redelivered or duplicated: already applied
    if (envelope.aggregateVersion !== version + 1) {
      // Events of one aggregate share a partition and arrive in order, so a
      // missing version can never arrive later: park the event for a human.
      result.deadLetters.push({
        event,
        reason: 'VERSION_GAP',
        message: `${projection.name}: ${envelope.aggregateType} ${envelope.aggregateId} is at version ${version}, event has ${envelope.aggregateVersion}`,
      });
      continue;
    }
    try {
      result.document = projection.apply(result.document, envelope);
      result.changed = true;
      result.count += 1;
    } catch (error) {
      result.deadLetters.push({
        event,
        reason: 'PROJECTION_FAILED',
        message: `${projection.name}: ${(error as Error).message}`,
      });
    }
  }
  return result;
}

/** Whether the fold of the event's aggregate set the event aside (a version gap or a failed apply). */
function isParked(folds: Map<string, Fold>, event: ConsumedEvent): boolean {
  return folds.get(event.envelope!.aggregateId)?.deadLetters.some((letter) => letter.event === event) ?? false;
}

/** The indexes of a collection; none when it does not exist yet (any other failure is thrown). */
export async function existingIndexes<T extends Document>(documents: Collection<T>): Promise<{ name?: unknown }[]> {
  try {
    return (await documents.listIndexes().toArray()) as { name?: unknown }[];
  } catch (error) {
    if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return [];
    throw error;
  }
}
