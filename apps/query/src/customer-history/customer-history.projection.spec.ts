import { envelope, fold, orderCreated } from '../../test/events.fixture';
import { customerHistoryProjection, summarizeCustomer } from './customer-history.projection';

const apply = customerHistoryProjection.apply.bind(customerHistoryProjection);

describe('CustomerOrderHistory projection', () => {
  const first = fold(apply, [orderCreated('o1', 'c1')]);
  const second = fold(apply, [orderCreated('o2', 'c1', 'USD')]);
  const third = fold(apply, [
    orderCreated('o3', 'c1'),
    envelope('OrderCancelled', 'o3', 2, { orderId: 'o3', reason: null }),
  ]);

  it('keeps one entry per order; shipments only move its version', () => {
    const shipped = fold(apply, [
      orderCreated('o9', 'c1'),
      envelope('OrderItemsShipped', 'o9', 2, { orderId: 'o9', items: [{ productId: 'sku-a', quantity: 1 }] }),
    ]);
    expect(shipped).toMatchObject({ status: 'REGISTERED', version: 2, totalMinor: 2550, itemCount: 3 });
  });

  it('totals per currency without cancelled orders, newest first', () => {
    const summary = summarizeCustomer('c1', [first, second, third]);
    expect(summary).toMatchObject({
      customerId: 'c1',
      orderCount: 3,
      totalSpentMinor: { EUR: 2550, USD: 2550 },
      lastOrderAt: third.createdAt,
    });
    expect(summary.orders.map((entry) => entry.orderId)).toEqual(['o3', 'o2', 'o1']);
  });

  it('depends only on the entries, not on the order they were found in', () => {
    expect(summarizeCustomer('c1', [third, first, second])).toEqual(summarizeCustomer('c1', [first, second, third]));
  });

  it('counts a cancelled order but spends nothing on it', () => {
    const summary = summarizeCustomer('c1', [third]);
    expect(summary).toMatchObject({ orderCount: 1, totalSpentMinor: {} });
    expect(summary.orders[0]).toMatchObject({ status: 'CANCELLED', version: 2 });
  });
});
