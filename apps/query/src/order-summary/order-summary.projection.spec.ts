import type { OrderStatus } from '@of/domain';
import { ADDRESS as address } from '../../../../test/support/fixtures';
import { envelope, fold, orderCreated } from '../../test/events.fixture';
import { projectionSpecification } from '../../test/projection-specification';
import { orderSummaryProjection } from './order-summary.projection';
import { orderSummaryView } from './order-summary.view';

const apply = orderSummaryProjection.apply.bind(orderSummaryProjection);
const { given } = projectionSpecification(orderSummaryProjection);
const status = (version: number, previousStatus: OrderStatus, to: OrderStatus) =>
  envelope('OrderStatusUpdated', 'o1', version, { orderId: 'o1', previousStatus, status: to });

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
    given(orderCreated('o1'))
      .when(
        envelope('OrderItemsShipped', 'o1', 2, { orderId: 'o1', items: [{ productId: 'sku-a', quantity: 2 }] }),
        status(3, 'REGISTERED', 'PARTIALLY_SHIPPED'),
        envelope('OrderItemsDelivered', 'o1', 4, { orderId: 'o1', items: [{ productId: 'sku-a', quantity: 1 }] }),
        status(5, 'PARTIALLY_SHIPPED', 'PARTIALLY_DELIVERED'),
      )
      .then({
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
    given(orderCreated('o1')).when(cancelled).then({
      status: 'CANCELLED',
      cancelledAt: cancelled.occurredAt,
      cancellationReason: 'changed my mind',
      version: 2,
    });
  });

  it('refuses a shipment of a product the order does not have', () => {
    given(orderCreated('o1'))
      .when(envelope('OrderItemsShipped', 'o1', 2, { orderId: 'o1', items: [{ productId: 'sku-z', quantity: 1 }] }))
      .thenFails(/not in the order/);
  });
});
