import { envelope, fold, orderCreated } from '../../test/events.fixture';
import { fulfillmentQueueProjection } from './fulfillment-queue.projection';

const apply = fulfillmentQueueProjection.apply.bind(fulfillmentQueueProjection);

describe('FulfillmentWorkQueue projection', () => {
  it('queues a new order with everything left to ship', () => {
    expect(fold(apply, [orderCreated('o1')])).toMatchObject({
      open: true,
      itemsRemaining: 3,
      lines: [
        { productId: 'sku-a', remaining: 2 },
        { productId: 'sku-b', remaining: 1 },
      ],
    });
  });

  it('keeps a partly shipped order open with what is left', () => {
    const document = fold(apply, [
      orderCreated('o1'),
      envelope('OrderItemsShipped', 'o1', 2, { orderId: 'o1', items: [{ productId: 'sku-a', quantity: 1 }] }),
      envelope('OrderStatusUpdated', 'o1', 3, {
        orderId: 'o1',
        previousStatus: 'REGISTERED',
        status: 'PARTIALLY_SHIPPED',
      }),
    ]);
    expect(document).toMatchObject({ open: true, status: 'PARTIALLY_SHIPPED', itemsRemaining: 2, version: 3 });
  });

  it('closes an order once everything shipped, and a cancelled one', () => {
    const shipped = fold(apply, [
      orderCreated('o1'),
      envelope('OrderItemsShipped', 'o1', 2, {
        orderId: 'o1',
        items: [
          { productId: 'sku-a', quantity: 2 },
          { productId: 'sku-b', quantity: 1 },
        ],
      }),
      envelope('OrderStatusUpdated', 'o1', 3, { orderId: 'o1', previousStatus: 'REGISTERED', status: 'SHIPPED' }),
    ]);
    expect(shipped).toMatchObject({ open: false, itemsRemaining: 0, status: 'SHIPPED' });
    const cancelled = fold(apply, [
      orderCreated('o2'),
      envelope('OrderCancelled', 'o2', 2, { orderId: 'o2', reason: null }),
    ]);
    expect(cancelled).toMatchObject({ open: false, status: 'CANCELLED' });
  });
});
