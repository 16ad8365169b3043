import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/decider';
import { inventoryDecider } from '../inventory/inventory.decider';
import type { InventoryEvent } from '../inventory/inventory.events';
import type { InventoryState } from '../inventory/inventory.state';
import { orderDecider } from '../orders/order.decider';
import type { RegisterOrder } from '../orders/order.commands';
import type { OrderEvent } from '../orders/order.events';
import {
  decideCancellation,
  decideRegistration,
  decideShipment,
  decideStatusUpdate,
  type InventoryLookup,
} from './fulfillment.decisions';
import { ADDRESS as address } from '../../../../test/support/fixtures';

const orderId = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

const stock = (productId: string, onHand: number, ...more: InventoryEvent[]): [string, InventoryState] => [
  productId,
  fold(inventoryDecider, [
    { type: 'InventoryUpdated', data: { productId, name: null, previousOnHand: 0, onHand, kind: 'SET', reason: null } },
    ...more,
  ]),
];
const lookup =
  (...products: [string, InventoryState][]): InventoryLookup =>
  (productId) =>
    new Map(products).get(productId) ?? inventoryDecider.initialState();

const register: RegisterOrder = {
  type: 'RegisterOrder',
  data: {
    orderId,
    customerId: 'cust-1',
    currency: 'EUR',
    lines: [
      { productId: 'sku-a', quantity: 2, unitPriceMinor: 1000 },
      { productId: 'sku-b', quantity: 3, unitPriceMinor: 250 },
    ],
    shippingAddress: address,
    billingAddress: address,
    expectedTotalMinor: null,
    issuedAt: null,
  },
};

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const createdEvents = decideRegistration(
  register,
  orderDecider.initialState(),
  lookup(stock('sku-a', 5), stock('sku-b', 5)),
).order;
const allocatedTo = (productId: string, quantity: number): InventoryEvent => ({
  type: 'InventoryAllocated',
  data: { productId, orderId, quantity },
});
const registeredOrder = (...more: OrderEvent[]) => fold(orderDecider, [...createdEvents, ...more]);
const heldStock = lookup(stock('sku-a', 5, allocatedTo('sku-a', 2)), stock('sku-b', 5, allocatedTo('sku-b', 3)));

describe('Order registration with allocation', () => {
  it('creates the order and allocates every line', () => {
    const decision = decideRegistration(
      register,
      orderDecider.initialState(),
      lookup(stock('sku-a', 2), stock('sku-b', 3)),
    );
    expect(decision.order.map((event) => event.type)).toEqual(['OrderCreated']);
    expect(decision.inventory).toEqual([
      { productId: 'sku-a', events: [allocatedTo('sku-a', 2)] },
      { productId: 'sku-b', events: [allocatedTo('sku-b', 3)] },
    ]);
  });

  it('rejects the whole order when a product is unknown', () => {
    const error = thrown(() => decideRegistration(register, orderDecider.initialState(), lookup(stock('sku-a', 9))));
    expect(error).toMatchObject({ code: 'UNKNOWN_PRODUCTS', details: { productIds: ['sku-b'] } });
  });

  it('rejects the whole order when a product is discontinued', () => {
    const products = lookup(
      stock('sku-a', 9),
      stock('sku-b', 9, { type: 'InventoryDiscontinued', data: { productId: 'sku-b' } }),
    );
    const error = thrown(() => decideRegistration(register, orderDecider.initialState(), products));
    expect(error).toMatchObject({ code: 'PRODUCT_DISCONTINUED', details: { productIds: ['sku-b'] } });
  });

  it('lists every short product with what was requested and what is available', () => {
    const error = thrown(() =>
      decideRegistration(register, orderDecider.initialState(), lookup(stock('sku-a', 1), stock('sku-b', 2))),
    );
    expect(error).toMatchObject({
      code: 'INSUFFICIENT_INVENTORY',
      details: {
        products: [
          { productId: 'sku-a', requested: 2, available: 1 },
          { productId: 'sku-b', requested: 3, available: 2 },
        ],
      },
    });
  });
});

describe('Shipping and status updates', () => {
  it('ships items and consumes their stock', () => {
    const decision = decideShipment(
      { type: 'ShipOrderItems', data: { orderId, items: [{ productId: 'sku-b', quantity: 1 }] } },
      registeredOrder(),
      heldStock,
    );
    expect(decision.order.map((event) => event.type)).toEqual(['OrderItemsShipped', 'OrderStatusUpdated']);
    expect(decision.inventory).toEqual([
      {
        productId: 'sku-b',
        events: [{ type: 'InventoryShipped', data: { productId: 'sku-b', orderId, quantity: 1, fromAllocation: 1 } }],
      },
    ]);
  });

  it('PUT SHIPPED ships everything left', () => {
    const decision = decideStatusUpdate(orderId, 'SHIPPED', registeredOrder(), heldStock);
    expect(decision.order[1]).toEqual({
      type: 'OrderStatusUpdated',
      data: { orderId, previousStatus: 'REGISTERED', status: 'SHIPPED' },
    });
    expect(decision.inventory.map((change) => change.productId)).toEqual(['sku-a', 'sku-b']);
  });

  it('PUT DELIVERED on a partly shipped order ships the rest, then delivers everything', () => {
    const partlyShipped: OrderEvent[] = [
      { type: 'OrderItemsShipped', data: { orderId, items: [{ productId: 'sku-a', quantity: 2 }] } },
      { type: 'OrderStatusUpdated', data: { orderId, previousStatus: 'REGISTERED', status: 'PARTIALLY_SHIPPED' } },
    ];
    const order = registeredOrder(...partlyShipped);
    const decision = decideStatusUpdate(orderId, 'DELIVERED', order, heldStock);
    expect(decision.order.map((event) => event.type)).toEqual([
      'OrderItemsShipped',
      'OrderStatusUpdated',
      'OrderItemsDelivered',
      'OrderStatusUpdated',
    ]);
    expect(fold(orderDecider, [...createdEvents, ...partlyShipped, ...decision.order])).toMatchObject({
      status: 'DELIVERED',
    });
    expect(decision.inventory).toEqual([
      {
        productId: 'sku-b',
        events: [{ type: 'InventoryShipped', data: { productId: 'sku-b', orderId, quantity: 3, fromAllocation: 3 } }],
      },
    ]);
  });

  it('PUT DELIVERED on a registered order is an invalid transition', () => {
    expect(thrown(() => decideStatusUpdate(orderId, 'DELIVERED', registeredOrder(), heldStock)).code).toBe(
      'INVALID_STATUS_TRANSITION',
    );
  });
});

describe('Cancellation', () => {
  it('returns exactly what the order still holds of each product', () => {
    const products = lookup(
      stock('sku-a', 5, allocatedTo('sku-a', 2), {
        type: 'InventoryReturned',
        data: { productId: 'sku-a', orderId, quantity: 2 },
      }),
      stock('sku-b', 5, allocatedTo('sku-b', 3), {
        type: 'InventoryReturned',
        data: { productId: 'sku-b', orderId, quantity: 1 },
      }),
    );
    const decision = decideCancellation(
      { type: 'CancelOrder', data: { orderId, reason: 'customer request' } },
      registeredOrder(),
      products,
    );
    expect(decision.order).toEqual([{ type: 'OrderCancelled', data: { orderId, reason: 'customer request' } }]);
    expect(decision.inventory).toEqual([
      {
        productId: 'sku-b',
        events: [{ type: 'InventoryReturned', data: { productId: 'sku-b', orderId, quantity: 2 } }],
      },
    ]);
  });
});
