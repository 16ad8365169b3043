import { envelope, fold, orderCreated } from '../../test/events.fixture';
import { customerHistoryProjection } from './customer-history.projection';

const apply = customerHistoryProjection.apply.bind(customerHistoryProjection);

describe('CustomerOrderHistory entries', () => {
  it('keeps one entry per order with its total and item count', () => {
    expect(fold(apply, [orderCreated('o1', 'c1')])).toMatchObject({
      _id: 'o1',
      customerId: 'c1',
      status: 'REGISTERED',
      currency: 'EUR',
      totalMinor: 2550,
      itemCount: 3,
      version: 1,
    });
  });

  it('moves only the version on shipments, and keeps the number the ledger gave', () => {
    const numbered = { ...fold(apply, [orderCreated('o9', 'c1')]), seq: 4 };
    const shipped = apply(
      numbered,
      envelope('OrderItemsShipped', 'o9', 2, { orderId: 'o9', items: [{ productId: 'sku-a', quantity: 1 }] }),
    );
    expect(shipped).toMatchObject({ status: 'REGISTERED', version: 2, seq: 4 });
  });

  it('follows cancellations and status updates', () => {
    const cancelled = fold(apply, [
      orderCreated('o3', 'c1'),
      envelope('OrderCancelled', 'o3', 2, { orderId: 'o3', reason: null }),
    ]);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', version: 2 });
    const delivered = fold(apply, [
      orderCreated('o4', 'c1'),
      envelope('OrderStatusUpdated', 'o4', 2, { orderId: 'o4', previousStatus: 'REGISTERED', status: 'SHIPPED' }),
    ]);
    expect(delivered).toMatchObject({ status: 'SHIPPED', version: 2 });
  });
});
