import type { Collection, Db, Document, Filter, Sort } from 'mongodb';
import { layoutOf, SHARED_DOCUMENT_CODEC } from '../read-store/storage-layout';
import { sortedFind } from '../read-store/sorted-find';
import { assertFilterable, type IdDocument } from '../read-store/stored-document';
import type { Projection, ReadModelDocument } from './projection';
import type { ProjectionEngine } from './projection-engine';
import type { ProjectionRunner } from './projection-runner';
import { collectionNamer } from './projection-state';
import type { WrittenVersions } from './written-versions';

/** Which generation serves queries now, and the runner that writes it (see ProjectionsService). */
export interface ServingGeneration {
  generation: number;
  /** The read-model schema that generation was built by. */
  schema: number;
  live: ProjectionRunner | null;
}

/**
 * What the query endpoints read: the read models of the generation that
 * serves queries now, decoded from the read store's layout, from the
 * projection's write-through cache when it holds a document, and at the
 * version a client asks for when it has just written it. A rebuild swaps
 * the generation underneath; readers never see two at once.
 */
export class ServingReadModels {
  constructor(
    private readonly db: Db,
    private readonly engine: ProjectionEngine,
    private readonly written: WrittenVersions,
    private readonly serving: () => ServingGeneration,
  ) {}

  /** The read-model schema the serving generation was built by (see READ_MODELS_SCHEMA). */
  get schema(): number {
    return this.serving().schema;
  }

  /** A collection of the generation that serves queries now. */
  private collection<T extends Document>(base: string): Collection<T> {
    return this.db.collection<T>(collectionNamer(this.serving().generation)(base));
  }

  /**
   * The documents of a read model that match `filter`, decoded. The filter
   * may only name the fields the read model keeps as fields (see
   * read-store/storage-layout.ts).
   */
  async find<T extends ReadModelDocument>(readModel: Projection<T>, filter: Filter<T>): Promise<T[]> {
    const storage = layoutOf(readModel).codec;
    assertFilterable(storage, filter, readModel.name);
    const stored = await this.collection<IdDocument>(readModel.name)
      .find(filter as Filter<IdDocument>)
      .toArray();
    return stored.map((document) => storage.decode(document) as unknown as T);
  }

  /**
   * At most `limit` documents of a read model that match `filter`, in `sort`
   * order, decoded: the filter and the sort name only fields the read model
   * keeps as strings (or booleans, tested for equality), so the server answers
   * with an index scan of the page (see read-store/sorted-find.ts).
   */
  async findSorted<T extends ReadModelDocument>(
    readModel: Projection<T>,
    filter: Filter<T>,
    sort: Sort,
    limit: number,
  ): Promise<T[]> {
    const storage = layoutOf(readModel).codec;
    assertFilterable(storage, filter, readModel.name);
    assertFilterable(storage, sort as object, readModel.name);
    const stored = await sortedFind(
      this.collection<IdDocument>(readModel.name),
      filter as Filter<IdDocument>,
      sort,
      limit,
    );
    return stored.map((document) => storage.decode(document) as unknown as T);
  }

  /** A document by id: from the projection's cache when it holds it, else from the server. */
  async get<T extends ReadModelDocument>(readModel: Projection<T>, id: string): Promise<T | null> {
    return this.cached<T>(readModel.name, id) ?? (await this.find(readModel, { _id: id } as Filter<T>))[0] ?? null;
  }

  /**
   * A shared document (a customer's ledger, see write-behind.ts) by id: from
   * the cache when it holds it, which is only once the server holds it (never
   * a change still held behind), else from the server.
   */
  async getShared<T extends { _id: string }>(name: string, id: string): Promise<T | null> {
    const cached = this.cached<T>(name, id);
    if (cached) return cached;
    const stored = await this.collection<IdDocument>(name).findOne({ _id: id });
    return stored ? (SHARED_DOCUMENT_CODEC.decode(stored) as T) : null;
  }

  /**
   * A document at `minVersion` or newer (read-your-writes), waiting up to
   * `timeoutMs` for the projection to write it; after that, what there is
   * (older, or null).
   */
  async readAtLeast<T extends ReadModelDocument>(
    readModel: Projection<T>,
    id: string,
    minVersion: number,
    timeoutMs: number,
  ): Promise<T | null> {
    return this.written.readAtLeast({
      readModel: readModel.name,
      id,
      minVersion,
      timeoutMs,
      cached: this.cached<T>(readModel.name, id),
      read: () => this.get(readModel, id),
      live: this.serving().live,
    });
  }

  /**
   * A document straight from the projection's write-through cache, when it
   * holds it: the same document the server holds, since this process wrote
   * it (the cache is dropped on every rebalance).
   */
  private cached<T extends { _id: string }>(base: string, id: string): T | undefined {
    return this.engine.cached<T>(collectionNamer(this.serving().generation)(base), id);
  }
}
