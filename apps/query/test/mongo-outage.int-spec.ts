import { ScratchFerretDb } from '../../../test/support/scratch-ferretdb';
import { type Harness, isolatedTopics, startCommandApp } from '../../command/test/command-app.harness';
import { type QueryHarness, startQueryApp } from './query-app.harness';

describe('read models when the MongoDB-wire server goes away and comes back', () => {
  const topics = isolatedTopics();
  const sharedMongo = process.env.MONGO_URL;
  let mongo: ScratchFerretDb;
  let command: Harness;
  let query: QueryHarness;

  beforeAll(async () => {
    mongo = await ScratchFerretDb.create();
    process.env.MONGO_URL = mongo.url;
    command = await startCommandApp(topics);
    query = await startQueryApp(topics);
  });

  afterAll(async () => {
    await query?.close();
    await command?.close();
    await mongo?.destroy();
    process.env.MONGO_URL = sharedMongo;
  });

  it('answers 503 (reads and readiness) while it is down, retries the batch, and catches up with nothing skipped', async () => {
    await command.request('PUT', '/api/v1/inventory/mo-a', { quantity: 10 });
    await query.eventually(
      '/api/v1/inventory/mo-a',
      (body) => (body.data as { version?: number } | undefined)?.version === 1,
    );

    await mongo.stop();
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await command.request('POST', '/api/v1/inventory/mo-a/adjustments', { delta: 1, reason: `restock ${i}` }))
          .status,
      ).toBe(200);
    }
    const down = await query.get('/api/v1/inventory/mo-a');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 'READ_MODEL_UNAVAILABLE', success: false });
    const notReady = await query.get('/health/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ code: 'NOT_READY', checks: { mongodb: { status: 'down' } } });

    await mongo.start();
    const caughtUp = await query.eventually(
      '/api/v1/inventory/mo-a',
      (body) => (body.data as { version?: number } | undefined)?.version === 6,
      { timeoutMs: 45000 },
    );
    expect(caughtUp.data).toMatchObject({ onHand: 15, available: 15, version: 6 });
    expect((await query.get('/health/ready')).status).toBe(200);
  });
});
