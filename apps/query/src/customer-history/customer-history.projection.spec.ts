import { envelope, fold, orderCreated } from '../../test/events.fixture';
import type { CustomerOrderDocument } from './customer-history.document';
import { customerHistoryProjection, mergeCustomer } from './customer-history.projection';

const apply = customerHistoryProjection.apply.bind(customerHistoryProjection);
const NOW = '2026-11-21T12:00:00.000Z';

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
    const summary = mergeCustomer('c1', null, [first, second, third], NOW);
    expect(summary).toMatchObject({
      _id: 'c1',
      orderCount: 3,
      totalSpentMinor: { EUR: 2550, USD: 2550 },
      lastOrderAt: third.createdAt,
    });
    expect(summary.orders.map((entry) => entry.orderId)).toEqual(['o3', 'o2', 'o1']);
  });

  it('gives the same document when the same change is merged again (no double counting)', () => {
    const once = mergeCustomer('c1', null, [first, second], NOW);
    expect(mergeCustomer('c1', once, [first, second], NOW)).toEqual(once);
  });

  it('never moves an entry back to an older version', () => {
    const cancelled = mergeCustomer('c1', null, [third], NOW);
    const stale: CustomerOrderDocument = { ...third, status: 'REGISTERED', version: 1 };
    expect(mergeCustomer('c1', cancelled, [stale], NOW).orders[0]).toMatchObject({ status: 'CANCELLED', version: 2 });
  });
});
