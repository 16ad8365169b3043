import { customerHistoryProjection } from '../customer-history/customer-history.projection';
import { fulfillmentQueueProjection } from '../fulfillment-queue/fulfillment-queue.projection';
import { inventoryStatusProjection } from '../inventory-status/inventory-status.projection';
import { orderSummaryProjection } from '../order-summary/order-summary.projection';
import type { Projection } from './projection';

/**
 * The shape and meaning of the read models' documents, as this code writes
 * and reads them. Raised whenever a projection changes what it stores (2:
 * customer ledgers and numbered history entries; 3: creation keys in place of
 * the creation-second directory; 4: history entries listed by sequence key,
 * not found by page). A generation built by
 * another schema is rebuilt on start while it keeps serving what it can.
 */
export const READ_MODELS_SCHEMA = 4;

/** Every read model the query app maintains. */
export const READ_MODELS: readonly Projection[] = [
  orderSummaryProjection,
  inventoryStatusProjection,
  fulfillmentQueueProjection,
  customerHistoryProjection,
];
