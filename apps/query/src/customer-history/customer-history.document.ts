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
 * One document per customer, read by _id: the customer's orders, newest first,
 * and totals recomputed from them whenever one changes.
 */
export interface CustomerSummaryDocument {
  _id: string;
  orders: CustomerOrderEntry[];
  orderCount: number;
  /** Minor units per currency; cancelled orders excluded. */
  totalSpentMinor: Record<string, number>;
  lastOrderAt: string | null;
  updatedAt: string;
}
