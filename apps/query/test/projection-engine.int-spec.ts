import { MongoClient } from 'mongodb';
import { uniqueName } from '../../../test/support/kafka-test-helpers';
import type { ConsumedEvent } from '../src/projections/parsed-event';
import { ProjectionEngine } from '../src/projections/projection-engine';
import { collectionNamer } from '../src/projections/projection-state';
import { READ_MODELS } from '../src/projections/read-models';
import { envelope, orderCreated } from './events.fixture';

const consumed = (events: ReturnType<typeof envelope>[]): ConsumedEvent[] =>
  events.map((event, index) => ({
    topic: 'orders',
    partition: 0,
    offset: String(index),
    key: Buffer.from(event.aggregateId),
    value: Buffer.from(JSON.stringify(event)),
    headers: {},
    envelope: event,
    problem: null,
  }));

describe('projection engine against a real MongoDB-wire server', () => {
  const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
  const db = client.db(uniqueName('it_engine').replace(/-/g, '_'));
  const engine = new ProjectionEngine(db, READ_MODELS);
  const namer = collectionNamer(1);

  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  const indexNames = async (name: string) =>
    (await db.collection(namer(name)).listIndexes().toArray()).map((index) =>
      String((index as { name?: unknown }).name),
    );

  it('creates its indexes idempotently, and drops those its read models no longer name', async () => {
    // As an earlier version made them: sorted indexes no query uses any more.
    await db.collection(namer('order_summaries')).createIndexes([
      { key: { createdAt: -1, _id: -1 }, name: 'newest_first' },
      { key: { status: 1, createdAt: -1, _id: -1 }, name: 'by_status' },
    ]);
    await engine.ensureIndexes(namer);
    await engine.ensureIndexes(namer);

    expect((await indexNames('order_summaries')).sort()).toEqual(['_id_', 'by_customer', 'by_second']);
    expect((await indexNames('fulfillment_queue')).sort()).toEqual(['_id_', 'by_second']);
    expect((await indexNames('customer_order_history')).sort()).toEqual(['_id_', 'by_customer']);
  });

  it('applies a replayed batch with no effect, and parks a version gap', async () => {
    const history = consumed([
      orderCreated('e1', 'ec1'),
      envelope('OrderItemsShipped', 'e1', 2, { orderId: 'e1', items: [{ productId: 'sku-a', quantity: 1 }] }),
      envelope('OrderStatusUpdated', 'e1', 3, {
        orderId: 'e1',
        previousStatus: 'REGISTERED',
        status: 'PARTIALLY_SHIPPED',
      }),
    ]);
    const first = await engine.apply(history, namer);
    expect(first.deadLetters).toEqual([]);
    const snapshot = async () => ({
      order: await db.collection(namer('order_summaries')).findOne({ _id: 'e1' as never }),
      customer: await db.collection(namer('customer_order_history')).findOne({ _id: 'e1' as never }),
      queue: await db.collection(namer('fulfillment_queue')).findOne({ _id: 'e1' as never }),
    });
    const before = await snapshot();
    expect(before.order).toMatchObject({ version: 3, status: 'PARTIALLY_SHIPPED' });

    const replay = await engine.apply(history, namer);
    expect(replay.deadLetters).toEqual([]);
    const after = await snapshot();
    expect({ ...after.order }).toEqual({ ...before.order });
    expect({ ...after.queue }).toEqual({ ...before.queue });
    expect({ ...after.customer }).toEqual({ ...before.customer });

    const gap = await engine.apply(
      consumed([envelope('OrderCancelled', 'e1', 5, { orderId: 'e1', reason: null })]),
      namer,
    );
    expect(gap.deadLetters.map((letter) => letter.reason)).toEqual(['VERSION_GAP']);
    expect(await db.collection(namer('order_summaries')).findOne({ _id: 'e1' as never })).toMatchObject({ version: 3 });
  });

  it('finds a redelivered creation already written, without a cache, and folds only what is new', async () => {
    const created = orderCreated('e2', 'ec2');
    const shipped = envelope('OrderItemsShipped', 'e2', 2, {
      orderId: 'e2',
      items: [{ productId: 'sku-a', quantity: 1 }],
    });
    const updated = envelope('OrderStatusUpdated', 'e2', 3, {
      orderId: 'e2',
      previousStatus: 'REGISTERED',
      status: 'PARTIALLY_SHIPPED',
    });
    await engine.apply(consumed([created, shipped]), namer);
    // A restarted consumer (empty cache) gets the batch again, now with one more event.
    const restarted = new ProjectionEngine(db, READ_MODELS);
    const written: [string, number | undefined][] = [];
    const result = await restarted.apply(consumed([created, shipped, updated]), namer, (readModel, versions) =>
      written.push([readModel, versions.get('e2')]),
    );
    expect(result.deadLetters).toEqual([]);
    // Each order read model reports version 3 as soon as it is written; OrderSummary first.
    expect(written).toEqual([
      ['order_summaries', 3],
      ['fulfillment_queue', 3],
      ['customer_order_history', 3],
    ]);
    expect(await db.collection(namer('order_summaries')).findOne({ _id: 'e2' as never })).toMatchObject({
      version: 3,
      status: 'PARTIALLY_SHIPPED',
      // Shipped once, not twice: the redelivered shipment was skipped.
      lines: [
        expect.objectContaining({ productId: 'sku-a', shipped: 1 }),
        expect.objectContaining({ productId: 'sku-b', shipped: 0 }),
      ],
    });
    expect(await db.collection(namer('customer_order_history')).find({ customerId: 'ec2' }).toArray()).toEqual([
      expect.objectContaining({ _id: 'e2', status: 'PARTIALLY_SHIPPED', version: 3 }),
    ]);
    expect(await db.collection(namer('fulfillment_queue')).findOne({ _id: 'e2' as never })).toMatchObject({
      version: 3,
    });
  });

  it('reads again after forget(): documents changed behind its back are folded from what is there', async () => {
    await engine.apply(consumed([orderCreated('e3', 'ec3')]), namer);
    await db
      .collection(namer('order_summaries'))
      .updateOne({ _id: 'e3' as never }, { $set: { version: 2, status: 'PARTIALLY_SHIPPED' } });
    engine.forget();
    const result = await engine.apply(
      consumed([envelope('OrderCancelled', 'e3', 2, { orderId: 'e3', reason: null })]),
      namer,
    );
    expect(result.deadLetters).toEqual([]);
    // Version 2 is already there, so the event is skipped: a stale cached copy would have applied it.
    const order = await db.collection(namer('order_summaries')).findOne({ _id: 'e3' as never });
    expect(order).toMatchObject({ version: 2, status: 'PARTIALLY_SHIPPED' });
  });
});
