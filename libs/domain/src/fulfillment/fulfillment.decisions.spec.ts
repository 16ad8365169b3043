import { fold } from '../shared/decider';
import type { InventoryEvent } from '../inventory/inventory.events';
import { orderDecider } from '../orders/order.decider';
import type { OrderEvent } from '../orders/order.events';
import { decideCancellation, decideRegistration, decideShipment, decideStatusUpdate } from './fulfillment.decisions';
import { fulfillmentSpecification } from '../../testing/fulfillment-specification';
import { ORDER_ID, orderCreated, registerOrder } from '../../testing/order-fixtures';

const orderId = ORDER_ID;
const spec = fulfillmentSpecification();

const register = registerOrder([
  { productId: 'sku-a', quantity: 2, unitPriceMinor: 1000 },
  { productId: 'sku-b', quantity: 3, unitPriceMinor: 250 },
]);
/** A product's stock set to `onHand`, then whatever else happened to it. */
const stock = (productId: string, onHand: number, ...more: InventoryEvent[]): InventoryEvent[] => [
  { type: 'InventoryUpdated', data: { productId, name: null, previousOnHand: 0, onHand, kind: 'SET', reason: null } },
  ...more,
];
const allocated = (productId: string, quantity: number): InventoryEvent => ({
  type: 'InventoryAllocated',
  data: { productId, orderId, quantity },
});
const returned = (productId: string, quantity: number): InventoryEvent => ({
  type: 'InventoryReturned',
  data: { productId, orderId, quantity },
});
const shipped = (productId: string, quantity: number, fromAllocation = quantity): InventoryEvent => ({
  type: 'InventoryShipped',
  data: { productId, orderId, quantity, fromAllocation },
});

const created = orderCreated(register);
/** The order registered, and all of both lines held. */
const registered = {
  order: [created],
  products: { 'sku-a': stock('sku-a', 5, allocated('sku-a', 2)), 'sku-b': stock('sku-b', 5, allocated('sku-b', 3)) },
};

describe('Order registration with allocation', () => {
  it('creates the order and allocates every line', () => {
    spec
      .given({ products: { 'sku-a': stock('sku-a', 2), 'sku-b': stock('sku-b', 3) } })
      .when((order, inventoryOf) => decideRegistration(register, order, inventoryOf))
      .then({
        order: [created],
        inventory: [
          { productId: 'sku-a', events: [allocated('sku-a', 2)] },
          { productId: 'sku-b', events: [allocated('sku-b', 3)] },
        ],
      });
  });

  it('rejects the whole order when a product is unknown', () => {
    spec
      .given({ products: { 'sku-a': stock('sku-a', 9) } })
      .when((order, inventoryOf) => decideRegistration(register, order, inventoryOf))
      .thenThrows('UNKNOWN_PRODUCTS', { productIds: ['sku-b'] });
  });

  it('rejects the whole order when a product is discontinued', () => {
    spec
      .given({
        products: {
          'sku-a': stock('sku-a', 9),
          'sku-b': stock('sku-b', 9, { type: 'InventoryDiscontinued', data: { productId: 'sku-b' } }),
        },
      })
      .when((order, inventoryOf) => decideRegistration(register, order, inventoryOf))
      .thenThrows('PRODUCT_DISCONTINUED', { productIds: ['sku-b'] });
  });

  it('lists every short product with what was requested and what is available', () => {
    spec
      .given({ products: { 'sku-a': stock('sku-a', 1), 'sku-b': stock('sku-b', 2) } })
      .when((order, inventoryOf) => decideRegistration(register, order, inventoryOf))
      .thenThrows('INSUFFICIENT_INVENTORY', {
        products: [
          { productId: 'sku-a', requested: 2, available: 1 },
          { productId: 'sku-b', requested: 3, available: 2 },
        ],
      });
  });
});

describe('Shipping and status updates', () => {
  it('ships items and consumes their stock', () => {
    spec
      .given(registered)
      .when((order, inventoryOf) =>
        decideShipment(
          { type: 'ShipOrderItems', data: { orderId, items: [{ productId: 'sku-b', quantity: 1 }] } },
          order,
          inventoryOf,
        ),
      )
      .then({
        order: [
          { type: 'OrderItemsShipped', data: { orderId, items: [{ productId: 'sku-b', quantity: 1 }] } },
          { type: 'OrderStatusUpdated', data: { orderId, previousStatus: 'REGISTERED', status: 'PARTIALLY_SHIPPED' } },
        ],
        inventory: [{ productId: 'sku-b', events: [shipped('sku-b', 1)] }],
      });
  });

  it('PUT SHIPPED ships everything left', () => {
    spec
      .given(registered)
      .when((order, inventoryOf) => decideStatusUpdate(orderId, 'SHIPPED', order, inventoryOf))
      .then({
        order: [
          {
            type: 'OrderItemsShipped',
            data: {
              orderId,
              items: [
                { productId: 'sku-a', quantity: 2 },
                { productId: 'sku-b', quantity: 3 },
              ],
            },
          },
          { type: 'OrderStatusUpdated', data: { orderId, previousStatus: 'REGISTERED', status: 'SHIPPED' } },
        ],
        inventory: [
          { productId: 'sku-a', events: [shipped('sku-a', 2)] },
          { productId: 'sku-b', events: [shipped('sku-b', 3)] },
        ],
      });
  });

  it('PUT DELIVERED on a partly shipped order ships the rest, then delivers everything', () => {
    const partlyShipped: OrderEvent[] = [
      { type: 'OrderItemsShipped', data: { orderId, items: [{ productId: 'sku-a', quantity: 2 }] } },
      { type: 'OrderStatusUpdated', data: { orderId, previousStatus: 'REGISTERED', status: 'PARTIALLY_SHIPPED' } },
    ];
    const when = spec
      .given({ ...registered, order: [created, ...partlyShipped] })
      .when((order, inventoryOf) => decideStatusUpdate(orderId, 'DELIVERED', order, inventoryOf));
    const decision = when.decision();
    expect(decision.order.map((event) => event.type)).toEqual([
      'OrderItemsShipped',
      'OrderStatusUpdated',
      'OrderItemsDelivered',
      'OrderStatusUpdated',
    ]);
    expect(fold(orderDecider, [created, ...partlyShipped, ...decision.order])).toMatchObject({ status: 'DELIVERED' });
    expect(decision.inventory).toEqual([{ productId: 'sku-b', events: [shipped('sku-b', 3)] }]);
  });

  it('PUT DELIVERED on a registered order is an invalid transition', () => {
    spec
      .given(registered)
      .when((order, inventoryOf) => decideStatusUpdate(orderId, 'DELIVERED', order, inventoryOf))
      .thenThrows('INVALID_STATUS_TRANSITION', { currentStatus: 'REGISTERED' });
  });
});

describe('Cancellation', () => {
  it('returns exactly what the order still holds of each product', () => {
    spec
      .given({
        order: [created],
        products: {
          'sku-a': stock('sku-a', 5, allocated('sku-a', 2), returned('sku-a', 2)),
          'sku-b': stock('sku-b', 5, allocated('sku-b', 3), returned('sku-b', 1)),
        },
      })
      .when((order, inventoryOf) =>
        decideCancellation({ type: 'CancelOrder', data: { orderId, reason: 'customer request' } }, order, inventoryOf),
      )
      .then({
        order: [{ type: 'OrderCancelled', data: { orderId, reason: 'customer request' } }],
        inventory: [{ productId: 'sku-b', events: [returned('sku-b', 2)] }],
      });
  });

  it('cannot cancel a shipped order, and returns nothing', () => {
    spec
      .given({
        ...registered,
        order: [
          created,
          { type: 'OrderItemsShipped', data: { orderId, items: [{ productId: 'sku-a', quantity: 2 }] } },
          { type: 'OrderStatusUpdated', data: { orderId, previousStatus: 'REGISTERED', status: 'PARTIALLY_SHIPPED' } },
        ],
      })
      .when((order, inventoryOf) =>
        decideCancellation({ type: 'CancelOrder', data: { orderId, reason: null } }, order, inventoryOf),
      )
      .thenThrows('ORDER_CANNOT_BE_CANCELLED', { currentStatus: 'PARTIALLY_SHIPPED' });
  });
});
