import { ADMIN_TOKEN, type Harness, isolatedTopics, readCommitted, startCommandApp } from './command-app.harness';
import { ADDRESS as address } from '../../../test/support/fixtures';

const order = (items: { productId: string; quantity: number; price: number | string }[], customerId = 'cust-1') => ({
  customerId,
  items,
  shippingAddress: address,
});
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('command app against a real Kafka broker', () => {
  const topics = isolatedTopics();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startCommandApp(topics);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('publishes every event on its topic, keyed by aggregate id, with contiguous versions in order', async () => {
    expect((await harness.request('PUT', '/api/v1/inventory/pub-a', { quantity: 10 })).status).toBe(200);
    expect((await harness.request('PUT', '/api/v1/inventory/pub-b', { quantity: 10 })).status).toBe(200);
    const registered = await harness.request(
      'POST',
      '/api/v1/orders',
      order([
        { productId: 'pub-a', quantity: 2, price: 10 },
        { productId: 'pub-b', quantity: 1, price: '2.50' },
      ]),
      { 'x-correlation-id': 'corr-publish-1' },
    );
    expect(registered.status).toBe(201);
    const orderId = registered.body.data?.orderId as string;
    expect(registered.headers.location).toBe(`/api/v1/orders/${orderId}`);
    expect(registered.headers.etag).toBe('"1"');
    expect(registered.body.data).toMatchObject({ version: 1, status: 'REGISTERED', totalCost: '22.50' });

    await harness.request('POST', `/api/v1/orders/${orderId}/shipments`, {
      items: [{ productId: 'pub-a', quantity: 1 }],
    });
    await harness.request('PUT', `/api/v1/orders/${orderId}/status`, { status: 'DELIVERED' });

    const messages = await readCommitted(topics);
    const orderEvents = messages.filter((m) => m.envelope.aggregateId === orderId);
    expect(orderEvents.every((m) => m.topic === topics.orders && m.key === orderId)).toBe(true);
    expect(new Set(orderEvents.map((m) => m.partition)).size).toBe(1);
    expect(orderEvents.map((m) => [m.envelope.aggregateVersion, m.envelope.eventType])).toEqual([
      [1, 'OrderCreated'],
      [2, 'OrderItemsShipped'],
      [3, 'OrderStatusUpdated'],
      [4, 'OrderItemsShipped'],
      [5, 'OrderStatusUpdated'],
      [6, 'OrderItemsDelivered'],
      [7, 'OrderStatusUpdated'],
    ]);
    const created = orderEvents[0].envelope;
    expect(created).toMatchObject({ aggregateType: 'Order', schemaVersion: 1, correlationId: 'corr-publish-1' });
    expect(created.payload).toMatchObject({ totalMinor: 2250, currency: 'EUR' });

    for (const productId of ['pub-a', 'pub-b']) {
      const events = messages.filter((m) => m.envelope.aggregateId === productId);
      expect(events.every((m) => m.topic === topics.inventory && m.key === productId)).toBe(true);
      expect(events.map((m) => m.envelope.aggregateVersion)).toEqual(events.map((_, index) => index + 1));
    }
    // The registration's events share one causation id: one command, one transaction.
    const causedByRegistration = messages.filter((m) => m.envelope.causationId === created.causationId);
    expect(causedByRegistration.map((m) => m.envelope.eventType).sort()).toEqual([
      'InventoryAllocated',
      'InventoryAllocated',
      'OrderCreated',
    ]);
  });

  it('answers a retry with the same Idempotency-Key with the first response and records nothing new', async () => {
    await harness.request('PUT', '/api/v1/inventory/idem-a', { quantity: 5 });
    const body = order([{ productId: 'idem-a', quantity: 1, price: 1 }]);
    const first = await harness.request('POST', '/api/v1/orders', body, { 'idempotency-key': 'key-1' });
    const again = await harness.request('POST', '/api/v1/orders', { ...body }, { 'idempotency-key': 'key-1' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await harness.request(
      'POST',
      '/api/v1/orders',
      order([{ productId: 'idem-a', quantity: 2, price: 1 }]),
      {
        'idempotency-key': 'key-1',
      },
    );
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const product = await harness.request('GET', '/api/v1/admin/aggregates/inventory/idem-a', undefined, admin);
    expect(product.body.data).toMatchObject({ version: 2, state: { allocated: 1 } });
  });

  it('rejects a command whose If-Match names another version with 409 and both versions', async () => {
    await harness.request('PUT', '/api/v1/inventory/match-a', { quantity: 5 });
    const stale = await harness.request('PUT', '/api/v1/inventory/match-a', { quantity: 6 }, { 'if-match': '"7"' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'CONCURRENCY_CONFLICT', expectedVersion: 7, actualVersion: 1 });
    const fresh = await harness.request('PUT', '/api/v1/inventory/match-a', { quantity: 6 }, { 'if-match': '"1"' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe('"2"');
  });

  it('never over-allocates: 200 concurrent registrations against 50 units', async () => {
    await harness.request('PUT', '/api/v1/inventory/race-a', { quantity: 50 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        harness.request(
          'POST',
          '/api/v1/orders',
          order([{ productId: 'race-a', quantity: 1, price: 1 }], `racer-${i}`),
        ),
      ),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(50);
    expect(statuses.filter((status) => status === 422)).toHaveLength(150);
    expect(results.find((result) => result.status === 422)?.body).toMatchObject({
      code: 'INSUFFICIENT_INVENTORY',
      products: [{ productId: 'race-a', requested: 1, available: 0 }],
    });
    const product = await harness.request('GET', '/api/v1/admin/aggregates/inventory/race-a', undefined, admin);
    expect(product.body.data).toMatchObject({ version: 51, state: { onHand: 50, allocated: 50 } });
    const history = await harness.request('GET', '/api/v1/admin/events/race-a', undefined, admin);
    const events = (history.body.data as { events: { eventType: string }[] }).events;
    expect(events.filter((event) => event.eventType === 'InventoryAllocated')).toHaveLength(50);
  });

  it('rebuilds identical state from Kafka after a restart, and continues the versions', async () => {
    await harness.request('PUT', '/api/v1/inventory/restart-a', { quantity: 9, name: 'Restart' });
    const registered = await harness.request(
      'POST',
      '/api/v1/orders',
      order([{ productId: 'restart-a', quantity: 4, price: '3.10' }]),
      {
        'idempotency-key': 'restart-key',
      },
    );
    const orderId = registered.body.data?.orderId as string;
    await harness.request('POST', `/api/v1/orders/${orderId}/shipments`, {
      items: [{ productId: 'restart-a', quantity: 1 }],
    });
    const before = {
      order: (await harness.request('GET', `/api/v1/admin/aggregates/orders/${orderId}`, undefined, admin)).body,
      product: (await harness.request('GET', '/api/v1/admin/aggregates/inventory/restart-a', undefined, admin)).body,
      events: (await harness.request('GET', `/api/v1/admin/events/${orderId}`, undefined, admin)).body,
    };

    await harness.close();
    harness = await startCommandApp(topics);

    expect((await harness.request('GET', `/api/v1/admin/aggregates/orders/${orderId}`, undefined, admin)).body).toEqual(
      before.order,
    );
    expect(
      (await harness.request('GET', '/api/v1/admin/aggregates/inventory/restart-a', undefined, admin)).body,
    ).toEqual(before.product);
    expect((await harness.request('GET', `/api/v1/admin/events/${orderId}`, undefined, admin)).body).toEqual(
      before.events,
    );

    // The idempotency record came back from Kafka too.
    const retry = await harness.request(
      'POST',
      '/api/v1/orders',
      order([{ productId: 'restart-a', quantity: 4, price: '3.10' }]),
      {
        'idempotency-key': 'restart-key',
      },
    );
    expect(retry.body).toEqual(registered.body);

    const next = await harness.request('PUT', `/api/v1/orders/${orderId}/status`, { status: 'SHIPPED' });
    expect(next.status).toBe(200);
    expect(next.body.data).toMatchObject({ version: 5, status: 'SHIPPED' });
  });

  it('shows an aggregate as of any earlier version', async () => {
    await harness.request('PUT', '/api/v1/inventory/history-a', { quantity: 3 });
    await harness.request('POST', '/api/v1/inventory/history-a/adjustments', { delta: 4, reason: 'restock' });
    const v1 = await harness.request(
      'GET',
      '/api/v1/admin/aggregates/inventory/history-a?atVersion=1',
      undefined,
      admin,
    );
    expect(v1.body.data).toMatchObject({ version: 1, state: { onHand: 3 } });
    const v2 = await harness.request(
      'GET',
      '/api/v1/admin/aggregates/inventory/history-a?atVersion=2',
      undefined,
      admin,
    );
    expect(v2.body.data).toMatchObject({ version: 2, state: { onHand: 7 } });
    const tail = await harness.request('GET', '/api/v1/admin/events/history-a?fromVersion=2', undefined, admin);
    expect((tail.body.data as { events: unknown[] }).events).toHaveLength(1);
    expect((await harness.request('GET', '/api/v1/admin/events/history-a')).status).toBe(401);
  });
});
