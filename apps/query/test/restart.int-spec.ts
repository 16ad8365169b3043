import { MongoClient } from 'mongodb';
import { uniqueName } from '../../../test/support/kafka-test-helpers';
import { type Harness, isolatedTopics, startCommandApp } from '../../command/test/command-app.harness';
import { ADDRESS as address } from '../../../test/support/fixtures';
import { READ_MODELS_SCHEMA } from '../src/projections/read-models';
import { startQueryApp } from './query-app.harness';

/**
 * Every start of the query app ensures its indexes. FerretDB 1.24 panics and
 * drops the connection when createIndexes re-sends several indexes that
 * exist; whatever the read store, starting again on the same data must work.
 */
describe('the query app started again and again on the same data', () => {
  const topics = isolatedTopics();
  const database = uniqueName('it_restart').replace(/-/g, '_');
  let command: Harness;
  let mongo: MongoClient;

  const indexesByCollection = async (): Promise<Record<string, string[]>> => {
    const db = mongo.db(database);
    const collections = (await db.listCollections().toArray()).map((collection) => collection.name).sort();
    const entries = await Promise.all(
      collections.map(async (name) => {
        const indexes = await db.collection(name).listIndexes().toArray();
        return [name, indexes.map((index) => String((index as { name?: unknown }).name)).sort()] as const;
      }),
    );
    return Object.fromEntries(entries);
  };

  beforeAll(async () => {
    command = await startCommandApp(topics);
    mongo = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
    await command.request('PUT', '/api/v1/inventory/rs-a', { quantity: 100 });
  }, 60000);
  afterAll(async () => {
    await mongo?.close();
    await command?.close();
  });

  it('starts, serves what it projected and keeps the same indexes, five times over', async () => {
    let indexes: Record<string, string[]> | null = null;
    for (let start = 1; start <= 5; start += 1) {
      const registered = await command.request('POST', '/api/v1/orders', {
        customerId: 'rs-customer',
        items: [{ productId: 'rs-a', quantity: 1, price: '1.00' }],
        shippingAddress: address,
      });
      expect(registered.status).toBe(201);
      const query = await startQueryApp(topics, database);
      try {
        const history = await query.eventually<{ orderCount: number }>(
          '/api/v1/customers/rs-customer/orders',
          (body) => body.data?.orderCount === start,
        );
        expect(history.data?.orderCount).toBe(start);
        expect((await query.get('/health')).status).toBe(200);
      } finally {
        await query.close();
      }
      const now = await indexesByCollection();
      expect(Object.keys(now).length).toBeGreaterThan(0);
      if (indexes) expect(now).toEqual(indexes);
      indexes = now;
    }
  }, 120000);

  it('rebuilds a generation an older read-model schema built, on start, while it serves', async () => {
    // As the last version left it: no schema recorded, and no customer ledgers.
    const db = mongo.db(database);
    const active = await db
      .collection<{ _id: string; generation: number }>('projection_meta')
      .findOne({ _id: 'active' });
    await db.collection('projection_meta').updateOne({ _id: 'active' } as never, { $unset: { schema: '' } });
    await db.dropCollection(`customer_ledgers_g${active!.generation}`);
    const query = await startQueryApp(topics, database);
    try {
      const admin = { authorization: `Bearer ${process.env.ADMIN_TOKEN ?? 'dev-admin-token'}` };
      const during = await query.get('/api/v1/customers/rs-customer/orders');
      if (during.status !== 200)
        expect(during).toMatchObject({ status: 503, body: { code: 'READ_MODEL_UNAVAILABLE' } });
      const status = await query.eventually<{ generation: number; schema: number; rebuild: { reason: string } }>(
        '/api/v1/admin/projections',
        (body) => body.data?.schema === READ_MODELS_SCHEMA,
        { headers: admin, timeoutMs: 60000 },
      );
      expect(status.data).toMatchObject({
        generation: active!.generation + 1,
        rebuild: { reason: 'schema', state: 'completed' },
      });
      const history = await query.get('/api/v1/customers/rs-customer/orders');
      expect(history).toMatchObject({ status: 200, body: { data: { orderCount: 5 } } });
    } finally {
      await query.close();
    }
  }, 120000);

  it('fills a read store that lost its data again from the start of the topics', async () => {
    // The topics and their committed offsets stay; only the read store goes.
    await mongo.db(database).dropDatabase();
    const query = await startQueryApp(topics, database);
    try {
      const history = await query.eventually<{ orderCount: number }>(
        '/api/v1/customers/rs-customer/orders',
        (body) => body.data?.orderCount === 5,
      );
      expect(history.data?.orderCount).toBe(5);
      expect((await query.get('/api/v1/inventory/rs-a')).body).toMatchObject({ data: { onHand: 100 } });
    } finally {
      await query.close();
    }
  }, 120000);
});
