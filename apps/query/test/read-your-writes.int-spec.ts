import { uniqueName } from '../../../test/support/kafka-test-helpers';
import { type Harness, isolatedTopics, startCommandApp } from '../../command/test/command-app.harness';
import { type QueryHarness, startQueryApp } from './query-app.harness';
import { ADDRESS as address } from '../../../test/support/fixtures';

type Registered = { orderId: string; version: number };

describe('read-your-writes: GET /api/v1/orders/:id?minVersion, real broker and MongoDB-wire server', () => {
  const topics = isolatedTopics();
  const database = uniqueName('it_ryw').replace(/-/g, '_');
  let command: Harness;
  let query: QueryHarness;

  const register = async (customerId: string): Promise<Registered> => {
    const reply = await command.request('POST', '/api/v1/orders', {
      customerId,
      items: [{ productId: 'ryw-a', quantity: 1, price: '4.00' }],
      shippingAddress: address,
    });
    expect(reply.status).toBe(201);
    return reply.body.data as Registered;
  };

  const readAtLeast = (orderId: string, version: number) =>
    query.get(`/api/v1/orders/${orderId}?minVersion=${version}`);

  beforeAll(async () => {
    command = await startCommandApp(topics);
    query = await startQueryApp(topics, database);
    await command.request('PUT', '/api/v1/inventory/ryw-a', { quantity: 1_000_000 });
  }, 60000);

  afterAll(async () => {
    await query?.close();
    await command?.close();
  });

  it('answers with the version asked for when asked right after the 2xx, one order after the other', async () => {
    for (let index = 0; index < 10; index += 1) {
      const { orderId, version } = await register(`ryw-c${index}`);
      const read = await readAtLeast(orderId, version);
      expect(read.status).toBe(200);
      expect(read.body.data).toMatchObject({ orderId, version, status: 'REGISTERED' });
    }
    const { orderId } = await register('ryw-ship');
    const shipped = await command.request('POST', `/api/v1/orders/${orderId}/shipments`, {
      items: [{ productId: 'ryw-a', quantity: 1 }],
    });
    expect(shipped.status).toBe(200);
    const version = Number((shipped.body.data as Registered).version);
    expect((await readAtLeast(orderId, version)).body.data).toMatchObject({
      version,
      lines: [expect.objectContaining({ productId: 'ryw-a', shipped: 1 })],
    });
  });

  it('a restarted query app (nothing cached) answers for earlier orders while it projects a burst of new ones', async () => {
    const earlier = await Promise.all(Array.from({ length: 8 }, (_, index) => register(`ryw-early-${index}`)));
    for (const { orderId, version } of earlier) expect((await readAtLeast(orderId, version)).status).toBe(200);
    // Same database and consumer group: it resumes where it was, with an empty cache.
    await query.close();
    query = await startQueryApp(topics, database);

    const burst = Promise.all(Array.from({ length: 300 }, (_, index) => register(`ryw-burst-${index % 30}`)));
    const whileBusy = await Promise.all(earlier.map(({ orderId, version }) => readAtLeast(orderId, version)));
    for (const [index, read] of whileBusy.entries()) {
      expect(read.status).toBe(200);
      expect(read.body.data).toMatchObject({ orderId: earlier[index].orderId, version: earlier[index].version });
    }
    const landed = await burst;
    const reads = await Promise.all(landed.map(({ orderId, version }) => readAtLeast(orderId, version)));
    expect(reads.map((read) => [read.status, (read.body.data as Registered).version])).toEqual(
      landed.map(({ version }) => [200, version]),
    );
  }, 60000);
});
