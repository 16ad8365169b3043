import type { OrderStatus } from '@of/domain';
import { envelope, orderCreated } from '../../test/events.fixture';
import { projectionSpecification } from '../../test/projection-specification';
import { fulfillmentQueueProjection } from './fulfillment-queue.projection';

const { given } = projectionSpecification(fulfillmentQueueProjection);
const shipped = (orderId: string, version: number, items: { productId: string; quantity: number }[]) =>
  envelope('OrderItemsShipped', orderId, version, { orderId, items });
const status = (orderId: string, version: number, previousStatus: OrderStatus, to: OrderStatus) =>
  envelope('OrderStatusUpdated', orderId, version, { orderId, previousStatus, status: to });

describe('FulfillmentWorkQueue projection', () => {
  it('queues a new order with everything left to ship', () => {
    given()
      .when(orderCreated('o1'))
      .then({
        open: true,
        itemsRemaining: 3,
        lines: [
          { productId: 'sku-a', remaining: 2 },
          { productId: 'sku-b', remaining: 1 },
        ],
      });
  });

  it('keeps a partly shipped order open with what is left', () => {
    given(orderCreated('o1'))
      .when(shipped('o1', 2, [{ productId: 'sku-a', quantity: 1 }]), status('o1', 3, 'REGISTERED', 'PARTIALLY_SHIPPED'))
      .then({ open: true, status: 'PARTIALLY_SHIPPED', itemsRemaining: 2, version: 3 });
  });

  it('closes an order once everything shipped', () => {
    given(orderCreated('o1'))
      .when(
        shipped('o1', 2, [
          { productId: 'sku-a', quantity: 2 },
          { productId: 'sku-b', quantity: 1 },
        ]),
        status('o1', 3, 'REGISTERED', 'SHIPPED'),
      )
      .then({ open: false, itemsRemaining: 0, status: 'SHIPPED' });
  });

  it('closes a cancelled order', () => {
    given(orderCreated('o2'))
      .when(envelope('OrderCancelled', 'o2', 2, { orderId: 'o2', reason: null }))
      .then({ open: false, status: 'CANCELLED' });
  });

  it('cannot apply a shipment of items the order does not have', () => {
    given(orderCreated('o3'))
      .when(shipped('o3', 2, [{ productId: 'sku-z', quantity: 1 }]))
      .thenFails(/items not in the order: sku-z/);
  });
});
