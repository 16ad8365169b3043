import type { OrderStatus } from '@of/domain';
import type { ReadModelDocument } from '../projections/projection';

/** One entry per order, kept under its customer. */
export interface CustomerOrderDocument extends ReadModelDocument {
  customerId: string;
  status: OrderStatus;
  currency: string;
  totalMinor: number;
  itemCount: number;
  createdAt: string;
  updatedAt: string;
}

export type CustomerOrderEntry = Omit<CustomerOrderDocument, '_id' | 'customerId' | 'updatedAt'> & { orderId: string };

/**
 * A customer's history as the API shows it: the orders, newest first, and
 * totals. Computed at read time from the customer's entries (an indexed
 * equality find), so a write touches one small entry and never a per-customer
 * document that grows with every order.
 */
export interface CustomerSummary {
  customerId: string;
  orders: CustomerOrderEntry[];
  orderCount: number;
  /** Minor units per currency; cancelled orders excluded. */
  totalSpentMinor: Record<string, number>;
  lastOrderAt: string | null;
}
