import { EventSchemaError, validatePayload } from './event-schemas';

describe('event payload schemas', () => {
  it('accepts a valid payload', () => {
    expect(() =>
      validatePayload('InventoryAllocated', { productId: 'sku-1', orderId: 'o1', quantity: 3 }),
    ).not.toThrow();
  });

  it.each([
    ['an unknown event type', 'Nope', {}],
    ['a missing field', 'InventoryAllocated', { productId: 'sku-1', quantity: 3 }],
    ['a negative quantity', 'InventoryAllocated', { productId: 'sku-1', orderId: 'o1', quantity: -3 }],
    ['an extra field', 'InventoryDiscontinued', { productId: 'sku-1', extra: true }],
    ['an unknown status', 'OrderStatusUpdated', { orderId: 'o1', previousStatus: 'REGISTERED', status: 'LOST' }],
  ])('rejects %s', (_case, type, payload) => {
    expect(() => validatePayload(type, payload)).toThrow(EventSchemaError);
  });
});
