import { EventSchemaError, validatePayload } from './event-schemas';

describe('event payload schemas', () => {
  it('accepts a valid payload', () => {
    expect(() =>
      validatePayload('InventoryAllocated', { productId: 'sku-1', orderId: 'o1', quantity: 3 }),
    ).not.toThrow();
  });

  it.each([
    { case: 'an unknown event type', type: 'Nope', payload: {} },
    { case: 'a missing field', type: 'InventoryAllocated', payload: { productId: 'sku-1', quantity: 3 } },
    {
      case: 'a negative quantity',
      type: 'InventoryAllocated',
      payload: { productId: 'sku-1', orderId: 'o1', quantity: -3 },
    },
    { case: 'an extra field', type: 'InventoryDiscontinued', payload: { productId: 'sku-1', extra: true } },
    {
      case: 'an unknown status',
      type: 'OrderStatusUpdated',
      payload: { orderId: 'o1', previousStatus: 'REGISTERED', status: 'LOST' },
    },
  ])('rejects $case', ({ type, payload }) => {
    expect(() => validatePayload(type, payload)).toThrow(EventSchemaError);
  });
});
