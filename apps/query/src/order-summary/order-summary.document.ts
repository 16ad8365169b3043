import type { Address, OrderStatus } from '@of/domain';
import type { ReadModelDocument } from '../projections/projection';

export interface OrderSummaryLine {
  productId: string;
  ordered: number;
  shipped: number;
  delivered: number;
  unitPriceMinor: number;
}

export interface OrderSummaryDocument extends ReadModelDocument {
  customerId: string;
  status: OrderStatus;
  currency: string;
  lines: OrderSummaryLine[];
  totalMinor: number;
  shippingAddress: Address;
  billingAddress: Address;
  issuedAt: string | null;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancellationReason: string | null;
}
