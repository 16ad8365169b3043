import type { Address } from '../shared/address';
import type { OrderStatus } from './order.events';

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
