import { customerHistoryProjection } from '../customer-history/customer-history.projection';
import { fulfillmentQueueProjection } from '../fulfillment-queue/fulfillment-queue.projection';
import { inventoryStatusProjection } from '../inventory-status/inventory-status.projection';
import { orderSummaryProjection } from '../order-summary/order-summary.projection';
import type { Projection } from '../projections/projection';
import { CREATION_SECONDS } from './creation-seconds';
import { layoutOf } from './storage-layout';
import { PACKED_FIELD } from './stored-document';

describe('the FerretDB layout of each read model, from the queries it declares', () => {
  const cases: { name: string; projection: Projection; indexes: unknown[]; companions: string[] }[] = [
    {
      name: 'order summaries: listed by creation',
      projection: orderSummaryProjection,
      indexes: [{ key: { createdSecond: 1 }, name: 'by_second' }],
      companions: [CREATION_SECONDS],
    },
    {
      name: 'the queue: listed by creation',
      projection: fulfillmentQueueProjection,
      indexes: [{ key: { createdSecond: 1 }, name: 'by_second' }],
      companions: [CREATION_SECONDS],
    },
    {
      name: 'customer history: found by page, beside the shared ledgers',
      projection: customerHistoryProjection,
      indexes: [{ key: { page: 1 }, name: 'by_page' }],
      companions: ['customer_ledgers'],
    },
    {
      name: 'inventory: listed by id, by status',
      projection: inventoryStatusProjection,
      indexes: [{ key: { status: 1, _id: 1 }, name: 'by_status' }],
      companions: [],
    },
  ];
  it.each(cases)('$name', ({ projection, indexes, companions }) => {
    const layout = layoutOf(projection);
    expect(layout.indexes).toEqual(indexes);
    expect(layout.companions.map((companion) => companion.name)).toEqual(companions);
  });

  it('stores a listed document with its creation second, packed but for what queries name, and reads it back as it was', () => {
    const { codec } = layoutOf(orderSummaryProjection);
    const order = { _id: 'o1', version: 2, status: 'SHIPPED', createdAt: '2026-12-05T10:11:12.345Z', lines: [1, 2] };
    const stored = codec.encode(order);
    expect(Object.keys(stored).sort()).toEqual(['_id', 'createdSecond', PACKED_FIELD, 'status', 'version']);
    expect(stored.createdSecond).toBe('2026-12-05T10:11:12');
    expect(codec.decode(stored)).toEqual(order);
    // A filter on the creation second is one the store can answer.
    expect(codec.stores('createdSecond')).toBe(true);
  });

  it('keeps a product whole', () => {
    const { codec } = layoutOf(inventoryStatusProjection);
    const product = { _id: 'p1', version: 1, status: 'AVAILABLE', onHand: 3 };
    expect(codec.encode(product)).toEqual(product);
  });
});
