import {
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Filter,
  MongoBulkWriteError,
  type OptionalUnlessRequiredId,
  type WriteError,
} from 'mongodb';
import { type DocumentCodec, type IdDocument, STORED_AS_IS } from './stored-document';

/**
 * Reads and writes by `_id` only, shaped for the MongoDB-wire server we run
 * locally (FerretDB 1.24 on PostgreSQL):
 * - `_id` equality is the one lookup that always uses an index (`$in` scans);
 * - one `update` command holds a PostgreSQL connection per statement until the
 *   whole command ends, and hangs once its pool runs dry (50 by default; the
 *   local stack sets 150), so writes go in bulks of 16, one at a time (the
 *   FerretDB this project builds writes a bulk's replacements in one
 *   transaction, and, when their ids are distinct, reads the documents in
 *   one statement and writes them in another: docs/decisions/0007);
 * - an insert costs a fraction of a replace, so documents known to be new
 *   are inserted.
 * All of it is harmless against a real MongoDB.
 */
const READ_CONCURRENCY = 8;
const WRITE_CHUNK = 16;
const INSERT_CHUNK = 200;
const DUPLICATE_KEY = 11000;

export async function findByIds<T extends IdDocument>(
  collection: Collection<T>,
  ids: readonly string[],
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++];
      const document = (await collection.findOne({ _id: id } as Filter<T>)) as T | null;
      if (document) found.set(id, document);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, ids.length) }, worker));
  return found;
}

export async function replaceAllById<T extends IdDocument>(
  collection: Collection<T>,
  documents: readonly T[],
): Promise<void> {
  for (let start = 0; start < documents.length; start += WRITE_CHUNK) {
    const operations = documents.slice(start, start + WRITE_CHUNK).map((document): AnyBulkWriteOperation<T> => ({
      replaceOne: { filter: { _id: document._id } as Filter<T>, replacement: document, upsert: true },
    }));
    await collection.bulkWrite(operations, { ordered: false });
  }
}

/** A conditional write found the document changed since it was read: the batch is applied again. */
export class ConcurrentWriteError extends Error {
  override readonly name = 'ConcurrentWriteError';
}

/**
 * Replaces each document only if its stored `rev` is still `expected` (what
 * was read); throws ConcurrentWriteError if any was changed meanwhile.
 */
export async function replaceAtRevision<T extends IdDocument>(
  collection: Collection<T>,
  writes: readonly { document: T; expected: number }[],
): Promise<void> {
  for (let start = 0; start < writes.length; start += WRITE_CHUNK) {
    const chunk = writes.slice(start, start + WRITE_CHUNK);
    const operations = chunk.map(({ document, expected }): AnyBulkWriteOperation<T> => ({
      replaceOne: { filter: { _id: document._id, rev: expected } as unknown as Filter<T>, replacement: document },
    }));
    const result = await collection.bulkWrite(operations, { ordered: false });
    if (result.matchedCount !== chunk.length) {
      throw new ConcurrentWriteError(
        `${chunk.length - result.matchedCount} of ${chunk.length} documents of ${collection.collectionName} changed since they were read`,
      );
    }
  }
}

/**
 * Inserts documents believed new; returns the ids that already existed (left
 * untouched), so the caller can fold onto what is really there.
 */
export async function insertNewById<T extends IdDocument>(
  collection: Collection<T>,
  documents: readonly T[],
): Promise<Set<string>> {
  const existing = new Set<string>();
  for (let start = 0; start < documents.length; start += INSERT_CHUNK) {
    const chunk = documents.slice(start, start + INSERT_CHUNK);
    try {
      await collection.insertMany(chunk as unknown as OptionalUnlessRequiredId<T>[], { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = ([] as WriteError[]).concat(error.writeErrors);
      if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
      for (const writeError of writeErrors) existing.add(chunk[writeError.index]._id);
    }
  }
  return existing;
}

/**
 * The read-model documents of one consumer, by collection and id, with a
 * bounded write-through cache of them as decoded (see stored-document.ts).
 * The consumer is the only writer of its generation's documents, so what it wrote or read last is what the server
 * holds, and most reads never leave the process. The cache is dropped
 * whenever that may stop being true: a failed batch (some writes may have
 * landed) and a consumer-group rebalance (another instance may have written).
 */
export class DocumentStore {
  private readonly cache = new Map<string, Map<string, IdDocument>>();

  constructor(
    private readonly db: Db,
    /** Documents kept per collection, least recently used dropped first. */
    private readonly cacheSize = 20_000,
  ) {}

  /** The documents that exist among `ids`, decoded. */
  async load<T extends IdDocument>(
    name: string,
    ids: readonly string[],
    codec: DocumentCodec = STORED_AS_IS,
  ): Promise<Map<string, T>> {
    const cached = this.cacheOf(name);
    const found = new Map<string, T>();
    const missing: string[] = [];
    for (const id of ids) {
      const document = cached.get(id);
      if (document) {
        cached.delete(id); // re-inserted below: most recently used last
        cached.set(id, document);
        found.set(id, document as T);
      } else {
        missing.push(id);
      }
    }
    if (missing.length > 0) {
      const read = await findByIds(this.db.collection<IdDocument>(name), missing);
      const decoded = [...read.values()].map((stored) => codec.decode(stored) as T);
      for (const document of decoded) found.set(document._id, document);
      this.remember(name, decoded);
    }
    return found;
  }

  /** The cached document, if any: exactly what the server holds, since only we write it. */
  peek<T extends IdDocument>(name: string, id: string): T | undefined {
    return this.cacheOf(name).get(id) as T | undefined;
  }

  /** Whether the cache vouches for `id` existing, without asking the server. */
  known(name: string, id: string): boolean {
    return this.cacheOf(name).has(id);
  }

  async replace<T extends IdDocument>(
    name: string,
    documents: readonly T[],
    codec: DocumentCodec = STORED_AS_IS,
  ): Promise<void> {
    if (documents.length === 0) return;
    await replaceAllById(
      this.db.collection<IdDocument>(name),
      documents.map((document) => codec.encode(document)),
    );
    this.remember(name, documents);
  }

  /** Inserts documents believed new; returns the ids that already existed. */
  async insertNew<T extends IdDocument>(
    name: string,
    documents: readonly T[],
    codec: DocumentCodec = STORED_AS_IS,
  ): Promise<Set<string>> {
    if (documents.length === 0) return new Set();
    const existing = await insertNewById(
      this.db.collection<IdDocument>(name),
      documents.map((document) => codec.encode(document)),
    );
    this.remember(
      name,
      documents.filter((document) => !existing.has(document._id)),
    );
    return existing;
  }

  /**
   * Writes documents that other writers may change too: each is inserted if
   * it was absent when read (`expected` 0), else replaced if its `rev` is
   * still `expected`. Throws ConcurrentWriteError when another writer came
   * first; the caller reads again and retries.
   */
  async writeAtRevision<T extends IdDocument & { rev: number }>(
    name: string,
    writes: readonly { document: T; expected: number }[],
    codec: DocumentCodec = STORED_AS_IS,
  ): Promise<void> {
    const encode = (document: T) => codec.encode(document);
    const created = writes.filter((write) => write.expected === 0);
    const existed = await insertNewById(
      this.db.collection<IdDocument>(name),
      created.map((write) => encode(write.document)),
    );
    if (existed.size > 0)
      throw new ConcurrentWriteError(`${existed.size} documents of ${name} were created since they were read`);
    await replaceAtRevision(
      this.db.collection<IdDocument>(name),
      writes
        .filter((write) => write.expected !== 0)
        .map((write) => ({ document: encode(write.document), expected: write.expected })),
    );
    this.remember(
      name,
      writes.map((write) => write.document),
    );
  }

  forget(): void {
    this.cache.clear();
  }

  private cacheOf(name: string): Map<string, IdDocument> {
    let cached = this.cache.get(name);
    if (!cached) this.cache.set(name, (cached = new Map<string, IdDocument>()));
    return cached;
  }

  /** Records documents known to be on the server as they are. */
  remember(name: string, documents: readonly IdDocument[]): void {
    const cached = this.cacheOf(name);
    for (const document of documents) {
      cached.delete(document._id);
      cached.set(document._id, document);
    }
    for (const id of cached.keys()) {
      if (cached.size <= this.cacheSize) break;
      cached.delete(id);
    }
  }
}
