import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { serializeEnvelope } from '@of/contracts';
import { open } from 'lmdb';
import { testKafka } from '../../../test/support/kafka-test-helpers';
import { ADDRESS as address } from '../../../test/support/fixtures';
import { RecoveryState } from '../src/command-handling/recovery-state';
import { EventStore } from '../src/event-store/event-store';
import { ADMIN_TOKEN, type Harness, isolatedTopics, startCommandApp, stateDirOf } from './command-app.harness';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/**
 * The command app keeps committed state in its state store (LMDB under
 * STATE_DIR) and replays only the events the store has not seen; a store that
 * is lost, of another schema or ahead of Kafka is rebuilt from the events.
 */
describe('the command app restarting from its state store, against a real Kafka broker', () => {
  const topics = isolatedTopics();
  let harness: Harness;
  const orders: Record<'delivered' | 'cancelled' | 'open', string> = { delivered: '', cancelled: '', open: '' };
  let totalEvents = 0;

  const register = async (): Promise<string> => {
    const reply = await harness.request('POST', '/api/v1/orders', {
      customerId: 'state-c',
      items: [{ productId: 'state-a', quantity: 1, price: '2.00' }],
      shippingAddress: address,
    });
    expect(reply.status).toBe(201);
    return String(reply.body.data?.orderId);
  };
  const restart = async (): Promise<{ events: number }> => {
    await harness.close();
    harness = await startCommandApp(topics);
    const replay = harness.app.get(RecoveryState).lastReplay;
    if (!replay) throw new Error('the app is ready without a replay report');
    return replay;
  };
  const product = async () =>
    (await harness.request('GET', '/api/v1/admin/aggregates/inventory/state-a', undefined, admin)).body.data;

  beforeAll(async () => {
    harness = await startCommandApp(topics);
    expect((await harness.request('PUT', '/api/v1/inventory/state-a', { quantity: 100 })).status).toBe(200);
    orders.delivered = await register();
    orders.cancelled = await register();
    orders.open = await register();
    expect((await harness.request('POST', `/api/v1/orders/${orders.delivered}/shipments`, {})).status).toBe(200);
    expect((await harness.request('POST', `/api/v1/orders/${orders.delivered}/deliveries`, {})).status).toBe(200);
    const cancel = await harness.request('POST', `/api/v1/orders/${orders.cancelled}/cancel`, { reason: 'test' });
    expect(cancel.status).toBe(200);
    totalEvents = harness.app.get(EventStore).eventCount;
  });
  afterAll(() => harness.close());

  it('replays nothing the store holds, keeps only products in memory, and answers for finished orders', async () => {
    const before = await product();
    expect((await restart()).events).toBe(0);
    expect(harness.app.get(EventStore).eventCount).toBe(totalEvents);

    const cancelDelivered = await harness.request('POST', `/api/v1/orders/${orders.delivered}/cancel`, {
      reason: 'late',
    });
    expect(cancelDelivered.status).toBe(422);
    expect(cancelDelivered.body).toMatchObject({ code: 'ORDER_CANNOT_BE_CANCELLED' });
    const shipCancelled = await harness.request('POST', `/api/v1/orders/${orders.cancelled}/shipments`, {});
    expect(shipCancelled.status).toBe(422);
    expect(await product()).toEqual(before);
    // Refused commands loaded nothing into memory.
    expect(harness.app.get(EventStore).residentCount).toBe(0);

    const ship = await harness.request('POST', `/api/v1/orders/${orders.open}/shipments`, {});
    expect(ship.status).toBe(200);
    // Orders leave memory once stored; the product the shipment touched stays.
    await harness.app.get(EventStore).drain();
    expect(harness.app.get(EventStore).residentCount).toBe(1);
    totalEvents = harness.app.get(EventStore).eventCount;
  });

  it('replays only the events written after its checkpoint', async () => {
    const { version, state } = (await product()) ?? {};
    await harness.close();
    const producer = testKafka('it-state-tail').producer();
    await producer.connect();
    await producer.send({
      topic: topics.inventory,
      messages: [
        {
          key: 'state-a',
          value: serializeEnvelope({
            eventId: randomUUID(),
            eventType: 'InventoryUpdated',
            schemaVersion: 1,
            aggregateType: 'Inventory',
            aggregateId: 'state-a',
            aggregateVersion: Number(version) + 1,
            occurredAt: new Date().toISOString(),
            correlationId: 'behind-its-back',
            causationId: null,
            payload: { productId: 'state-a', name: null, previousOnHand: 99, onHand: 500, kind: 'SET', reason: null },
          }),
        },
      ],
    });
    await producer.disconnect();
    harness = await startCommandApp(topics);
    expect(harness.app.get(RecoveryState).lastReplay?.events).toBe(1);
    expect(await product()).toMatchObject({
      version: Number(version) + 1,
      state: { ...(state as object), onHand: 500 },
    });
    totalEvents += 1;
  });

  it('rebuilds a lost store from the events, with the same state', async () => {
    const before = await product();
    await harness.close();
    rmSync(stateDirOf(topics), { recursive: true, force: true });
    harness = await startCommandApp(topics);
    expect(harness.app.get(RecoveryState).lastReplay?.events).toBe(totalEvents);
    expect(await product()).toEqual(before);
    const again = await harness.request('POST', `/api/v1/orders/${orders.delivered}/cancel`, { reason: 'x' });
    expect(again.body).toMatchObject({ code: 'ORDER_CANNOT_BE_CANCELLED' });
  });

  it('empties a store of another schema and rebuilds it from the events', async () => {
    await harness.close();
    const db = open({ path: join(stateDirOf(topics), 'state.mdb') });
    await db.put(['meta', 'schema'], 0);
    await db.close();
    harness = await startCommandApp(topics);
    expect(harness.app.get(RecoveryState).lastReplay?.events).toBe(totalEvents);
    expect(
      (await harness.request('GET', `/api/v1/admin/aggregates/orders/${orders.open}`, undefined, admin)).body.data,
    ).toMatchObject({ state: { status: 'SHIPPED' } });
  });

  it('rebuilds a store that is ahead of Kafka (topics recreated)', async () => {
    await harness.close();
    const kafkaAdmin = testKafka('it-state-admin').admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.deleteTopics({ topics: [topics.orders, topics.inventory] });
    await kafkaAdmin.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // deletion completes asynchronously
    harness = await startCommandApp(topics);
    expect(harness.app.get(EventStore).eventCount).toBe(0);
    const gone = await harness.request('GET', `/api/v1/admin/aggregates/orders/${orders.open}`, undefined, admin);
    expect(gone.status).toBe(404);
  });
});
