import { PACKED_FIELD, packingCodec, STORED_AS_IS } from './stored-document';

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

  it('stores documents of read models without packing as they are', () => {
    expect(STORED_AS_IS.decode(STORED_AS_IS.encode(order))).toBe(order);
  });
});
