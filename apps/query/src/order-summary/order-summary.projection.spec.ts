import { ADDRESS as address } from '../../../../test/support/fixtures';
import { envelope, fold, orderCreated } from '../../test/events.fixture';
import { orderSummaryProjection } from './order-summary.projection';
import { orderSummaryView } from './order-summary.view';

const apply = orderSummaryProjection.apply.bind(orderSummaryProjection);

describe('OrderSummary projection', () => {
  it('creates the summary from OrderCreated', () => {
    const created = orderCreated('o1');
    expect(orderSummaryView(fold(apply, [created]))).toEqual({
      orderId: 'o1',
      customerId: 'cust-1',
      status: 'REGISTERED',
      currency: 'EUR',
      totalCost: '25.50',
      lines: [
        { productId: 'sku-a', ordered: 2, shipped: 0, delivered: 0, unitPrice: '10.00', lineTotal: '20.00' },
        { productId: 'sku-b', ordered: 1, shipped: 0, delivered: 0, unitPrice: '5.50', lineTotal: '5.50' },
      ],
      shippingAddress: address,
      billingAddress: address,
      issuedAt: null,
      createdAt: created.occurredAt,
      updatedAt: created.occurredAt,
      cancelledAt: null,
      cancellationReason: null,
      version: 1,
    });
  });

  it('follows shipments, deliveries and status changes per line', () => {
    const document = fold(apply, [
      orderCreated('o1'),
      envelope('OrderItemsShipped', 'o1', 2, { orderId: 'o1', items: [{ productId: 'sku-a', quantity: 2 }] }),
      envelope('OrderStatusUpdated', 'o1', 3, {
        orderId: 'o1',
        previousStatus: 'REGISTERED',
        status: 'PARTIALLY_SHIPPED',
      }),
      envelope('OrderItemsDelivered', 'o1', 4, { orderId: 'o1', items: [{ productId: 'sku-a', quantity: 1 }] }),
      envelope('OrderStatusUpdated', 'o1', 5, {
        orderId: 'o1',
        previousStatus: 'PARTIALLY_SHIPPED',
        status: 'PARTIALLY_DELIVERED',
      }),
    ]);
    expect(document).toMatchObject({
      status: 'PARTIALLY_DELIVERED',
      version: 5,
      lines: [
        { productId: 'sku-a', ordered: 2, shipped: 2, delivered: 1 },
        { productId: 'sku-b', ordered: 1, shipped: 0, delivered: 0 },
      ],
    });
  });

  it('records a cancellation with its time and reason', () => {
    const cancelled = envelope('OrderCancelled', 'o1', 2, { orderId: 'o1', reason: 'changed my mind' });
    expect(fold(apply, [orderCreated('o1'), cancelled])).toMatchObject({
      status: 'CANCELLED',
      cancelledAt: cancelled.occurredAt,
      cancellationReason: 'changed my mind',
      version: 2,
    });
  });

  it('refuses a shipment of a product the order does not have', () => {
    const bad = envelope('OrderItemsShipped', 'o1', 2, { orderId: 'o1', items: [{ productId: 'sku-z', quantity: 1 }] });
    expect(() => fold(apply, [orderCreated('o1'), bad])).toThrow('not in the order');
  });
});
