import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import type { DeliverOrderItems, OrderCommand, RegisterOrder, ShipOrderItems } from './order.commands';
import type { ItemQuantity, OrderEvent, OrderStatus } from './order.events';
import {
  addQuantities,
  type ExistingOrder,
  NO_ORDER,
  type OrderLineState,
  type OrderState,
  remainingToDeliver,
  remainingToShip,
} from './order.state';

export const MAX_ORDER_LINES = 100;
export const MAX_LINE_QUANTITY = 10_000;

function requireOrder(state: OrderState, orderId: string): ExistingOrder {
  if (!state.exists) throw new DomainError('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`, { orderId });
  return state;
}

function invalidTransition(order: ExistingOrder, action: string): DomainError {
  return new DomainError(
    'INVALID_STATUS_TRANSITION',
    `Order ${order.orderId} is ${order.status}; it cannot ${action}.`,
    { orderId: order.orderId, currentStatus: order.status },
  );
}

/** The status follows from the per-line quantities. */
export function statusOf(lines: readonly OrderLineState[]): OrderStatus {
  if (lines.every((line) => line.delivered === line.ordered)) return 'DELIVERED';
  if (lines.some((line) => line.delivered > 0)) return 'PARTIALLY_DELIVERED';
  if (lines.every((line) => line.shipped === line.ordered)) return 'SHIPPED';
  if (lines.some((line) => line.shipped > 0)) return 'PARTIALLY_SHIPPED';
  return 'REGISTERED';
}

function validateQuantity(quantity: number, what: string): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
    throw new DomainError('INVALID_QUANTITY', `${what} must be a whole number from 1 to ${MAX_LINE_QUANTITY}.`, {
      quantity,
    });
  }
}

function register(command: RegisterOrder, state: OrderState): OrderEvent[] {
  const { data } = command;
  if (state.exists) throw new DomainError('INVALID_ORDER', `Order ${data.orderId} already exists.`);
  if (data.lines.length < 1 || data.lines.length > MAX_ORDER_LINES) {
    throw new DomainError('INVALID_ORDER', `An order has from 1 to ${MAX_ORDER_LINES} lines.`);
  }
  const seen = new Set<string>();
  for (const line of data.lines) {
    if (seen.has(line.productId)) {
      throw new DomainError('INVALID_ORDER', `Product ${line.productId} appears more than once.`, {
        productId: line.productId,
      });
    }
    seen.add(line.productId);
    validateQuantity(line.quantity, `The quantity of ${line.productId}`);
    if (!Number.isSafeInteger(line.unitPriceMinor) || line.unitPriceMinor < 0) {
      throw new DomainError('INVALID_ORDER', `The price of ${line.productId} must not be negative.`);
    }
  }
  const totalMinor = data.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
  if (data.expectedTotalMinor !== null && data.expectedTotalMinor !== totalMinor) {
    throw new DomainError('TOTAL_MISMATCH', 'totalCost does not equal the sum of the lines.', {
      expectedTotalMinor: data.expectedTotalMinor,
      actualTotalMinor: totalMinor,
    });
  }
  return [
    {
      type: 'OrderCreated',
      data: {
        orderId: data.orderId,
        customerId: data.customerId,
        currency: data.currency,
        lines: data.lines.map(({ productId, quantity, unitPriceMinor }) => ({ productId, quantity, unitPriceMinor })),
        totalMinor,
        shippingAddress: data.shippingAddress,
        billingAddress: data.billingAddress,
        issuedAt: data.issuedAt,
      },
    },
  ];
}

/**
 * Resolves the requested items against what each line has left (ship: ordered
 * minus shipped; deliver: shipped minus delivered). Omitted items mean all that is left.
 */
function resolveItems(
  order: ExistingOrder,
  requested: ItemQuantity[] | null,
  left: (line: OrderLineState) => number,
  action: string,
): ItemQuantity[] {
  const lines = new Map(order.lines.map((line) => [line.productId, line]));
  const items =
    requested ??
    order.lines.filter((line) => left(line) > 0).map((line) => ({ productId: line.productId, quantity: left(line) }));
  if (items.length === 0) throw invalidTransition(order, `${action}: nothing is left to ${action}`);
  const seen = new Set<string>();
  for (const item of items) {
    const line = lines.get(item.productId);
    if (!line) {
      throw new DomainError('PRODUCT_NOT_IN_ORDER', `Product ${item.productId} is not in order ${order.orderId}.`, {
        orderId: order.orderId,
        productId: item.productId,
      });
    }
    if (seen.has(item.productId)) {
      throw new DomainError('INVALID_QUANTITY', `Product ${item.productId} appears more than once.`, {
        productId: item.productId,
      });
    }
    seen.add(item.productId);
    validateQuantity(item.quantity, `The quantity of ${item.productId}`);
    if (item.quantity > left(line)) {
      throw new DomainError(
        'QUANTITY_EXCEEDS_REMAINING',
        `Cannot ${action} ${item.quantity} of ${item.productId}; only ${left(line)} left to ${action}.`,
        { productId: item.productId, requested: item.quantity, remaining: left(line) },
      );
    }
  }
  return items.map(({ productId, quantity }) => ({ productId, quantity }));
}

function withStatusChange(order: ExistingOrder, event: OrderEvent): OrderEvent[] {
  const next = evolve(order, event) as ExistingOrder;
  return next.status === order.status
    ? [event]
    : [
        event,
        {
          type: 'OrderStatusUpdated',
          data: { orderId: order.orderId, previousStatus: order.status, status: next.status },
        },
      ];
}

const SHIPPABLE: ReadonlySet<OrderStatus> = new Set(['REGISTERED', 'PARTIALLY_SHIPPED', 'PARTIALLY_DELIVERED']);
const DELIVERABLE: ReadonlySet<OrderStatus> = new Set(['PARTIALLY_SHIPPED', 'SHIPPED', 'PARTIALLY_DELIVERED']);

function ship(command: ShipOrderItems, state: OrderState): OrderEvent[] {
  const order = requireOrder(state, command.data.orderId);
  if (!SHIPPABLE.has(order.status)) throw invalidTransition(order, 'ship');
  const items = resolveItems(order, command.data.items, remainingToShip, 'ship');
  return withStatusChange(order, { type: 'OrderItemsShipped', data: { orderId: order.orderId, items } });
}

function deliver(command: DeliverOrderItems, state: OrderState): OrderEvent[] {
  const order = requireOrder(state, command.data.orderId);
  if (!DELIVERABLE.has(order.status)) throw invalidTransition(order, 'deliver');
  const items = resolveItems(order, command.data.items, remainingToDeliver, 'deliver');
  return withStatusChange(order, { type: 'OrderItemsDelivered', data: { orderId: order.orderId, items } });
}

export function decide(command: OrderCommand, state: OrderState): OrderEvent[] {
  switch (command.type) {
    case 'RegisterOrder':
      return register(command, state);
    case 'ShipOrderItems':
      return ship(command, state);
    case 'DeliverOrderItems':
      return deliver(command, state);
    case 'CancelOrder': {
      const order = requireOrder(state, command.data.orderId);
      if (order.status !== 'REGISTERED') {
        throw new DomainError(
          'ORDER_CANNOT_BE_CANCELLED',
          `Order ${order.orderId} is ${order.status}; only REGISTERED orders can be cancelled.`,
          { orderId: order.orderId, currentStatus: order.status },
        );
      }
      return [{ type: 'OrderCancelled', data: { orderId: order.orderId, reason: command.data.reason } }];
    }
  }
}

export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderCreated') {
    const { data } = event;
    return {
      exists: true,
      orderId: data.orderId,
      customerId: data.customerId,
      status: 'REGISTERED',
      currency: data.currency,
      lines: data.lines.map((line) => ({
        productId: line.productId,
        unitPriceMinor: line.unitPriceMinor,
        ordered: line.quantity,
        shipped: 0,
        delivered: 0,
      })),
      totalMinor: data.totalMinor,
      shippingAddress: data.shippingAddress,
      billingAddress: data.billingAddress,
      issuedAt: data.issuedAt,
      cancellationReason: null,
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'OrderItemsShipped': {
      const lines = addQuantities(state.lines, event.data.items, 'shipped');
      return { ...state, lines, status: statusOf(lines) };
    }
    case 'OrderItemsDelivered': {
      const lines = addQuantities(state.lines, event.data.items, 'delivered');
      return { ...state, lines, status: statusOf(lines) };
    }
    case 'OrderStatusUpdated':
      return { ...state, status: event.data.status };
    case 'OrderCancelled':
      return { ...state, status: 'CANCELLED', cancellationReason: event.data.reason };
  }
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: () => NO_ORDER,
  decide,
  evolve,
};
