import type { OrderStatus } from '@of/domain';
import type { ReadModelDocument } from '../projections/projection';

export interface QueueLine {
  productId: string;
  ordered: number;
  shipped: number;
  delivered: number;
  /** Still to ship. */
  remaining: number;
}

/**
 * One document per order ever registered; `open` is true while something is
 * left to ship. Closed documents stay (with their version) so a redelivered
 * OrderCreated cannot bring an order back into the queue.
 */
export interface FulfillmentQueueDocument extends ReadModelDocument {
  customerId: string;
  status: OrderStatus;
  open: boolean;
  lines: QueueLine[];
  itemsRemaining: number;
  shippingAddress: { city: string; country: string; zipcode: string };
  createdAt: string;
  updatedAt: string;
}
