import { assertFilterable, PACKED_FIELD, packingCodec, STORED_AS_IS } from './stored-document';

describe('stored documents', () => {
  const order = {
    _id: 'o-1',
    version: 3,
    customerId: 'c-1',
    status: 'REGISTERED',
    lines: [{ productId: 'p-1', ordered: 2, shipped: 0 }],
    shippingAddress: { city: 'Springfield', country: 'US' },
    cancelledAt: null,
    totalMinor: 3998,
  };
  const codec = packingCodec<typeof order>(['customerId', 'status']);

  it('keeps _id, version and the queried fields as fields, and packs the others in one string', () => {
    const stored = codec.encode(order);
    expect(Object.keys(stored).sort()).toEqual(['_id', 'customerId', PACKED_FIELD, 'status', 'version']);
    expect(JSON.parse(stored[PACKED_FIELD] as string)).toEqual({
      lines: order.lines,
      shippingAddress: order.shippingAddress,
      cancelledAt: null,
      totalMinor: 3998,
    });
  });

  it('decodes to the document it encoded', () => {
    expect(codec.decode(codec.encode(order))).toEqual(order);
  });

  it('decodes a document stored whole (before its read model was packed) as it is', () => {
    expect(codec.decode({ ...order })).toEqual(order);
  });

  it('refuses to keep the packed field itself as a queried field', () => {
    expect(() => packingCodec<{ _id: string; packed: string }>(['packed'])).toThrow(/cannot query/);
  });

  it('lets a filter name only what is stored as a field', () => {
    expect(() =>
      assertFilterable(codec, { _id: 'o-1', customerId: 'c-1', status: 'REGISTERED' }, 'orders'),
    ).not.toThrow();
    expect(() => assertFilterable(codec, { $or: [{ status: 'REGISTERED' }] }, 'orders')).not.toThrow();
    expect(() => assertFilterable(codec, { status: 'REGISTERED', totalMinor: 3998 }, 'orders')).toThrow(
      /orders stores "totalMinor" packed/,
    );
    expect(() => assertFilterable(codec, { 'lines.productId': 'p-1' }, 'orders')).toThrow(/packed/);
    expect(() => assertFilterable(STORED_AS_IS, { anything: 1 }, 'inventory')).not.toThrow();
  });

  it('stores documents of read models without packing as they are', () => {
    expect(STORED_AS_IS.decode(STORED_AS_IS.encode(order))).toBe(order);
  });
});
