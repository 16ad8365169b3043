import { type Collection, type Db, MongoClient } from 'mongodb';
import { uniqueName } from '../../../../test/support/kafka-test-helpers';
import { sortedFind } from './sorted-find';
import type { IdDocument } from './stored-document';

interface Listed extends IdDocument {
  status: string;
  open: boolean;
  key: string;
}

/**
 * Sorted finds against the MongoDB-wire server the tests run on (FerretDB as
 * this project builds it, or MongoDB): the same documents as filtering,
 * sorting and limiting in memory, with the indexes the read store makes.
 */
describe('sorted finds', () => {
  let client: MongoClient;
  let db: Db;
  let collection: Collection<Listed>;
  let all: Listed[];
  let ferretdb: boolean;

  beforeAll(async () => {
    client = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
    db = client.db(uniqueName('it_sorted').replace(/-/g, '_'));
    collection = db.collection<Listed>('listed');
    await collection.createIndex({ key: 1 }, { name: 'sorted_by_key' });
    await collection.createIndex({ status: 1, key: 1 }, { name: 'sorted_by_status_key' });
    await collection.createIndex({ open: 1, status: 1, key: 1 }, { name: 'sorted_by_open_status_key' });
    all = Array.from({ length: 3000 }, (_, i) => ({
      _id: `d-${i}`,
      version: 1,
      // Out of insertion order, with ties on the instant broken by the id.
      key: `2026-12-05T10:${String(59 - (i % 60)).padStart(2, '0')}:00.000Z d-${i}`,
      status: i % 500 === 7 ? 'RARE' : i % 3 === 0 ? 'SHIPPED' : 'DELIVERED',
      open: i % 4 === 0,
    }));
    await collection.insertMany(all);
    const info = await db.admin().command({ buildInfo: 1 });
    ferretdb = 'ferretdbVersion' in info;
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  const inMemory = (keep: (document: Listed) => boolean, direction: 1 | -1, limit: number) =>
    all
      .filter(keep)
      .sort((a, b) => (a.key < b.key ? -direction : a.key > b.key ? direction : 0))
      .slice(0, limit)
      .map((document) => document._id);
  const ids = (documents: IdDocument[]) => documents.map((document) => document._id);
  const middle = '2026-12-05T10:30:00.000Z d-1500';

  it('pages a whole collection newest first, and oldest first after a cursor', async () => {
    expect(ids(await sortedFind(collection, {}, { key: -1 }, 21))).toEqual(inMemory(() => true, -1, 21));
    expect(ids(await sortedFind(collection, { key: { $gt: middle } }, { key: 1 }, 21))).toEqual(
      inMemory((document) => document.key > middle, 1, 21),
    );
  });

  it('pages by a rare status, past the cursor, to the end', async () => {
    const rare = (document: Listed) => document.status === 'RARE';
    expect(ids(await sortedFind(collection, { status: 'RARE' }, { key: -1 }, 100))).toEqual(inMemory(rare, -1, 100));
    expect(ids(await sortedFind(collection, { status: 'RARE', key: { $lt: middle } }, { key: -1 }, 3))).toEqual(
      inMemory((document) => rare(document) && document.key < middle, -1, 3),
    );
  });

  it('filters on a boolean and a status together', async () => {
    const wanted = (document: Listed) => document.open && document.status === 'SHIPPED' && document.key >= middle;
    expect(
      ids(await sortedFind(collection, { open: true, status: 'SHIPPED', key: { $gte: middle } }, { key: 1 }, 50)),
    ).toEqual(inMemory(wanted, 1, 50));
  });

  it('is answered by the server whole: a document that breaks the promise shows how it was sorted', async () => {
    // The read store never stores this: a number where strings are promised.
    // MongoDB (and FerretDB in memory) order numbers before strings; the
    // pushed-down find orders JSON as PostgreSQL does, strings first.
    await collection.insertOne({
      _id: 'not-a-string',
      version: 1,
      key: 5 as unknown as string,
      status: 'X',
      open: false,
    });
    try {
      const first = ids(await sortedFind(collection, {}, { key: 1 }, 1));
      expect(first).toEqual(ferretdb ? [inMemory(() => true, 1, 1)[0]] : ['not-a-string']);
    } finally {
      await collection.deleteOne({ _id: 'not-a-string' });
    }
  });
});
