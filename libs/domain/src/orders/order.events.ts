import type { Address } from '../shared/address';

export const ORDER_STATUSES = [
  'REGISTERED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'PARTIALLY_DELIVERED',
  'DELIVERED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderLine {
  productId: string;
  quantity: number;
  /** Minor units of the order's currency. */
  unitPriceMinor: number;
}

export interface ItemQuantity {
  productId: string;
  quantity: number;
}

export interface OrderCreated {
  type: 'OrderCreated';
  data: {
    orderId: string;
    customerId: string;
    currency: string;
    lines: OrderLine[];
    totalMinor: number;
    shippingAddress: Address;
    billingAddress: Address;
    /** When the client says the order was issued (kept as sent), or null. */
    issuedAt: string | null;
  };
}

export interface OrderItemsShipped {
  type: 'OrderItemsShipped';
  data: { orderId: string; items: ItemQuantity[] };
}

export interface OrderItemsDelivered {
  type: 'OrderItemsDelivered';
  data: { orderId: string; items: ItemQuantity[] };
}

export interface OrderStatusUpdated {
  type: 'OrderStatusUpdated';
  data: { orderId: string; previousStatus: OrderStatus; status: OrderStatus };
}

export interface OrderCancelled {
  type: 'OrderCancelled';
  data: { orderId: string; reason: string | null };
}

export type OrderEvent = OrderCreated | OrderItemsShipped | OrderItemsDelivered | OrderStatusUpdated | OrderCancelled;
export type OrderEventType = OrderEvent['type'];
