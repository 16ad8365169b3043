import type { InventoryEvent } from '../inventory/inventory.events';
import { availableOf, heldBy, type InventoryState } from '../inventory/inventory.state';
import type { CancelOrder, RegisterOrder, ShipOrderItems } from '../orders/order.commands';
import { decide as decideOrder, evolve as evolveOrder } from '../orders/order.decider';
import type { ItemQuantity, OrderEvent } from '../orders/order.events';
import type { ExistingOrder, OrderState } from '../orders/order.state';
import { DomainError } from '../shared/domain-error';

/*
 * Commands that change an order and the stock of its products together. Each
 * returns every event of every aggregate it touches, or throws: the caller
 * appends them all atomically or none.
 */

export type InventoryLookup = (productId: string) => InventoryState;

export interface InventoryChange {
  productId: string;
  events: InventoryEvent[];
}

export interface FulfillmentDecision {
  order: OrderEvent[];
  inventory: InventoryChange[];
}

export interface ShortProduct {
  productId: string;
  requested: number;
  available: number;
}

/** Registers an order and allocates every line: all or nothing. */
export function decideRegistration(
  command: RegisterOrder,
  order: OrderState,
  inventoryOf: InventoryLookup,
): FulfillmentDecision {
  const orderEvents = decideOrder(command, order);
  const unknown: string[] = [];
  const discontinued: string[] = [];
  const short: ShortProduct[] = [];
  for (const line of command.data.lines) {
    const product = inventoryOf(line.productId);
    if (!product.exists) unknown.push(line.productId);
    else if (product.discontinued) discontinued.push(line.productId);
    else if (availableOf(product) < line.quantity) {
      short.push({ productId: line.productId, requested: line.quantity, available: availableOf(product) });
    }
  }
  if (unknown.length > 0) {
    throw new DomainError('UNKNOWN_PRODUCTS', `Unknown products: ${unknown.join(', ')}.`, { productIds: unknown });
  }
  if (discontinued.length > 0) {
    throw new DomainError('PRODUCT_DISCONTINUED', `Discontinued products: ${discontinued.join(', ')}.`, {
      productIds: discontinued,
    });
  }
  if (short.length > 0) {
    throw new DomainError(
      'INSUFFICIENT_INVENTORY',
      `Not enough stock for ${short.map((item) => item.productId).join(', ')}.`,
      { products: short },
    );
  }
  const { orderId } = command.data;
  return {
    order: orderEvents,
    inventory: command.data.lines.map((line) => ({
      productId: line.productId,
      events: [{ type: 'InventoryAllocated', data: { productId: line.productId, orderId, quantity: line.quantity } }],
    })),
  };
}

function shippedItems(events: OrderEvent[]): ItemQuantity[] {
  return events.flatMap((event) => (event.type === 'OrderItemsShipped' ? event.data.items : []));
}

/** Shipping consumes what the order holds of each product, and on-hand stock. */
function inventoryForShipment(orderId: string, items: ItemQuantity[], inventoryOf: InventoryLookup): InventoryChange[] {
  const short: ShortProduct[] = [];
  const changes = items.map(({ productId, quantity }): InventoryChange => {
    const product = inventoryOf(productId);
    if (!product.exists) {
      throw new DomainError('PRODUCT_NOT_FOUND', `Product ${productId} does not exist.`, { productId });
    }
    const held = heldBy(product, orderId);
    if (quantity - held > availableOf(product)) {
      short.push({ productId, requested: quantity, available: held + availableOf(product) });
    }
    return {
      productId,
      events: [
        { type: 'InventoryShipped', data: { productId, orderId, quantity, fromAllocation: Math.min(held, quantity) } },
      ],
    };
  });
  if (short.length > 0) {
    throw new DomainError('INSUFFICIENT_INVENTORY', 'Not enough stock on hand to ship.', { products: short });
  }
  return changes;
}

export function decideShipment(
  command: ShipOrderItems,
  order: OrderState,
  inventoryOf: InventoryLookup,
): FulfillmentDecision {
  const orderEvents = decideOrder(command, order);
  return {
    order: orderEvents,
    inventory: inventoryForShipment(command.data.orderId, shippedItems(orderEvents), inventoryOf),
  };
}

/**
 * `PUT /orders/{id}/status`: SHIPPED ships all that is left; DELIVERED also
 * delivers everything, shipping first what was not shipped yet.
 */
export function decideStatusUpdate(
  orderId: string,
  target: 'SHIPPED' | 'DELIVERED',
  order: OrderState,
  inventoryOf: InventoryLookup,
): FulfillmentDecision {
  if (target === 'SHIPPED') {
    return decideShipment({ type: 'ShipOrderItems', data: { orderId, items: null } }, order, inventoryOf);
  }
  if (order.exists && order.status === 'REGISTERED') {
    throw new DomainError(
      'INVALID_STATUS_TRANSITION',
      `Order ${orderId} is REGISTERED; it must be shipped before it is delivered.`,
      {
        orderId,
        currentStatus: order.status,
      },
    );
  }
  const shipment =
    order.exists && order.lines.some((line) => line.shipped < line.ordered)
      ? decideShipment({ type: 'ShipOrderItems', data: { orderId, items: null } }, order, inventoryOf)
      : { order: [], inventory: [] };
  const afterShipment = shipment.order.reduce(evolveOrder, order);
  const delivery = decideOrder({ type: 'DeliverOrderItems', data: { orderId, items: null } }, afterShipment);
  return { order: [...shipment.order, ...delivery], inventory: shipment.inventory };
}

/** Cancelling gives back exactly what the order holds of each product. */
export function decideCancellation(
  command: CancelOrder,
  order: OrderState,
  inventoryOf: InventoryLookup,
): FulfillmentDecision {
  const orderEvents = decideOrder(command, order);
  const { orderId } = command.data;
  const inventory = (order as ExistingOrder).lines.flatMap(({ productId }): InventoryChange[] => {
    const product = inventoryOf(productId);
    const held = product.exists ? heldBy(product, orderId) : 0;
    return held > 0
      ? [{ productId, events: [{ type: 'InventoryReturned', data: { productId, orderId, quantity: held } }] }]
      : [];
  });
  return { order: orderEvents, inventory };
}
