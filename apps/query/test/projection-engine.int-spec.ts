import { MongoClient } from 'mongodb';
import { uniqueName } from '../../../test/support/kafka-test-helpers';
import type { ConsumedEvent } from '../src/projections/parsed-event';
import { ProjectionEngine } from '../src/projections/projection-engine';
import { layoutOf } from '../src/read-store/storage-layout';
import { collectionNamer } from '../src/projections/projection-state';
import { READ_MODELS } from '../src/projections/read-models';
import { type IdDocument, PACKED_FIELD } from '../src/read-store/stored-document';
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

  const stored = (readModel: string, id: string) => db.collection<IdDocument>(namer(readModel)).findOne({ _id: id });
  const storage = (readModel: string) => layoutOf(READ_MODELS.find((model) => model.name === readModel)!).codec;
  /** A document as its read model sees it. */
  const read = async (readModel: string, id: string) => {
    const document = await stored(readModel, id);
    return document && storage(readModel).decode(document);
  };

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

    expect((await indexNames('order_summaries')).sort()).toEqual([
      '_id_',
      'sorted_by_creation',
      'sorted_by_customerId_creation',
      'sorted_by_customerId_status_creation',
      'sorted_by_status_creation',
    ]);
    expect((await indexNames('fulfillment_queue')).sort()).toEqual([
      '_id_',
      'sorted_by_open_creation',
      'sorted_by_open_status_creation',
    ]);
    expect((await indexNames('customer_order_history')).sort()).toEqual(['_id_', 'sorted_by_customerId_sequence']);
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
      order: await read('order_summaries', 'e1'),
      customer: await read('customer_order_history', 'e1'),
      queue: await read('fulfillment_queue', 'e1'),
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
    expect(await read('order_summaries', 'e1')).toMatchObject({ version: 3 });
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
    expect(await read('order_summaries', 'e2')).toMatchObject({
      version: 3,
      status: 'PARTIALLY_SHIPPED',
      // Shipped once, not twice: the redelivered shipment was skipped.
      lines: [
        expect.objectContaining({ productId: 'sku-a', shipped: 1 }),
        expect.objectContaining({ productId: 'sku-b', shipped: 0 }),
      ],
    });
    const entries = await db
      .collection<IdDocument>(namer('customer_order_history'))
      .find({ customerId: 'ec2' })
      .toArray();
    expect(entries.map((entry) => storage('customer_order_history').decode(entry))).toEqual([
      expect.objectContaining({ _id: 'e2', status: 'PARTIALLY_SHIPPED', version: 3, seq: 0 }),
    ]);
    expect(await read('fulfillment_queue', 'e2')).toMatchObject({ version: 3 });
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
    expect(await read('order_summaries', 'e3')).toMatchObject({ version: 2, status: 'PARTIALLY_SHIPPED' });
  });

  it('stores what no query filters on packed, and folds onto documents stored before that whole', async () => {
    await engine.apply(consumed([orderCreated('e4', 'ec4')]), namer);
    const packed = await stored('order_summaries', 'e4');
    expect(Object.keys(packed!).sort()).toEqual([
      '_id',
      'creationKey',
      'customerId',
      PACKED_FIELD,
      'status',
      'version',
    ]);
    // As an earlier version stored it: every field a field.
    const whole = await read('order_summaries', 'e4');
    await db.collection<IdDocument>(namer('order_summaries')).replaceOne({ _id: 'e4' }, whole!);
    engine.forget();
    await engine.apply(
      consumed([envelope('OrderCancelled', 'e4', 2, { orderId: 'e4', reason: 'changed mind' })]),
      namer,
    );
    expect(await stored('order_summaries', 'e4')).toHaveProperty(PACKED_FIELD);
    expect(await read('order_summaries', 'e4')).toEqual({
      ...whole,
      version: 2,
      status: 'CANCELLED',
      cancelledAt: expect.any(String),
      cancellationReason: 'changed mind',
      updatedAt: expect.any(String),
    });
  });
});
