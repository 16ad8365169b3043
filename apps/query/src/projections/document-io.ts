import type { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';

/**
 * Reads and writes by `_id` only, shaped for the MongoDB-wire server we run
 * locally (FerretDB 1.24 on PostgreSQL):
 * - `_id` equality is the one lookup that always uses an index (`$in` scans);
 * - one `update` command holds a PostgreSQL connection per statement until the
 *   whole command ends, and hangs once its pool runs dry (50 by default; the
 *   local stack sets 150), so writes go in bulks of 16, one at a time.
 * Both are harmless against a real MongoDB.
 */
const READ_CONCURRENCY = 8;
const WRITE_CHUNK = 16;
const WRITE_CONCURRENCY = 1;

export async function findByIds<T extends Document & { _id: string }>(
  collection: Collection<T>,
  ids: readonly string[],
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const document = (await collection.findOne({ _id: id } as Filter<T>)) as T | null;
      if (document) found.set(id, document);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, ids.length) }, worker));
  return found;
}

export async function replaceAllById<T extends Document & { _id: string }>(
  collection: Collection<T>,
  documents: readonly T[],
): Promise<void> {
  const chunks: T[][] = [];
  for (let start = 0; start < documents.length; start += WRITE_CHUNK) {
    chunks.push(documents.slice(start, start + WRITE_CHUNK));
  }
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const operations = chunks[next++].map((document): AnyBulkWriteOperation<T> => ({
        replaceOne: { filter: { _id: document._id } as Filter<T>, replacement: document, upsert: true },
      }));
      await collection.bulkWrite(operations, { ordered: false });
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, chunks.length) }, worker));
}
