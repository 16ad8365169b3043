import type { Address } from '../shared/address';
import type { ItemQuantity, OrderLine } from './order.events';

export interface RegisterOrder {
  type: 'RegisterOrder';
  data: {
    orderId: string;
    customerId: string;
    currency: string;
    lines: OrderLine[];
    shippingAddress: Address;
    billingAddress: Address;
    /** If the client sent a total, it must equal the sum of the lines. */
    expectedTotalMinor: number | null;
    issuedAt: string | null;
  };
}

/** Items omitted: everything not yet shipped. */
export interface ShipOrderItems {
  type: 'ShipOrderItems';
  data: { orderId: string; items: ItemQuantity[] | null };
}

/** Items omitted: everything shipped and not yet delivered. */
export interface DeliverOrderItems {
  type: 'DeliverOrderItems';
  data: { orderId: string; items: ItemQuantity[] | null };
}

export interface CancelOrder {
  type: 'CancelOrder';
  data: { orderId: string; reason: string | null };
}

export type OrderCommand = RegisterOrder | ShipOrderItems | DeliverOrderItems | CancelOrder;
