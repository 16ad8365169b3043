import type { Address } from '../shared/address';
import type { ItemQuantity, OrderStatus } from './order.events';

export interface OrderLineState {
  productId: string;
  unitPriceMinor: number;
  ordered: number;
  shipped: number;
  delivered: number;
}

export interface ExistingOrder {
  exists: true;
  orderId: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  lines: OrderLineState[];
  totalMinor: number;
  shippingAddress: Address;
  billingAddress: Address;
  issuedAt: string | null;
  cancellationReason: string | null;
}

export type OrderState = { exists: false } | ExistingOrder;

export const NO_ORDER: OrderState = { exists: false };

export function remainingToShip(line: OrderLineState): number {
  return line.ordered - line.shipped;
}

export function remainingToDeliver(line: OrderLineState): number {
  return line.shipped - line.delivered;
}

/** What any view of an order line counts (the read models' lines too). */
export interface LineQuantities {
  productId: string;
  shipped: number;
  delivered: number;
}

/** Adds shipped or delivered quantities to the matching lines; items of no line change nothing. */
export function addQuantities<L extends LineQuantities>(
  lines: readonly L[],
  items: readonly ItemQuantity[],
  field: 'shipped' | 'delivered',
): L[] {
  const added = new Map(items.map((item) => [item.productId, item.quantity]));
  return lines.map((line) => {
    const quantity = added.get(line.productId);
    return quantity === undefined ? line : { ...line, [field]: line[field] + quantity };
  });
}
