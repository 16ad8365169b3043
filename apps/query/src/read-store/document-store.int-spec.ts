import { type Collection, type Db, MongoClient } from 'mongodb';
import { uniqueName } from '../../../../test/support/kafka-test-helpers';
import { ConcurrentWriteError, replaceAllById, replaceAtRevision } from './document-store';
import type { IdDocument } from './stored-document';

interface Counted extends IdDocument {
  count: number;
  note?: string;
}

/**
 * Replacements by `_id` against the MongoDB-wire server the tests run on
 * (FerretDB as this project builds it, or MongoDB). The FerretDB build reads
 * the documents of one bulk of distinct ids in one PostgreSQL statement and
 * writes their replacements in another, and a bulk that names an id twice
 * reads and writes one statement each (docs/decisions/0007): both must leave
 * exactly what the bulk says, in order, with exact counts.
 */
describe('replacements by _id', () => {
  let client: MongoClient;
  let db: Db;
  let collection: Collection<Counted>;
  const stored = async () =>
    new Map((await collection.find({}).toArray()).map((document) => [document._id, document] as const));

  beforeAll(async () => {
    client = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
    db = client.db(uniqueName('it_replace').replace(/-/g, '_'));
    collection = db.collection<Counted>('counted');
    await collection.insertMany(Array.from({ length: 40 }, (_, i) => ({ _id: `d-${i}`, version: 1, count: 0 })));
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('replaces bulks of distinct ids whole, and leaves the others alone', async () => {
    const replaced = Array.from({ length: 35 }, (_, i) => ({ _id: `d-${i}`, version: 2, count: i, note: `n${i}` }));
    await replaceAllById(collection, replaced);
    const after = await stored();
    expect(after.size).toBe(40);
    for (const document of replaced) expect(after.get(document._id)).toEqual(document);
    for (let i = 35; i < 40; i += 1) expect(after.get(`d-${i}`)).toEqual({ _id: `d-${i}`, version: 1, count: 0 });
  });

  it('counts what a bulk matched, changed and inserted, an id named twice included', async () => {
    const replace = (id: string, count: number) => ({
      replaceOne: { filter: { _id: id }, replacement: { version: 3, count }, upsert: true },
    });
    const result = await collection.bulkWrite(
      [replace('d-1', 101), replace('d-2', 102), replace('d-1', 111), replace('d-new', 1), replace('d-3', 103)],
      { ordered: false },
    );
    expect({ matched: result.matchedCount, modified: result.modifiedCount, upserted: result.upsertedCount }).toEqual({
      matched: 4,
      modified: 4,
      upserted: 1,
    });
    const after = await stored();
    expect([1, 2, 3].map((i) => after.get(`d-${i}`)?.count)).toEqual([111, 102, 103]);
    expect(after.get('d-new')).toEqual({ _id: 'd-new', version: 3, count: 1 });
    expect(after.size).toBe(41);
  });

  it('replaces at a revision only the documents still at it, and reports the others', async () => {
    const revised = db.collection<IdDocument & { rev: number; count: number }>('revised');
    await revised.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: `r-${i}`, version: 1, rev: 1, count: 0 })));
    const write = (i: number, expected: number) => ({
      document: { _id: `r-${i}`, version: 1, rev: expected + 1, count: 10 + i },
      expected,
    });
    // r-1 is at revision 1, not 2: another writer came first.
    await expect(replaceAtRevision(revised, [write(0, 1), write(1, 2), write(2, 1)])).rejects.toBeInstanceOf(
      ConcurrentWriteError,
    );
    await replaceAtRevision(revised, [write(3, 1), write(4, 1)]);
    const after = new Map((await revised.find({}).toArray()).map((document) => [document._id, document.count]));
    expect([...after].sort()).toEqual([
      ['r-0', 10],
      ['r-1', 0],
      ['r-2', 12],
      ['r-3', 13],
      ['r-4', 14],
    ]);
  });
});
