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
  /**
   * The order's number among its customer's orders (0 first), given by the
   * customer's ledger when it counted the order (see customer-ledger.ts).
   */
  seq?: number;
}

/** An entry as a page of history shows it. */
export type CustomerOrderEntry = Pick<
  CustomerOrderDocument,
  'status' | 'currency' | 'totalMinor' | 'itemCount' | 'createdAt' | 'version'
> & { orderId: string };
