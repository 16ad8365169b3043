import { customerHistoryProjection } from '../customer-history/customer-history.projection';
import { fulfillmentQueueProjection } from '../fulfillment-queue/fulfillment-queue.projection';
import { inventoryStatusProjection } from '../inventory-status/inventory-status.projection';
import { orderSummaryProjection } from '../order-summary/order-summary.projection';
import { compareCreation } from '../http/creation-order';
import type { Projection } from '../projections/projection';
import { creationKey } from './creation-key';
import { layoutOf } from './storage-layout';
import { PACKED_FIELD } from './stored-document';

describe('the FerretDB layout of each read model, from the queries it declares', () => {
  const cases: { name: string; projection: Projection; indexes: unknown[]; companions: string[] }[] = [
    {
      name: 'order summaries: listed by creation, by status, by customer, by both',
      projection: orderSummaryProjection,
      indexes: [
        { key: { creationKey: 1 }, name: 'sorted_by_creation' },
        { key: { status: 1, creationKey: 1 }, name: 'sorted_by_status_creation' },
        { key: { customerId: 1, creationKey: 1 }, name: 'sorted_by_customerId_creation' },
        { key: { customerId: 1, status: 1, creationKey: 1 }, name: 'sorted_by_customerId_status_creation' },
      ],
      companions: [],
    },
    {
      name: 'the queue: open ones listed by creation, with or without a status',
      projection: fulfillmentQueueProjection,
      indexes: [
        { key: { open: 1, creationKey: 1 }, name: 'sorted_by_open_creation' },
        { key: { open: 1, status: 1, creationKey: 1 }, name: 'sorted_by_open_status_creation' },
      ],
      companions: [],
    },
    {
      name: "customer history: a customer's entries listed by sequence, beside the shared ledgers",
      projection: customerHistoryProjection,
      indexes: [{ key: { customerId: 1, sequenceKey: 1 }, name: 'sorted_by_customerId_sequence' }],
      companions: ['customer_ledgers'],
    },
    {
      name: 'inventory: listed by id, by status',
      projection: inventoryStatusProjection,
      indexes: [{ key: { status: 1, _id: 1 }, name: 'sorted_by_status_id' }],
      companions: [],
    },
  ];
  it.each(cases)('$name', ({ projection, indexes, companions }) => {
    const layout = layoutOf(projection);
    expect(layout.indexes).toEqual(indexes);
    expect(layout.companions.map((companion) => companion.name)).toEqual(companions);
  });

  it('stores a listed document with its creation key, packed but for what queries name, and reads it back as it was', () => {
    const { codec } = layoutOf(orderSummaryProjection);
    const order = { _id: 'o1', version: 2, status: 'SHIPPED', createdAt: '2026-12-05T10:11:12.345Z', lines: [1, 2] };
    const stored = codec.encode(order);
    expect(Object.keys(stored).sort()).toEqual(['_id', 'creationKey', PACKED_FIELD, 'status', 'version']);
    expect(stored.creationKey).toBe('2026-12-05T10:11:12.345Z o1');
    expect(codec.decode(stored)).toEqual(order);
    // A filter or a sort on the creation key is one the store can answer.
    expect(codec.stores('creationKey')).toBe(true);
  });

  it('stores a numbered history entry with its sequence key, and one the ledger has not numbered yet without', () => {
    const { codec } = layoutOf(customerHistoryProjection);
    const entry = { _id: 'o1', version: 1, customerId: 'c1', status: 'REGISTERED', seq: 42 };
    const stored = codec.encode(entry);
    expect(Object.keys(stored).sort()).toEqual(['_id', 'customerId', PACKED_FIELD, 'sequenceKey', 'version']);
    expect(stored.sequenceKey).toBe('000000000042');
    expect(codec.decode(stored)).toEqual(entry);
    const { seq: _seq, ...unnumbered } = entry;
    expect(codec.encode(unnumbered)).not.toHaveProperty('sequenceKey');
    expect(codec.decode(codec.encode(unnumbered))).toEqual(unnumbered);
  });

  it('keeps a product whole', () => {
    const { codec } = layoutOf(inventoryStatusProjection);
    const product = { _id: 'p1', version: 1, status: 'AVAILABLE', onHand: 3 };
    expect(codec.encode(product)).toEqual(product);
  });
});

describe('the creation key', () => {
  it('sorts as creation time, then id', () => {
    const documents = [
      { createdAt: '2026-12-05T10:11:12.345Z', _id: 'b' },
      { createdAt: '2026-12-05T10:11:12.345Z', _id: 'a-1' },
      { createdAt: '2026-12-05T10:11:12.346Z', _id: 'a' },
      { createdAt: '2026-12-05T09:59:59.999Z', _id: 'z' },
      { createdAt: '2026-12-05T10:11:12.345Z', _id: 'a' },
    ];
    const byKey = [...documents].sort((x, y) =>
      creationKey(x.createdAt, x._id) < creationKey(y.createdAt, y._id) ? -1 : 1,
    );
    expect(byKey).toEqual([...documents].sort(compareCreation));
  });

  it('of a cursor with no id comes before every document created at that instant', () => {
    expect(creationKey('2026-12-05T10:11:12.345Z', '') < creationKey('2026-12-05T10:11:12.345Z', '0')).toBe(true);
  });
});
