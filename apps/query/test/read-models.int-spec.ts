import { serializeEnvelope } from '@of/contracts';
import { testKafka, uniqueName } from '../../../test/support/kafka-test-helpers';
import { type Harness, isolatedTopics, startCommandApp } from '../../command/test/command-app.harness';
import { type QueryHarness, startQueryApp } from './query-app.harness';
import { ADDRESS as address } from '../../../test/support/fixtures';

const admin = { authorization: 'Bearer integration-admin-token' };

type Data = Record<string, unknown>;

describe('read models fed by the real command app through a real broker', () => {
  const topics = isolatedTopics();
  const database = uniqueName('it_rm').replace(/-/g, '_');
  let command: Harness;
  let query: QueryHarness;
  const orders: string[] = [];

  const register = async (customerId: string, items: { productId: string; quantity: number; price: string }[]) => {
    const reply = await command.request('POST', '/api/v1/orders', { customerId, items, shippingAddress: address });
    expect(reply.status).toBe(201);
    orders.push(reply.body.data?.orderId as string);
    return reply.body.data?.orderId as string;
  };

  beforeAll(async () => {
    command = await startCommandApp(topics);
    query = await startQueryApp(topics, database);
    await command.request('PUT', '/api/v1/inventory/rm-a', { quantity: 20, name: 'Alpha' });
    await command.request('PUT', '/api/v1/inventory/rm-b', { quantity: 5 });
    const first = await register('rm-c1', [
      { productId: 'rm-a', quantity: 3, price: '10.00' },
      { productId: 'rm-b', quantity: 1, price: '2.50' },
    ]);
    await register('rm-c1', [{ productId: 'rm-a', quantity: 1, price: '10.00' }]);
    const third = await register('rm-c2', [{ productId: 'rm-b', quantity: 2, price: '2.50' }]);
    await command.request('POST', `/api/v1/orders/${first}/shipments`, { items: [{ productId: 'rm-a', quantity: 3 }] });
    await command.request('POST', `/api/v1/orders/${first}/deliveries`, {
      items: [{ productId: 'rm-a', quantity: 1 }],
    });
    await command.request('DELETE', `/api/v1/orders/${third}`);
  }, 60000);

  afterAll(async () => {
    await query?.close();
    await command?.close();
  });

  it('OrderSummary: lines with ordered, shipped and delivered, totals and status (read-your-writes)', async () => {
    const reply = await query.get(`/api/v1/orders/${orders[0]}?minVersion=5`);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({
      orderId: orders[0],
      customerId: 'rm-c1',
      status: 'PARTIALLY_DELIVERED',
      totalCost: '32.50',
      version: 5,
      lines: [
        { productId: 'rm-a', ordered: 3, shipped: 3, delivered: 1, unitPrice: '10.00' },
        { productId: 'rm-b', ordered: 1, shipped: 0, delivered: 0, unitPrice: '2.50' },
      ],
    });
    const cancelled = await query.get(`/api/v1/orders/${orders[2]}?minVersion=2`);
    expect(cancelled.body.data).toMatchObject({ status: 'CANCELLED', version: 2 });
  });

  it('lists orders newest first, filtered by status or customer, page by page', async () => {
    const all = await query.eventually<Data[]>(
      '/api/v1/orders?customerId=rm-c1',
      (body) => (body.data ?? []).length === 2,
    );
    expect((all.data ?? []).map((order) => order.orderId)).toEqual([orders[1], orders[0]]);
    const firstPage = await query.get('/api/v1/orders?customerId=rm-c1&limit=1');
    expect((firstPage.body.data as Data[]).map((order) => order.orderId)).toEqual([orders[1]]);
    const secondPage = await query.get(
      `/api/v1/orders?customerId=rm-c1&limit=1&cursor=${String(firstPage.body.nextCursor)}`,
    );
    expect((secondPage.body.data as Data[]).map((order) => order.orderId)).toEqual([orders[0]]);
    expect(secondPage.body.nextCursor).toBeNull();
    const cancelled = await query.get('/api/v1/orders?status=CANCELLED&customerId=rm-c2');
    expect((cancelled.body.data as Data[]).map((order) => order.orderId)).toEqual([orders[2]]);
  });

  it('InventoryStatus: on-hand, allocated, available and status per product', async () => {
    const a = await query.eventually<Data>('/api/v1/inventory/rm-a', (body) => body.data?.version === 4);
    expect(a.data).toMatchObject({
      productId: 'rm-a',
      name: 'Alpha',
      onHand: 17,
      allocated: 1,
      available: 16,
      status: 'AVAILABLE',
    });
    const b = await query.eventually<Data>('/api/v1/inventory/rm-b', (body) => body.data?.version === 4);
    expect(b.data).toMatchObject({ onHand: 5, allocated: 1, available: 4, status: 'AVAILABLE' });
  });

  it('FulfillmentWorkQueue: open orders oldest first with what is left per line', async () => {
    const queue = await query.eventually<Data[]>('/api/v1/fulfillment/queue?limit=100', (body) =>
      (body.data ?? []).some((item) => item.orderId === orders[0] && item.version === 5),
    );
    const mine = (queue.data ?? []).filter((item) => orders.includes(item.orderId as string));
    expect(mine.map((item) => item.orderId)).toEqual([orders[0], orders[1]]);
    expect(mine[0]).toMatchObject({
      status: 'PARTIALLY_DELIVERED',
      itemsRemaining: 1,
      lines: [{ productId: 'rm-b', remaining: 1 }],
    });
  });

  it('CustomerOrderHistory: orders, count, total spent per currency without cancelled orders', async () => {
    const c1 = await query.eventually<Data>('/api/v1/customers/rm-c1/orders', (body) => body.data?.orderCount === 2);
    expect(c1.data).toMatchObject({ customerId: 'rm-c1', orderCount: 2, totalSpent: { EUR: '42.50' } });
    const c2 = await query.eventually<Data>(
      '/api/v1/customers/rm-c2/orders',
      (body) => (body.data?.orders as Data[] | undefined)?.[0]?.status === 'CANCELLED',
    );
    expect(c2.data).toMatchObject({ orderCount: 1, totalSpent: {} });
  });

  it('ignores a duplicated event, sends a poison event to the dead-letter topic, and keeps going', async () => {
    const producer = testKafka('it-poison').producer();
    await producer.connect();
    const duplicate = {
      eventId: 'dup',
      eventType: 'InventoryAllocated',
      schemaVersion: 1,
      aggregateType: 'Inventory' as const,
      aggregateId: 'rm-a',
      aggregateVersion: 2,
      occurredAt: new Date().toISOString(),
      correlationId: 'dup',
      causationId: null,
      payload: { productId: 'rm-a', orderId: orders[0], quantity: 3 },
    };
    await producer.send({
      topic: topics.inventory,
      messages: [
        { key: 'rm-a', value: serializeEnvelope(duplicate) },
        { key: 'rm-a', value: 'this is not an event' },
      ],
    });
    await producer.disconnect();
    await command.request('POST', '/api/v1/inventory/rm-a/adjustments', { delta: 3, reason: 'restock' });

    const a = await query.eventually<Data>('/api/v1/inventory/rm-a', (body) => body.data?.version === 5);
    expect(a.data).toMatchObject({ onHand: 20, allocated: 1, available: 19 });
    const status = await query.eventually<Data>(
      '/api/v1/admin/projections',
      (body) => body.data?.deadLetterCount === 1,
      { headers: admin },
    );
    expect(status.data).toMatchObject({ deadLetterCount: 1, generation: 1 });
  });

  it('rejects operator injection and malformed parameters with 400 problem+json', async () => {
    for (const url of [
      '/api/v1/orders?status[$ne]=CANCELLED',
      '/api/v1/orders?customerId[$gt]=',
      '/api/v1/orders?status=LOST',
      '/api/v1/orders?limit=0',
      '/api/v1/orders?limit=101',
      '/api/v1/orders?limit=abc',
      '/api/v1/orders?cursor=not-a-cursor',
      '/api/v1/orders?unknown=1',
      '/api/v1/orders/-not~an-id',
      '/api/v1/inventory?status=$where',
      '/api/v1/fulfillment/queue?status=SHIPPED',
      '/api/v1/customers/bad%20id/orders',
    ]) {
      const reply = await query.get(url);
      expect({ url, status: reply.status, code: reply.body.code }).toEqual({
        url,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect((await query.get('/api/v1/orders/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await query.get('/api/v1/orders/order-012')).body).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
    expect((await query.get('/api/v1/inventory/rm-none')).status).toBe(404);
    expect((await query.get('/api/v1/customers/rm-none/orders')).status).toBe(404);
    expect((await query.get('/api/v1/admin/projections')).status).toBe(401);
  });

  it('rebuilds every read model from the topics into a new generation with equal documents', async () => {
    const snapshot = async () => ({
      orders: await Promise.all(orders.map(async (id) => (await query.get(`/api/v1/orders/${id}`)).body.data)),
      inventory: [
        (await query.get('/api/v1/inventory/rm-a')).body.data,
        (await query.get('/api/v1/inventory/rm-b')).body.data,
      ],
      c1: (await query.get('/api/v1/customers/rm-c1/orders')).body.data,
      c2: (await query.get('/api/v1/customers/rm-c2/orders')).body.data,
      queue: ((await query.get('/api/v1/fulfillment/queue?limit=100')).body.data as Data[]).filter((item) =>
        orders.includes(item.orderId as string),
      ),
    });
    const before = await snapshot();
    const started = await query.post('/api/v1/admin/projections/rebuild', admin);
    expect(started.status).toBe(202);
    await query.eventually<Data>(
      '/api/v1/admin/projections',
      (body) => (body.data?.rebuild as Data | undefined)?.state === 'completed',
      { timeoutMs: 30000, headers: admin },
    );
    const after = await snapshot();
    expect((await query.get('/api/v1/admin/projections', admin)).body.data).toMatchObject({ generation: 2 });
    const stripTimes = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value, (key, item: unknown) => (key === 'updatedAt' && typeof item === 'string' ? '' : item)),
      );
    expect(stripTimes(after)).toEqual(stripTimes(before));
    // The rebuilt generation is live now: a new order shows in its customer's summary within seconds.
    await register('rm-c1', [{ productId: 'rm-a', quantity: 1, price: '1.00' }]);
    await query.eventually<Data>('/api/v1/customers/rm-c1/orders', (body) => body.data?.orderCount === 3, {
      timeoutMs: 10000,
    });
  });
  it('pages through every order newest first, and the queue oldest first, across several seconds', async () => {
    // Orders spread over several seconds, so the pages cross seconds.
    await command.request('PUT', '/api/v1/inventory/rm-spread', { quantity: 100 });
    const spread: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      for (let i = 0; i < 3; i += 1)
        spread.push(await register(`rm-spread-${i}`, [{ productId: 'rm-spread', quantity: 1, price: '1.00' }]));
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    const last = spread[spread.length - 1];
    await query.eventually(`/api/v1/orders/${last}?minVersion=1`, (body) => body.data !== undefined);
    const createdAt = new Map<string, string>();
    const walk = async (path: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const reply = await query.get(
          `${path}${path.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(reply.status).toBe(200);
        for (const order of reply.body.data as Data[]) {
          seen.push(String(order.orderId));
          createdAt.set(String(order.orderId), String(order.createdAt));
        }
        cursor = reply.body.nextCursor as string | null;
      } while (cursor);
      return seen;
    };
    const newestFirst = await walk('/api/v1/orders');
    // Every order exactly once, in creation order (creation time, then id).
    const oldestFirst = (ids: string[]) =>
      [...ids].sort((a, b) => createdAt.get(a)!.localeCompare(createdAt.get(b)!) || a.localeCompare(b));
    expect(new Set(newestFirst).size).toBe(newestFirst.length);
    expect(newestFirst.filter((id) => spread.includes(id))).toEqual(oldestFirst(spread).reverse());
    expect(newestFirst).toEqual(oldestFirst(newestFirst).reverse());
    const registered = await walk('/api/v1/orders?status=REGISTERED');
    expect(registered.filter((id) => spread.includes(id))).toEqual(oldestFirst(spread).reverse());
    const queue = await walk('/api/v1/fulfillment/queue');
    expect(new Set(queue).size).toBe(queue.length);
    expect(queue.filter((id) => spread.includes(id))).toEqual(oldestFirst(spread));
    expect(queue).toEqual(oldestFirst(queue));
    expect(queue).not.toContain(orders[2]); // cancelled
  });
});
